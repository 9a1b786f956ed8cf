"""Pages and exports: area scoping (404 outside the area), roles, the budget."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from python_calamine import CalamineWorkbook

from jamsos.premiums.models import Invoice
from jamsos.premiums.selectors import budget, premiums_vs_benefits
from jamsos.premiums.services import reconcile, record_payment, run_billing
from jamsos.registry.models import Enrolment
from jamsos.registry.services import set_target
from tests.factories import PASSWORD, TEBING_SULUH, ULAK_KAPAL, user

from .conftest import AHMAD, BUDI, SITI

pytestmark = pytest.mark.django_db
SEP = dt.date(2025, 9, 1)


def client_for(client, username, role, area):
    user(username, role, area)
    client.login(username=username, password=PASSWORD)
    return client


@pytest.fixture
def split(people):
    """Ahmad's bill is paid by his desa (APBDes Ulak Kapal); the others by DPMD (APBD)."""
    Enrolment.objects.filter(person__nik=AHMAD).update(funding_source="APBDES")
    run_billing(SEP)
    return {i.payer_key: i for i in Invoice.objects.all()}


def sheet_rows(content: bytes, index: int = 0) -> list[list]:
    return CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(index) \
        .to_python()


def test_camat_sees_only_the_lines_of_the_kecamatan(client, split):
    c = client_for(client, "camat", "camat", "16.02.13")
    page = c.get("/iuran/tagihan/2025-09/").content.decode()
    assert split["APBD:DPMD"].number in page
    assert split["APBDES:16.02.02.2001"].number not in page
    assert c.get(f"/iuran/faktur/{split['APBDES:16.02.02.2001'].pk}/").status_code == 404
    assert c.get(f"/iuran/faktur/{split['APBDES:16.02.02.2001'].pk}/ekspor.xlsx"
                 ).status_code == 404
    assert c.get("/iuran/faktur/999999/").status_code == 404
    # The APBD invoice is visible, with the kecamatan's lines only, and cannot be paid here.
    r = c.get(f"/iuran/faktur/{split['APBD:DPMD'].pk}/ekspor.xlsx")
    niks = {row[0] for row in sheet_rows(r.content)[3:]}
    assert niks == {BUDI, SITI}
    r = c.post(f"/iuran/faktur/{split['APBD:DPMD'].pk}/bayar/",
               {"amount": "100", "paid_on": "2025-10-01", "reference": "x"})
    assert r.status_code == 403


def test_kabupaten_operator_pays_and_export_has_the_totals(client, split):
    c = client_for(client, "op", "operator", "16.02")
    inv = split["APBD:DPMD"]
    r = c.post(f"/iuran/faktur/{inv.pk}/bayar/",
               {"amount": "33600", "paid_on": "2025-10-01", "reference": "SP2D-9"})
    assert r.status_code == 302
    inv.refresh_from_db()
    assert inv.status == "paid"
    rows = sheet_rows(c.get("/iuran/tagihan/2025-09/ekspor.xlsx").content)
    assert rows[0][0] == "PEMERINTAH KABUPATEN OGAN KOMERING ILIR"
    assert rows[-1][:7] == ["Jumlah", "", "", 3, 44_400, 33_600, 10_800]


def test_pimpinan_reads_but_cannot_bill_or_pay(client, split):
    c = client_for(client, "bupati", "pimpinan", "16.02")
    assert c.get("/iuran/").status_code == 200
    assert c.post("/iuran/tagih/", {"period": "2025-10"}).status_code == 403
    assert c.post(f"/iuran/faktur/{split['APBD:DPMD'].pk}/bayar/",
                  {"amount": "1", "paid_on": "2025-10-01", "reference": "x"}).status_code == 403


def test_reconciliation_pages_are_scoped(client, split):
    data = "\n".join(["NIK;Iuran", f"{AHMAD};10800", f"{BUDI};16800", f"{SITI};9999",
                      "1602131708990009;16800"]).encode()
    rec = reconcile(data, "b.csv", period=SEP)
    kades = client_for(client, "kades", "kepala_desa", ULAK_KAPAL)
    rows = sheet_rows(kades.get(f"/iuran/rekonsiliasi/{rec.pk}/ekspor.xlsx").content)
    # Header block, blank, table header, six classes, total: only Ahmad (matched) is here.
    table = {r[0]: r[2] for r in rows if r and r[0] in
             ("matched", "amount_differs", "not_in_registry", "duplicate")}
    assert table == {"matched": 1, "amount_differs": 0, "not_in_registry": 0, "duplicate": 0}
    page = kades.get(f"/iuran/rekonsiliasi/{rec.pk}/").content.decode()
    assert SITI[:6] not in page and "1602131708990009" not in page


