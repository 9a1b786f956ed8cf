"""Pages through Django's test client: area scoping, the public page, the web import."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jamsos.registry.models import ImportBatch, Person
from jamsos.registry.tasks import run_import
from tests.factories import HEADER, PASSWORD, PEOPLE, TEBING_SULUH, ULAK_KAPAL, import_rows, user

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    import_rows(*PEOPLE)


def login(client, username, role, area):
    user(username, role, area)
    assert client.login(username=username, password=PASSWORD)


def test_public_page_has_aggregates_and_no_personal_data(client, people):
    page = client.get(reverse("web:public"))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Lempuing" in text and "Kelembagaan desa" in text
    assert "Budi" not in text and "1602131708850001" not in text


def test_dashboard_requires_login(client):
    page = client.get(reverse("coverage:dashboard"))
    assert page.status_code == 302 and "/akun/masuk/" in page["Location"]


def test_kepala_desa_sees_only_their_desa(client, people):
    login(client, "kades", "kepala_desa", TEBING_SULUH)
    own = client.get(reverse("coverage:dashboard"))
    assert own.status_code == 200 and own.context["region"].code == TEBING_SULUH
    assert own.context["total"].covered == 2
    for code in (ULAK_KAPAL, "16.02.13", "16.02"):
        assert client.get(reverse("coverage:dashboard"), {"wilayah": code}).status_code == 404
        assert client.get(reverse("coverage:export"), {"wilayah": code}).status_code == 404
    assert client.get(reverse("coverage:worklist", args=[ULAK_KAPAL])).status_code == 404
    assert client.get(reverse("coverage:worklist", args=[TEBING_SULUH])).status_code == 200


def test_camat_drills_down_to_desa_and_exports(client, people):
    login(client, "camat", "camat", "16.02.13")
    page = client.get(reverse("coverage:dashboard"))
    assert page.context["child_level"] == "desa"
    assert {u.code for u in page.context["units"]} >= {TEBING_SULUH}
    export = client.get(reverse("coverage:export"), {"wilayah": TEBING_SULUH})
    book = openpyxl.load_workbook(io.BytesIO(export.content))
    assert book.sheetnames[0] == "Per kategori"
    values = [row for row in book.active.iter_rows(min_row=4, values_only=True)]
    assert ("kelembagaan_desa", "Kelembagaan desa", 0, 1, None) in values


def test_operator_imports_through_the_background_task(client, people):
    login(client, "op", "operator", "16.02")
    body = "\n".join([HEADER, f"1602135708910004;Rina;P;17-08-1991;{TEBING_SULUH};c;PKK",
                      f"1602130000000000;Rusak;P;17-08-1991;{TEBING_SULUH};c;PKK"])
    page = client.post(reverse("registry:imports"),
                       {"file": SimpleUploadedFile("desa.csv", body.encode())})
    batch = ImportBatch.objects.latest("id")
    assert page.status_code == 302 and batch.status == "queued"
    run_import.call(batch.pk)  # what the worker does with the queued task
    batch.refresh_from_db()
    assert batch.status == "done" and batch.summary["created"] == 1
    assert batch.summary["rejected"] == 1
    status = client.get(reverse("registry:import_status", args=[batch.pk])).json()
    assert status["status"] == "done" and status["rejected"] == 1
    rejected = client.get(reverse("registry:import_rejected", args=[batch.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(rejected.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Baris" and rows[1][0] == "3" and "NIK" in rows[1][-1]
    # The kept upload and its rejected rows hold personal data: readable by the service only.
    batch.refresh_from_db()
    for kept in (batch.stored_path, batch.rejected_path):
        assert Path(kept).stat().st_mode & 0o777 == 0o600, kept
    assert Person.objects.filter(nik="1602135708910004").exists()


def test_progress_inside_the_write_transaction_reaches_the_status_page(client, people,
                                                                       monkeypatch):
    """The write runs in one transaction; the status page must still see it move on."""
    from jamsos.registry.importing import writer

    login(client, "op", "operator", "16.02")
    body = "\n".join([HEADER, f"1602135708910004;Rina;P;17-08-1991;{TEBING_SULUH};c;PKK"])
    client.post(reverse("registry:imports"), {"file": SimpleUploadedFile("d.csv", body.encode())})
    batch = ImportBatch.objects.latest("id")
    seen = []
    real = writer.recompute_primary

    def spy(cur, **kwargs):  # the last step of the write, still inside the transaction
        seen.append(client.get(reverse("registry:import_status", args=[batch.pk])).json())
        return real(cur, **kwargs)

    monkeypatch.setattr(writer, "recompute_primary", spy)
    run_import.call(batch.pk)
    assert seen[0]["status"] == "running"
    assert seen[0]["progress"] == 92 and seen[0]["stage"] == "primary"
    batch.refresh_from_db()
    assert batch.progress == 100 and batch.status == "done"
    assert not Path(batch.stored_path).with_suffix(".progress.json").exists()


def test_kepala_desa_import_rejects_other_desa(client, people):
    login(client, "kades", "kepala_desa", TEBING_SULUH)
    body = "\n".join([HEADER, f"1602021708810005;Joko;L;17-08-1981;{ULAK_KAPAL};d;Ketua RT"])
    client.post(reverse("registry:imports"), {"file": SimpleUploadedFile("x.csv", body.encode())})
    batch = ImportBatch.objects.latest("id")
    run_import.call(batch.pk)
    batch.refresh_from_db()
    assert batch.summary["rejected"] == 1
    # a desa of the regency outside the kepala desa's own: refused, naming where it lies
    assert batch.summary["errors"][0]["code"] == "desa_outside_area"
    assert "Kecamatan" in batch.summary["errors"][0]["message"]
    assert not Person.objects.filter(nik="1602021708810005").exists()


def test_read_only_roles_cannot_import_or_set_targets(client):
    login(client, "bupati", "pimpinan", "16.02")
    body = "\n".join([HEADER, PEOPLE[0]]).encode()
    assert client.post(reverse("registry:imports"),
                       {"file": SimpleUploadedFile("x.csv", body)}).status_code == 403
    assert client.post(reverse("registry:targets"), {"rt_rw": "5"}).status_code == 403


def test_targets_page_saves_and_audits(client):
    login(client, "op", "operator", "16.02")
    page = client.post(reverse("registry:targets") + "?wilayah=16.02.13",
                       {"rt_rw": "1.200", "pkk": ""})
    assert page.status_code == 302
    from jamsos.audit.models import AuditEvent
    from jamsos.registry.models import Target

    assert Target.objects.get(region_id="16.02.13", category="rt_rw").headcount == 1200
    assert AuditEvent.objects.filter(object_type="target").count() == 1


def test_import_template_has_the_headers(client):
    response = client.get(reverse("registry:import_template"))
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    headers = [c.value for c in book["Pekerja"][1]]
    assert headers[:4] == ["NIK", "Nama", "Jenis Kelamin", "Tanggal Lahir"]


def test_english_locale(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("web:public"))
    assert page.status_code == 200


def test_guessed_person_ids_outside_the_area_are_not_found(client, people):
    ahmad = Person.objects.get(nik="1602021708800003")  # lives in Ulak Kapal
    budi = Person.objects.get(nik="1602131708850001")
    login(client, "kades", "kepala_desa", TEBING_SULUH)
    assert client.get(reverse("registry:person", args=[ahmad.pk])).status_code == 404
    assert client.post(reverse("registry:person", args=[ahmad.pk]),
                       {"name": "X"}).status_code == 404
    assert client.get(reverse("registry:person", args=[budi.pk])).status_code == 200
    listing = client.get(reverse("registry:people")).content.decode()
    assert "Budi Santoso" in listing and "Ahmad Fauzi" not in listing


def test_pimpinan_sees_aggregates_but_no_named_people(client, people):
    login(client, "bupati", "pimpinan", "16.02")
    assert client.get(reverse("coverage:dashboard")).status_code == 200
    for name, args in [("registry:people", []), ("registry:findings", []),
                       ("registry:imports", []), ("coverage:worklist", [TEBING_SULUH])]:
        assert client.get(reverse(name, args=args)).status_code == 403


def test_auditor_sees_masked_niks(client, people):
    login(client, "auditor", "auditor", "16.02")
    listing = client.get(reverse("registry:people")).content.decode()
    assert "Budi Santoso" in listing and "1602131708850001" not in listing
    assert "160213******0001" in listing


def test_operator_corrects_a_nik_through_the_form(client, people):
    budi = Person.objects.get(nik="1602131708850001")
    login(client, "op", "operator", "16.02")
    form = {"nik": "1602131708850009", "name": "Budi Santoso", "sex": "L",
            "birth_date": "1985-08-17", "desa_id": TEBING_SULUH, "phone": "", "kpj": ""}
    assert client.post(reverse("registry:person", args=[budi.pk]), form).status_code == 302
    budi.refresh_from_db()
    assert budi.nik == "1602131708850009"
    bad = client.post(reverse("registry:person", args=[budi.pk]), {**form, "nik": "123"})
    assert bad.status_code == 200 and "16 digit" in bad.content.decode()


def test_error_pages_carry_no_personal_data(client, people, settings):
    from django.urls import path

    from jamsos import urls

    def boom(request):
        raise RuntimeError("gagal memproses NIK 1602131708850001")

    settings.DEBUG = False
    urls.urlpatterns.append(path("boom/", boom))
    try:
        client.raise_request_exception = False
        page = client.get("/boom/")
    finally:
        urls.urlpatterns.pop()
    assert page.status_code == 500
    assert "1602131708850001" not in page.content.decode()
    assert "Terjadi kesalahan sistem" in page.content.decode()
    missing = client.get("/tidak-ada/")
    assert missing.status_code == 404 and "Halaman tidak ditemukan" in missing.content.decode()


def test_rejected_rows_file_masks_niks_for_roles_without_personal_data_rights(client, people):
    """Issue 15 (Low): the auditor (people, but no personal data) got full NIKs."""
    login(client, "op", "operator", "16.02")
    body = "\n".join([HEADER + ";No HP",
                      f"1602135708910004;Rina;P;17-08-1991;{TEBING_SULUH};z;PKK;081234567890"])
    client.post(reverse("registry:imports"), {"file": SimpleUploadedFile("d.csv", body.encode())})
    batch = ImportBatch.objects.latest("id")
    run_import.call(batch.pk)

    def cells():
        reply = client.get(reverse("registry:import_rejected", args=[batch.pk]))
        assert reply.status_code == 200
        sheet = openpyxl.load_workbook(io.BytesIO(reply.content)).active
        return " ".join(str(v) for row in sheet.iter_rows(values_only=True) for v in row)

    assert "1602135708910004" in cells() and "081234567890" in cells()
    client.logout()
    login(client, "aud", "auditor", "16.02")
    text = cells()
    assert "1602135708910004" not in text and "160213******0004" in text
    assert "081234567890" not in text and "Rina" in text


def test_a_locked_sqlite_database_answers_503_with_retry_after(client, monkeypatch):
    """Issue 15 #8: while a long import held SQLite's write lock, sign-in and the status page
    answered 500 "database is locked"; they now say "busy, retry shortly"."""
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import OperationalError
    from django.test import Client

    user("op", "operator", "16.02")

    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(SessionStore, "save", locked)
    quiet = Client(raise_request_exception=False)
    page = quiet.post(reverse("accounts:login"), {"username": "op", "password": PASSWORD})
    assert page.status_code == 503 and page["Retry-After"] == "10"
    assert "sedang sibuk" in page.content.decode()
    json_page = quiet.post(reverse("accounts:login"), {"username": "op", "password": PASSWORD},
                           HTTP_ACCEPT="application/json")
    assert json_page.status_code == 503 and "sibuk" in json_page.json()["detail"]


def test_an_unreachable_database_answers_503_on_pages_too(client, monkeypatch):
    """Found by the chaos suite: while PostgreSQL restarts, pages answered the generic 500
    page (the API already said 503); now they say "unreachable, retry shortly"."""
    from django.db import OperationalError
    from django.test import Client

    from jamsos.web import homes

    def gone(*args, **kwargs):
        raise OperationalError("terminating connection due to administrator command")

    monkeypatch.setattr(homes, "overview", gone)
    monkeypatch.setattr("jamsos.web.views.overview", gone)
    page = Client(raise_request_exception=False).get(reverse("web:public"))
    assert page.status_code == 503 and page["Retry-After"] == "10"
    assert "tidak dapat dihubungi" in page.content.decode()

