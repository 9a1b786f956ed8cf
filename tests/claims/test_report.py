"""The report's sums against hand-made records; CLI, XLSX and PDF from the same code."""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import pytest
from django.core.management import call_command

from jamsos.claims import services
from jamsos.claims.exports import miliar, report_pdf, report_xlsx
from jamsos.claims.selectors import benefits_by_kecamatan, benefits_received, claim_report
from tests.claims.helpers import paid_claim, through_ladder, workers
from tests.factories import user

pytestmark = pytest.mark.django_db
JAN, AUG = dt.date(2025, 1, 1), dt.date(2025, 8, 31)


@pytest.fixture
def records():
    people = workers()
    op = user("op", "operator", "16.02")
    paid_claim(people["budi"], "jkk", "work_accident", dt.date(2025, 1, 10),
               paid_on=dt.date(2025, 1, 31), amount=3_000_000, user=op,
               facts={"treatment_cost": 3_000_000})
    paid_claim(people["siti"], "jht", "stop_working", dt.date(2025, 2, 1),
               paid_on=dt.date(2025, 3, 15), amount=5_000_000, user=op,
               facts={"balance": 5_000_000})
    death = services.create_claim(person=people["ahmad"], program="jkk",
                                  event="work_accident_death", event_date=dt.date(2025, 2, 20),
                                  user=op, reported_on=dt.date(2025, 2, 21))
    tk = services.add_child(death, name="Tika", birth_date=dt.date(2020, 3, 1), level="tk",
                            user=op)
    services.add_child(death, name="Bima", birth_date=dt.date(2022, 3, 1),
                       level="belum_sekolah", user=op)
    through_ladder(death, user=op, on=dt.date(2025, 3, 20), paid_amount=166_000_000)
    services.record_scholarship_payment(tk, school_year=2025, amount=1_500_000,
                                        paid_on=dt.date(2025, 8, 1), user=op)
    # Outside the period / not paid: not counted.
    paid_claim(people["budi"], "jkk", "work_accident", dt.date(2025, 8, 20),
               paid_on=dt.date(2025, 9, 5), amount=1_000_000, user=op)
    pending = services.create_claim(person=people["siti"], program="jkk", event="work_accident",
                                    event_date=dt.date(2025, 4, 1), user=op,
                                    reported_on=dt.date(2025, 4, 2))
    through_ladder(pending, user=op, to="submitted", on=dt.date(2025, 4, 5))
    return people


def test_sums_by_programme_month_category_kecamatan(records):
    rep = claim_report("16.02", JAN, AUG)
    assert (rep.claims, rep.amount) == (3, 174_000_000)
    assert [(r.key, r.claims, r.amount) for r in rep.by_program] == [
        ("jht", 1, 5_000_000), ("jkk", 2, 169_000_000)]
    assert [(r.key, r.claims, r.amount) for r in rep.by_month] == [
        ("2025-01", 1, 3_000_000), ("2025-03", 2, 171_000_000)]
    assert [(r.key, r.claims, r.amount) for r in rep.by_category] == [
        ("kelembagaan_desa", 1, 5_000_000), ("perangkat_desa", 1, 166_000_000),
        ("rt_rw", 1, 3_000_000)]
    assert [(r.key, r.label, r.claims, r.amount) for r in rep.by_kecamatan] == [
        ("16.02.02", "Tanjung Lubuk", 1, 166_000_000), ("16.02.13", "Lempuing", 2, 8_000_000)]
    assert (rep.scholarship_children, rep.scholarship_amount) == (2, 174_000_000)
    assert (rep.scholarship_payments, rep.scholarship_paid) == (1, 1_500_000)
    assert rep.by_program[1].share == 100.0 and rep.by_program[0].share == 3.0  # 5/169


