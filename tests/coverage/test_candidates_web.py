"""The candidates pages (issue 17): area scoping, masking, audited export, the enrol form."""

from __future__ import annotations

import pytest

from jamsos.audit.models import AuditEvent
from jamsos.registry.models import Enrolment
from tests.coverage.test_candidates import load, nik, row
from tests.factories import PASSWORD, TEBING_SULUH, ULAK_KAPAL, user

pytestmark = pytest.mark.django_db


@pytest.fixture
def extract():
    load(row(nik(1), name="Rina Wati", sex="P"), row(nik(2), name="Joko Susilo"),
         row(nik(3), desa=ULAK_KAPAL))


def signed_in(client, username, role, area):
    user(username, role, area)
    assert client.login(username=username, password=PASSWORD)
    return client


def test_kepala_desa_sees_own_desa_only_and_enrols(client, extract):
    c = signed_in(client, "kades", "kepala_desa", TEBING_SULUH)
    home = c.get("/").content.decode()
    assert "2 warga miskin usia kerja di DTSEN belum terlindungi" in home
    page = c.get(f"/cakupan/calon/{TEBING_SULUH}/").content.decode()
    assert "Rina Wati" in page and nik(1) in page and f">{TEBING_SULUH}" not in page
    assert c.get(f"/cakupan/calon/{ULAK_KAPAL}/").status_code == 404
    assert c.get("/cakupan/calon/?wilayah=16.02").status_code == 404
    summary = c.get("/cakupan/calon/").content.decode()
    assert "Rp 403.200" in summary
    r = c.post(f"/cakupan/calon/{TEBING_SULUH}/", {"nik": [nik(1)], "funding_source": "APBD"})
    assert r.status_code == 302
    assert Enrolment.objects.get(person__nik=nik(1)).category == "pekerja_rentan"
    page = c.get(r.url).content.decode()
    assert "1 orang didaftarkan sebagai pekerja rentan." in page and "Rina Wati" not in page
    r = c.post(f"/cakupan/calon/{TEBING_SULUH}/", {"nik": [nik(1), nik(2)],
                                                   "funding_source": "APBD"})
    assert r.status_code == 200 and "tidak ada yang disimpan" in r.content.decode()
    assert not Enrolment.objects.filter(person__nik=nik(2)).exists()


def test_roles_without_personal_data_see_masked_niks_and_exports_are_audited(client, extract):
    c = signed_in(client, "auditor", "auditor", "16.02")
    page = c.get(f"/cakupan/calon/{TEBING_SULUH}/").content.decode()
    assert "Rina Wati" in page and nik(1) not in page and 'name="nik"' not in page
    assert c.post(f"/cakupan/calon/{TEBING_SULUH}/", {"nik": [nik(1)],
                                                      "funding_source": "APBD"}).status_code == 403
    r = c.get(f"/cakupan/calon/{TEBING_SULUH}/ekspor.xlsx")
    assert r.status_code == 200 and r["Content-Disposition"].endswith('.xlsx"')
    event = AuditEvent.objects.get(action="export", object_type="candidates")
    assert event.changes["nik_unmasked"] == [None, False]


def test_pimpinan_sees_aggregates_not_names(client, extract):
    c = signed_in(client, "bupati", "pimpinan", "16.02")
    page = c.get("/cakupan/calon/").content.decode()
    assert "Lempuing" in page and "Rp 604.800" in page
    assert c.get(f"/cakupan/calon/{TEBING_SULUH}/").status_code == 403


def test_budget_page_shows_the_cover_every_candidate_scenario(client, extract):
    c = signed_in(client, "bupati", "pimpinan", "16.02")
    page = c.get("/iuran/anggaran/").content.decode()
    assert 'id="scenario-candidates"' in page and "Rp 604.800" in page
    assert "Lempuing" in page
