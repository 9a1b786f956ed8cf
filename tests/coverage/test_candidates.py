"""Pekerja rentan candidates from DTSEN (issue 17): who they are, per area, their premium,
the enrol action, the exclusion list and the CLI."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from jamsos.audit.models import AuditEvent
from jamsos.coverage import candidates
from jamsos.coverage.exclusions import import_exclusions
from jamsos.coverage.services import EnrolError, enrol_candidates
from jamsos.dtsen.importing import import_extract
from jamsos.dtsen.models import DtsenExtract
from jamsos.registry.models import Enrolment, Person
from jamsos.rules.coverage import age_on, years_before
from tests.factories import PEOPLE, TEBING_SULUH, ULAK_KAPAL, import_rows, user

pytestmark = pytest.mark.django_db

HEADER = "NIK;No KK;Desil;Nama;Kode Desa;Tanggal Lahir;Jenis Kelamin;Pekerjaan"
KK = "1602130101090001"
BUDI = "1602131708850001"  # in PEOPLE: covered (Ketua RT)


def nik(serial: int) -> str:
    return f"16021301019{serial:05d}"


def row(n: str, decile=3, desa=TEBING_SULUH, born="17-08-1990", name=None, sex="L"):
    name = f"Warga {n[-4:]}" if name is None else name
    return f"{n};{KK};{decile};{name};{desa};{born};{sex};Petani"


def load(*rows: str, valid_from: dt.date | None = None):
    report = import_extract("\n".join([HEADER, *rows]).encode(), "dtsen.csv",
                            valid_from=valid_from or dt.date(2025, 1, 1))
    assert report.errors == [], report.errors
    return report


def cand_niks(area=TEBING_SULUH) -> set[str]:
    rows, _n = candidates.worklist(area, page_size=10_000)
    return {c.nik for c in rows}


def test_covered_dead_and_excluded_people_are_never_candidates():
    import_rows(*PEOPLE)
    load(row(BUDI), row(nik(1)), row(nik(2)), row(nik(3)))
    assert cand_niks() == {nik(1), nik(2), nik(3)}
    report = import_exclusions(f"NIK;Alasan;Sumber\n{nik(1)};ASN;BKPSDM\n{nik(2)};TNI/Polri;"
                               f"\n1234;ASN;\n{nik(3)};pensiunan;".encode(), "x.csv")
    assert report.stored == 2
    assert {(e["row"], e["code"]) for e in report.errors} == {(4, "nik_invalid"),
                                                               (5, "reason_invalid")}
    assert cand_niks() == {nik(3)}
    import_rows(f"{nik(3)};Warga 3;L;17-08-1990;{TEBING_SULUH};e;")  # now enrolled
    assert cand_niks() == set()


def test_an_ended_enrolment_makes_the_person_a_candidate_again():
    import_rows(*PEOPLE)
    load(row(BUDI))
    Enrolment.objects.filter(person__nik=BUDI).update(end_date=dt.date(2025, 10, 1))
    assert cand_niks() == {BUDI}
    Person.objects.filter(nik=BUDI).update(died_on=dt.date(2025, 10, 1))
    assert cand_niks() == set()


def test_a_newer_extract_replaces_the_list():
    load(row(nik(1)), row(nik(2)))
    assert cand_niks() == {nik(1), nik(2)}
    load(row(nik(2)), row(nik(3)), valid_from=dt.date(2025, 6, 1))
    assert cand_niks() == {nik(2), nik(3)}
    load(row(nik(9)), valid_from=timezone.localdate() + dt.timedelta(days=30))  # not yet
    assert cand_niks() == {nik(2), nik(3)}


def test_deciles_above_the_setting_are_not_candidates(settings):
    load(*(row(nik(d), decile=d) for d in range(1, 11)))
    assert cand_niks() == {nik(d) for d in range(1, 6)}
    settings.JAMSOS_CANDIDATE_MAX_DECILE = 3
    assert cand_niks() == {nik(d) for d in range(1, 4)}


@hsettings(max_examples=15, deadline=None,
           suppress_health_check=[HealthCheck.function_scoped_fixture,
                                  HealthCheck.too_slow])
@given(offsets=st.lists(st.integers(-3, 3), min_size=1, max_size=6),
       edge=st.sampled_from(["min", "max"]))
def test_working_age_boundaries(offsets, edge):
    today = timezone.localdate()
    c = candidates.criteria(today)
    years = c.age.min_age if edge == "min" else c.age.max_age + 1
    births = [years_before(today, years) + dt.timedelta(days=o) for o in offsets]
    rows = [row(nik(i), born=b.strftime("%d-%m-%Y")) for i, b in enumerate(births, 1)]
    # examples share the database: each loads a newer extract
    load(*rows, valid_from=dt.date(2025, 1, 1) + dt.timedelta(days=DtsenExtract.objects.count()))
    want = {nik(i) for i, b in enumerate(births, 1)
            if c.age.min_age <= age_on(b, today) <= c.age.max_age}
    assert cand_niks() == want


def test_counts_per_desa_kecamatan_and_kabupaten_with_the_bpu_premium():
    load(row(nik(1)), row(nik(2)), row(nik(3), desa=ULAK_KAPAL), row(nik(4), desa=""))
    kab = candidates.summary()
    assert kab.criteria.premium.amount == 201_600  # 12 × (JKK 10.000 + JKM 6.800)
    assert (kab.total, kab.annual_premium, kab.unknown_desa) == (4, 4 * 201_600, 1)
    assert [(d.code, d.candidates) for d in kab.by_desa] == [(ULAK_KAPAL, 1),
                                                             (TEBING_SULUH, 2)]
    assert [(k.code, k.candidates) for k in kab.by_kecamatan] == [("16.02.02", 1),
                                                                  ("16.02.13", 2)]
    kec = candidates.summary("16.02.13")
    assert (kec.total, [d.code for d in kec.by_desa]) == (2, [TEBING_SULUH])
    assert candidates.summary(ULAK_KAPAL).total == 1


def test_cli_prints_json_for_an_area():
    load(row(nik(1)), row(nik(2)), row(nik(3), desa=ULAK_KAPAL))
    out = StringIO()
    call_command("coverage_candidates", "--format", "json", stdout=out)
    body = json.loads(out.getvalue())
    assert body["total"] == 3 and body["annual_premium"] == 604_800
    assert body["by_desa"][1] == {"code": TEBING_SULUH, "name": "Tebing Suluh",
                                  "candidates": 2, "annual_premium": 403_200}
    out = StringIO()
    call_command("coverage_candidates", "--area", "16.02.02", "--format", "json", stdout=out)
    assert json.loads(out.getvalue())["by_desa"] == [
        {"code": ULAK_KAPAL, "name": "Ulak Kapal", "candidates": 1, "annual_premium": 201_600}]


def test_enrol_is_all_or_nothing_and_audited():
    import_rows(*PEOPLE)
    kades = user("kades", "kepala_desa", TEBING_SULUH)
    load(row(nik(1)), row(nik(2)), row(nik(3), name=""), row(nik(4), desa=ULAK_KAPAL))
    before = Enrolment.objects.count()
    for chosen in ([nik(1), nik(3)], [nik(1), BUDI], [nik(1), nik(4)]):
        with pytest.raises(EnrolError):
            enrol_candidates(user=kades, desa_code=TEBING_SULUH, niks=chosen,
                             funding_source="APBDES")
        assert Enrolment.objects.count() == before
    with pytest.raises(PermissionError):
        enrol_candidates(user=kades, desa_code=ULAK_KAPAL, niks=[nik(4)],
                         funding_source="APBD")
    batch = enrol_candidates(user=kades, desa_code=TEBING_SULUH, niks=[nik(1), nik(2)],
                             funding_source="APBDES")
    new = Enrolment.objects.filter(import_batch_id=batch.pk)
    assert sorted(new.values_list("person__nik", "category", "segment", "funding_source",
                                  "wage")) == [
        (nik(1), "pekerja_rentan", "BPU", "APBDES", 1_000_000),
        (nik(2), "pekerja_rentan", "BPU", "APBDES", 1_000_000)]
    assert AuditEvent.objects.filter(action="enrol", object_id=str(batch.pk)).exists()
    assert cand_niks() == {nik(3)}


def test_universal_target_is_covered_plus_candidates(settings):
    from jamsos.coverage.selectors import coverage_by_area, coverage_by_category
    from jamsos.registry.services import set_target

    import_rows(f"{nik(7)};Warga 7;L;17-08-1990;{TEBING_SULUH};e;")  # a covered pekerja rentan
    set_target(region_code=TEBING_SULUH, category="pekerja_rentan", headcount=50)
    load(row(nik(1)), row(nik(2)), row(nik(3), desa=ULAK_KAPAL), row(nik(7)))
    assert {r.code: r for r in coverage_by_category()}["pekerja_rentan"].target == 50
    settings.JAMSOS_RENTAN_TARGET_FROM_CANDIDATES = True
    rows = {r.code: r for r in coverage_by_category()}
    assert (rows["pekerja_rentan"].target, rows["pekerja_rentan"].covered) == (4, 1)
    desa = {r.code: r for r in coverage_by_area("16.02.13", level="desa",
                                                category="pekerja_rentan")}
    assert (desa[TEBING_SULUH].target, str(desa[TEBING_SULUH].percent)) == (3, "33.3")
