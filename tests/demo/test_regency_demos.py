"""The province demo's per-regency records (issue 16): ``build_regency_demo`` of the claims and
santunan apps for a synthetic kabupaten/kota, in the test database (SQLite and PostgreSQL):
claims of the year through the BPJS report import, a synthetic death grant (or none) with cases
through the santunan services, one province DTSEN extract."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone

from jamsos.audit.models import AuditEvent
from jamsos.claims import demo as claims_demo
from jamsos.claims.models import Claim
from jamsos.demo.province import regency_plan, synthetic_regency
from jamsos.dtsen.models import DtsenRecord
from jamsos.dtsen.selectors import extract_in_force
from jamsos.registry.services import import_workers
from jamsos.santunan import demo as santunan_demo
from jamsos.santunan.models import Case, GrantVersion
from jamsos.santunan.selectors import has_santunan
from tests.factories import user

pytestmark = pytest.mark.django_db

LAHAT, MUARA_ENIM = "16.04", "16.03"  # a scheme / none (santunan_demo.WITHOUT_SCHEME)


@pytest.fixture
def regencies(settings):
    settings.JAMSOS_AREA = "16"
    today = timezone.localdate()
    taken: set[str] = set()
    for code in (LAHAT, MUARA_ENIM):
        workers, _targets = synthetic_regency(regency_plan(code, size=300), taken=taken)
        buf = io.BytesIO()
        workers.write_csv(buf, separator=";")
        assert not import_workers(buf.getvalue(), f"{code}.csv", area_code=code,
                                  today=today).rejected
    users = {"lahat": user("admin.lahat", "admin", LAHAT),
             "muaraenim": user("admin.muaraenim", "admin", MUARA_ENIM),
             "province": user("admin.sumsel", "admin", "16"),
             "bpjs": user("bpjs.kanwil", "bpjs", "16")}
    out = io.StringIO()
    for app in (claims_demo, santunan_demo):
        for code in (LAHAT, MUARA_ENIM):
            app.build_regency_demo(kabupaten_code=code, today=today, stdout=out)
    return users, today, out.getvalue()


def test_claims_of_the_year_in_both_regencies(regencies):
    _users, today, out = regencies
    for code in (LAHAT, MUARA_ENIM):
        claims = Claim.objects.filter(person__desa__code__startswith=code + ".")
        assert claims.count() >= 2, code
        assert all(dt.date(today.year, 1, 1) <= c.paid_on <= today for c in claims), code
        assert {c.program for c in claims} <= {"jkk", "jkm", "jht"}
    assert "Klaim Kabupaten Lahat" in out


def test_regency_rows_are_deterministic():
    candidates = [{"person_id": i, "person__nik": f"16040101019{i:05d}",
                   "person__birth_date": dt.date(1980, 1, 1),
                   "segment": "PU" if i % 2 else "BPU",
                   "wage": 1_000_000, "start_date": dt.date(2024, 1, 1),
                   "category": "pekerja_rentan"} for i in range(200)]
    today = dt.date(2026, 6, 30)
    first = claims_demo.regency_rows(candidates, LAHAT, today)
    assert first == claims_demo.regency_rows(candidates, LAHAT, today)
    assert first != claims_demo.regency_rows(candidates, MUARA_ENIM, today)
    assert len(first[0]) == max(2, round(200 * claims_demo.REGENCY_RATE))  # all claimable
    paid = [dt.datetime.strptime(line.split(";")[7], "%d-%m-%Y").date() for line in first[0]]
    assert all(dt.date(2026, 1, 1) <= d <= today for d in paid)


def test_a_synthetic_scheme_with_cases_in_several_states_and_none_elsewhere(regencies):
    users, _today, _out = regencies
    [version] = GrantVersion.objects.filter(kabupaten_code=LAHAT)
    assert version.unconfirmed and "sintetis" in version.citation
    assert version.created_by == users["lahat"]
    assert AuditEvent.objects.filter(object_type="santunan_grant_version",
                                     object_id=str(version.pk)).exists()
    cases = Case.objects.filter(desa__code__startswith=LAHAT + ".")
    assert cases.count() >= 5 and len({c.status for c in cases}) >= 4
    assert all(c.amount == version.amount for c in cases)
    assert not GrantVersion.objects.filter(kabupaten_code=MUARA_ENIM).exists()
    assert not Case.objects.filter(desa__code__startswith=MUARA_ENIM + ".").exists()
    assert has_santunan(users["lahat"]) and not has_santunan(users["muaraenim"])
    # one extract for the deployment, with rows of both regencies
    extract = extract_in_force(_today)
    assert extract.filename == santunan_demo.PROVINCE_EXTRACT
    for code in (LAHAT, MUARA_ENIM):
        assert DtsenRecord.objects.filter(extract=extract,
                                          desa_code__startswith=code + ".").exists()
