"""The candidates pages (issue 17): area scoping, masking, audited export, the enrol form."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jamsos.audit.models import AuditEvent
from jamsos.coverage.models import Exclusion
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


def test_rows_without_kode_desa_show_on_the_kabupaten_page_so_totals_add_up(client, extract):
    load(row(nik(1)), row(nik(2), desa=""), row(nik(3), desa=""), row(nik(4), desa=ULAK_KAPAL),
         valid_from=dt.date(2025, 6, 1))
    c = signed_in(client, "bupati", "pimpinan", "16.02")
    page = c.get("/cakupan/calon/").content.decode()
    no_desa = page.split('id="cand-no-desa"')[1].split("</tr>")[0]
    assert "Tanpa kode desa" in no_desa and ">2<" in no_desa and "Rp 403.200" in no_desa
    assert "Rp 806.400" in page.split("<tfoot>")[1]  # 4 × Rp 201.600: kecamatan + no desa
    assert "Batas umur kerja belum dipastikan dengan peraturan." in page  # flagged unconfirmed
    kec = c.get("/cakupan/calon/?wilayah=16.02.13").content.decode()
    assert 'id="cand-no-desa"' not in kec and "Rp 201.600" in kec.split("<tfoot>")[1]


def test_exclusion_list_upload_for_admin_and_operator_with_row_report(client, extract):
    c = signed_in(client, "op", "operator", "16.02")
    assert 'id="exclusions-link"' in c.get("/cakupan/calon/").content.decode()
    data = f"NIK;Alasan\n{nik(1)};PNS\n123;ASN\n{nik(2)};pensiun\n".encode()
    page = c.post("/cakupan/calon/pengecualian/",
                  {"file": SimpleUploadedFile("asn.csv", data)}).content.decode()
    assert 'id="n-stored">1<' in page and 'id="n-rejected">2<' in page
    assert 'data-code="nik_invalid"' in page and 'data-code="reason_invalid"' in page
    assert list(Exclusion.objects.values_list("nik", "reason")) == [(nik(1), "asn")]
    event = AuditEvent.objects.get(action="import", object_type="exclusion_list")
    assert event.changes["file"] == [None, "asn.csv"]
    assert "Rp 403.200" in c.get("/cakupan/calon/").content.decode()  # 3 → 2 candidates
    assert "ASN" in c.get("/cakupan/calon/pengecualian/").content.decode()
    for username, role, area in (("kades", "kepala_desa", TEBING_SULUH),
                                 ("bupati", "pimpinan", "16.02"),
                                 ("dinsos", "verifikator", "16.02")):
        other = signed_in(client, username, role, area)
        assert 'id="exclusions-link"' not in other.get("/cakupan/calon/").content.decode()
        assert other.get("/cakupan/calon/pengecualian/").status_code == 403
        assert other.post("/cakupan/calon/pengecualian/",
                          {"file": SimpleUploadedFile("x.csv", data)}).status_code == 403
    signed_in(client, "admin1", "admin", "16.02")
    assert client.get("/cakupan/calon/pengecualian/").status_code == 200