def test_benefits_of_every_kecamatan_at_once_equal_asking_each(records):
    """The budget's premiums-vs-benefits asks once for a whole area (a province has hundreds
    of kecamatan): the same sums as asking kecamatan by kecamatan, also for a claim whose role
    lies in another kecamatan than its person (counted in both, as each area's list shows)."""
    from jamsos.claims.models import Claim
    from jamsos.registry.models import Enrolment
    from tests.factories import ULAK_KAPAL

    moved = Claim.objects.filter(person=records["budi"], paid_amount=3_000_000).get()
    Enrolment.objects.filter(pk=moved.enrolment_id).update(desa_id=ULAK_KAPAL)
    kecamatan = {"16.02.02", "16.02.13", "16.02.01"}
    for year in (2024, 2025):
        each = {k: sum(benefits_received(year, k).values()) for k in kecamatan}
        assert benefits_by_kecamatan(year, "16.02") == {k: v for k, v in each.items() if v}
        assert benefits_by_kecamatan(year, "16.02.13") == (
            {"16.02.13": each["16.02.13"]} if each["16.02.13"] else {})
    # Tanjung Lubuk: Ahmad's death claim and scholarship, and both of Budi's 2025 claims
    # (made for the role now in Ulak Kapal); Lempuing keeps Budi's and Siti's by residence.
    by_kec = benefits_by_kecamatan(2025, "16.02")
    assert by_kec["16.02.02"] == 166_000_000 + 1_500_000 + 3_000_000 + 1_000_000
    assert by_kec["16.02.13"] == 3_000_000 + 1_000_000 + 5_000_000


def test_period_and_area_limits(records):
    rep = claim_report("16.02.13", JAN, AUG)
    assert (rep.claims, rep.amount, rep.scholarship_children) == (2, 8_000_000, 0)
    rep = claim_report("16.02", dt.date(2025, 3, 20), dt.date(2025, 9, 5))
    assert (rep.claims, rep.amount) == (2, 167_000_000)  # both ends included


def test_benefits_received_for_the_budget_app(records):
    assert benefits_received(2025, "16.02") == {"claims": 175_000_000,
                                                "scholarships": 1_500_000}
    assert benefits_received(2025, "16.02.13") == {"claims": 9_000_000, "scholarships": 0}
    assert benefits_received(2024, "16.02") == {"claims": 0, "scholarships": 0}


def test_cli_json(records):
    out = io.StringIO()
    call_command("claims_report", "--from", "2025-01-01", "--to", "2025-08-31", "--format",
                 "json", stdout=out)
    data = json.loads(out.getvalue())
    assert (data["claims"], data["amount"]) == (3, 174_000_000)
    assert data["by_program"] == [
        {"program": "jht", "label": "JHT", "claims": 1, "amount": 5_000_000},
        {"program": "jkk", "label": "JKK", "claims": 2, "amount": 169_000_000}]
    assert (data["scholarship_children"], data["scholarship_amount"]) == (2, 174_000_000)


def test_xlsx_and_pdf(records, tmp_path):
    from python_calamine import CalamineWorkbook

    rep = claim_report("16.02", JAN, AUG)
    book = CalamineWorkbook.from_filelike(io.BytesIO(report_xlsx(rep)))
    summary = book.get_sheet_by_index(0).to_python()
    assert summary[3][2] == 3 and summary[4][2] == 174_000_000
    assert "1 Jan 2025 s.d. 31 Agu 2025 · Data per " in summary[0][0]  # one date format
    programs = book.get_sheet_by_name("Program").to_python()
    assert programs[2] == ["Program", "Klaim", "Nilai (Rp)"]  # no internal-code column
    assert programs[3:] == [["JHT", 1, 5_000_000], ["JKK", 2, 169_000_000]]
    months = book.get_sheet_by_name("Bulan").to_python()
    assert all(re.fullmatch(r"[A-Z][a-z]{2} \d{4}", row[0]) for row in months[3:])
    assert len(months) > 3
    pdf = report_pdf(rep)
    assert pdf.startswith(b"%PDF-") and len(pdf) > 1000
    path = tmp_path / "r.pdf"
    call_command("claims_report", "--from", "2025-01-01", "--to", "2025-08-31", "--format",
                 "pdf", "--output", str(path), stdout=io.StringIO())
    assert path.read_bytes().startswith(b"%PDF-")


def test_miliar_rounding():
    assert miliar(8_330_000_000) == "Rp 8,33 miliar"
    assert miliar(8_334_999_999) == "Rp 8,33 miliar"
