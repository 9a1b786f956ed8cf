"""The candidates API (issue 17): summary per area, a desa's named worklist (masked, scoped),
the exclusion list upload (the CLI's row errors) and the enrol action."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from jamsos.audit.models import AuditEvent
from jamsos.coverage.models import Exclusion
from jamsos.registry.models import Enrolment
from tests.api.test_domain_api import bearer, post
from tests.coverage.test_candidates import load, nik, row
from tests.factories import TEBING_SULUH, ULAK_KAPAL, user

pytestmark = pytest.mark.django_db

URL = "/api/v1/candidates"
EXCLUSIONS = "NIK;Alasan;Sumber\n{a};ASN;BKPSDM\n1234;ASN;\n{b};pensiunan;\n"


@pytest.fixture
def extract():
    load(row(nik(1), name="Rina Wati", sex="P"), row(nik(2), name="Joko Susilo"),
         row(nik(3), desa=ULAK_KAPAL), row(nik(4), desa=""))
    user("kades", "kepala_desa", TEBING_SULUH)
    user("bupati", "pimpinan", "16.02")
    user("auditor", "auditor", "16.02")
    user("op", "operator", "16.02")


def test_summary_per_kecamatan_desa_and_kabupaten_of_the_callers_area(client, extract):
    body = client.get(URL, **bearer(client, "bupati")).json()
    assert (body["area_code"], body["total"], body["annual_premium"]) == ("16.02", 4, 4 * 201_600)
    assert (body["no_desa"], body["no_desa_annual_premium"]) == (1, 201_600)
    assert [(k["code"], k["candidates"]) for k in body["by_kecamatan"]] == [
        ("16.02.02", 1), ("16.02.13", 2)]
    assert [(d["code"], d["candidates"]) for d in body["by_desa"]] == [
        (ULAK_KAPAL, 1), (TEBING_SULUH, 2)]
    assert body["per_person"] == 201_600 and body["max_decile"] == 5
    # the total adds up: kecamatan + no desa
    assert sum(k["candidates"] for k in body["by_kecamatan"]) + body["no_desa"] == body["total"]
    kades = bearer(client, "kades")
    own = client.get(URL, **kades).json()
    assert (own["area_code"], own["total"], own["no_desa"]) == (TEBING_SULUH, 2, 0)
    assert client.get(f"{URL}?area=16.02", **kades).status_code == 404
    assert client.get(f"{URL}?area=99.99", **bearer(client, "bupati")).status_code == 404


def test_worklist_is_named_scoped_paged_and_masked(client, extract):
    kades = bearer(client, "kades")
    reply = client.get(f"{URL}/desa/{TEBING_SULUH}?limit=1", **kades)
    assert reply.status_code == 200, reply.content
    body = reply.json()
    assert (body["count"], body["annual_premium"]) == (2, 403_200)
    assert [(p["nik"], p["name"]) for p in body["items"]] == [(nik(2), "Joko Susilo")]
    second = client.get(f"{URL}/desa/{TEBING_SULUH}?limit=1&offset=1", **kades).json()
    assert [p["name"] for p in second["items"]] == ["Rina Wati"]
    assert AuditEvent.objects.filter(action="view_personal_list",
                                     object_type="candidates").count() == 2
    assert client.get(f"{URL}/desa/{ULAK_KAPAL}", **kades).status_code == 404
    assert client.get(f"{URL}/desa/16.02.13", **kades).status_code == 404  # not a desa
    masked = client.get(f"{URL}/desa/{TEBING_SULUH}", **bearer(client, "auditor")).json()
    assert {p["name"] for p in masked["items"]} == {"Rina Wati", "Joko Susilo"}
    assert nik(1) not in json.dumps(masked) and "1602130101090001" not in json.dumps(masked)
    assert client.get(f"{URL}/desa/{TEBING_SULUH}", **bearer(client, "bupati")).status_code == 403


def test_exclusions_upload_reports_the_clis_row_errors(client, extract, tmp_path):
    data = EXCLUSIONS.format(a=nik(1), b=nik(2)).encode()
    op = bearer(client, "op")
    dry = client.post(f"{URL}/exclusions", {"file": SimpleUploadedFile("x.csv", data),
                                            "dry_run": "true"}, **op)
    assert dry.status_code == 200 and not Exclusion.objects.exists()
    reply = client.post(f"{URL}/exclusions", {"file": SimpleUploadedFile("x.csv", data)}, **op)
    assert reply.status_code == 201, reply.content
    body = reply.json()
    path = tmp_path / "x.csv"
    path.write_bytes(data)
    out = StringIO()
    call_command("coverage_exclusions", str(path), "--dry-run", "--format", "json", stdout=out)
    cli = json.loads(out.getvalue())
    assert body["errors"] == cli["errors"] and {(e["row"], e["code"]) for e in body["errors"]} == {
        (3, "nik_invalid"), (4, "reason_invalid")}
    assert (body["stored"], body["rejected"]) == (1, 2)
    assert list(Exclusion.objects.values_list("nik", flat=True)) == [nik(1)]
    assert AuditEvent.objects.filter(action="import", object_type="exclusion_list").exists()
    assert client.get(URL, **op).json()["total"] == 3  # Rina is excluded now
    for who in ("kades", "bupati"):
        refused = client.post(f"{URL}/exclusions", {"file": SimpleUploadedFile("x.csv", data)},
                              **bearer(client, who))
        assert refused.status_code == 403
    bad = client.post(f"{URL}/exclusions", {"file": SimpleUploadedFile("x.csv", b"Nama\nx\n")},
                      **op)
    assert bad.status_code == 422 and bad.json()["field"] == "file"


def test_enrol_chosen_candidates(client, extract):
    kades = bearer(client, "kades")
    url = f"{URL}/desa/{TEBING_SULUH}/enrol"
    reply = post(client, url, {"niks": [nik(1)], "funding_source": "APBDES"}, kades)
    assert reply.status_code == 201, reply.content
    assert reply.json()["enrolled"] == 1
    e = Enrolment.objects.get(person__nik=nik(1))
    assert (e.category, e.funding_source, e.import_batch_id) == (
        "pekerja_rentan", "APBDES", reply.json()["batch_id"])
    assert client.get(URL, **kades).json()["total"] == 1  # the stored counts follow
    again = post(client, url, {"niks": [nik(1), nik(2)], "funding_source": "APBD"}, kades)
    assert again.status_code == 422 and again.json()["field"] == "niks"
    assert not Enrolment.objects.filter(person__nik=nik(2)).exists()
    assert post(client, url, {"niks": [nik(2)], "funding_source": "X"}, kades).status_code == 422
    assert post(client, f"{URL}/desa/{ULAK_KAPAL}/enrol",
                {"niks": [nik(3)], "funding_source": "APBD"}, kades).status_code == 404
    assert post(client, url, {"niks": [nik(2)], "funding_source": "APBD"},
                bearer(client, "auditor")).status_code == 403