def test_budget_current_cost_and_cost_of_the_target(people):
    set_target(region_code=TEBING_SULUH, category="rt_rw", headcount=3)
    b = budget(2026, "16.02", today=dt.date(2025, 10, 1))
    # Current coverage, priced for 12 months of 2026: RT/RW and kader (BPU, APBD) 16.800 ×
    # 12 = 201.600 each; Ahmad (PU Rp2 jt, JKK 4.800 + JKM 6.000) × 12 = 129.600.
    assert b.apbd_current == 201_600 * 2 + 129_600
    assert b.by_category == {"rt_rw": 201_600, "kelembagaan_desa": 201_600,
                             "perangkat_desa": 129_600}
    lempuing = next(r for r in b.rows if r.kecamatan == "16.02.13" and r.category == "rt_rw")
    assert (lempuing.covered, lempuing.target, lempuing.shortfall) == (1, 3, 2)
    assert lempuing.additional_cost == 2 * 201_600 and b.additional == 403_200
    # A category with no member: a standard BPU member (Rp1 jt, JKK+JKM) = 16.800 × 12.
    assert b.per_person["pekerja_rentan"] == 201_600


def test_budget_cli_json(people, capsys):
    call_command("budget", year=2026, format="json")
    out = json.loads(capsys.readouterr().out)
    assert out["apbd_current"] > 0 and out["premiums_vs_benefits"]["message"] in (
        "belum ada data klaim", "")


def test_premiums_paid_against_benefits(split, monkeypatch):
    from jamsos.premiums import selectors

    record_payment(split["APBD:DPMD"], amount=33_600, paid_on=dt.date(2025, 10, 3),
                   reference="x")
    monkeypatch.setattr(selectors, "_claims_benefits", lambda area, year: None)  # no claims app
    pvb = premiums_vs_benefits("16.02", 2025)
    assert not pvb.has_benefits and pvb.message == "belum ada data klaim"
    assert pvb.premiums == 33_600
    pvb = premiums_vs_benefits("16.02", 2025, benefits=[
        {"desa_code": TEBING_SULUH, "category": "rt_rw", "amount": 42_000_000}])
    assert pvb.benefits == 42_000_000
    row = next(r for r in pvb.rows if r["category"] == "rt_rw")
    assert (row["kecamatan"], row["premiums"], row["benefits"]) == ("16.02.13", 16_800,
                                                                    42_000_000)


def test_billing_cli_json(people, capsys):
    call_command("billing_run", period="2025-09", format="json")
    out = json.loads(capsys.readouterr().out)
    assert out["total"] == 44_400 and out["created"] is True
    assert [i["billed"] for i in out["invoices"]] == [44_400]
    call_command("billing_run", period="2025-09", format="json")
    assert json.loads(capsys.readouterr().out)["created"] is False


def test_person_page_shows_eligibility_within_the_area(client, people):
    c = client_for(client, "kades", "kepala_desa", TEBING_SULUH)
    ahmad = Enrolment.objects.get(person__nik=AHMAD).person_id
    budi = Enrolment.objects.get(person__nik=BUDI).person_id
    assert c.get(f"/iuran/orang/{ahmad}/").status_code == 404
    assert "Terlindungi" in c.get(f"/iuran/orang/{budi}/").content.decode()


def test_pimpinan_sees_self_paid_invoices_without_the_workers_name(client, people):
    Enrolment.objects.filter(person__nik=SITI).update(funding_source="MANDIRI")
    run_billing(SEP)
    mandiri = Invoice.objects.get(payer_key__startswith="MANDIRI:")
    c = client_for(client, "bupati", "pimpinan", "16.02")
    page = c.get("/iuran/tagihan/2025-09/").content.decode()
    assert mandiri.payer_name not in page and "Mandiri (nama disembunyikan)" in page
    c.logout()
    op = client_for(client, "op-m", "operator", "16.02")
    assert mandiri.payer_name in op.get("/iuran/tagihan/2025-09/").content.decode()


def test_web_refuses_a_far_future_month_and_an_oversized_bill(client, people, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from jamsos.premiums.models import BillingRun, Reconciliation

    op = client_for(client, "op", "operator", "16.02")
    page = op.post("/iuran/tagih/", {"period": "2205-09"}, follow=True)
    assert "paling lambat" in page.content.decode()
    assert not BillingRun.objects.exists()
    run_billing(SEP)
    settings.JAMSOS_MAX_IMPORT_BYTES = 10
    data = "\n".join(["NIK;Iuran", f"{AHMAD};10800"]).encode()
    page = op.post("/iuran/rekonsiliasi/", {"period": "2025-09",
                                             "file": SimpleUploadedFile("b.csv", data)})
    assert "terlalu besar" in page.content.decode()
    assert not Reconciliation.objects.exists()


def test_pimpinan_export_hides_the_self_paid_workers_name(client, people):
    """Issue 15 #3: the invoice export hid nothing the page hides."""
    Enrolment.objects.filter(person__nik=SITI).update(funding_source="MANDIRI")
    run_billing(SEP)
    mandiri = Invoice.objects.get(payer_key__startswith="MANDIRI:")
    c = client_for(client, "bupati", "pimpinan", "16.02")
    cells = [str(v) for row in sheet_rows(c.get("/iuran/tagihan/2025-09/ekspor.xlsx").content)
             for v in row]
    assert mandiri.payer_name not in cells and "Mandiri (nama disembunyikan)" in cells
    c.logout()
    op = client_for(client, "op-m", "operator", "16.02")
    cells = [str(v) for row in sheet_rows(op.get("/iuran/tagihan/2025-09/ekspor.xlsx").content)
             for v in row]
    assert mandiri.payer_name in cells
