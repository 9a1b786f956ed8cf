"""Forms that help (issue 13 item 5): every error at once, in a summary and at its field, the
input kept; the web form and the API refuse the same input with the same field and message;
the eligibility checks shown before sending and before forwarding."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jamsos.santunan import services
from jamsos.santunan.models import Case, Status
from tests.api.test_domain_api import bearer, post
from tests.santunan.conftest import case_data, make_case

pytestmark = pytest.mark.django_db

BAD = {"deceased_nik": "12345", "no_kk": "12", "account_number": "rek-abc",
       "heir_name": "", "death_place": "  ", "died_on": "2099-01-01"}


def web_errors(response) -> dict:
    return {f: " ".join(m) for f, m in response.context["form"].errors.items()}


def test_every_error_at_once_in_a_summary_input_kept(client, people, users):
    client.force_login(users["desa"])
    page = client.post(reverse("santunan:new"), case_data(**BAD))
    assert page.status_code == 200 and not Case.objects.exists()
    errors = web_errors(page)
    assert set(errors) == {"deceased_nik", "no_kk", "account_number", "heir_name",
                           "death_place", "died_on"}
    html = page.content.decode()
    assert 'role="alert"' in html and "Ada masalah" in html
    for field, message in errors.items():
        assert f'<a href="#id_{field}">{message}</a>' in html
    assert 'value="Budi Santoso"' in html and 'value="12345"' in html  # input kept


def test_web_and_api_refuse_the_same_input_the_same_way(client, people, users):
    client.force_login(users["desa"])
    web = web_errors(client.post(reverse("santunan:new"), case_data(**BAD)))
    body = {**case_data(**BAD)}
    body["desa_code"] = body.pop("desa_id")
    reply = post(client, "/api/v1/santunan/cases", body, bearer(client, "kades"))
    assert reply.status_code == 422
    api = {("desa_id" if e["field"] == "desa_code" else e["field"]): e["detail"]
           for e in reply.json()["errors"]}
    assert api == web
    first = next(iter(web.items()))
    assert (reply.json()["field"], reply.json()["detail"]) == first


def test_kepala_desa_sees_failing_checks_on_the_draft(client, people, users):
    case = make_case(users)  # no DTSEN extract in force: the DTSEN check fails
    client.force_login(users["desa"])
    html = client.get(reverse("santunan:detail", args=[case.pk])).content.decode()
    assert 'data-check="dtsen"' in html and "checks-warning" in html
    assert "Tetap kirim ke kecamatan" in html
    assert html.index('id="checks"') < html.index('id="case-actions"')


def test_camat_forwards_a_failing_case_only_with_a_note(client, people, users):
    case = make_case(users)
    services.transition(case.pk, action="submit", user=users["desa"], expected="draft")
    client.force_login(users["camat"])
    url = reverse("santunan:detail", args=[case.pk])
    html = client.get(url).content.decode()
    assert "checks-warning" in html and "Teruskan ke Dinas Sosial</button>" not in html
    assert 'id="forward-with-note"' in html
    act = reverse("santunan:act", args=[case.pk])
    refused = client.post(act, {"action": "forward", "expected": "submitted"})
    assert refused.status_code == 200 and "Ada masalah" in refused.content.decode()
    assert 'href="#id_reason"' in refused.content.decode()
    assert Case.objects.get(pk=case.pk).status == Status.SUBMITTED
    done = client.post(act, {"action": "forward", "expected": "submitted",
                             "reason": "Keluarga baru pindah; mohon Dinas Sosial memeriksa"})
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.FORWARDED
    assert case.transitions.get(action="forward").reason.startswith("Keluarga baru pindah")


def test_upload_error_shown_in_the_summary(client, people, users):
    case = make_case(users)
    client.force_login(users["desa"])
    page = client.post(reverse("santunan:upload", args=[case.pk]), {"kind": "sktm"})
    html = page.content.decode()
    assert page.status_code == 200 and 'href="#id_file"' in html


def test_dtsen_upload_reports_file_and_date_together(client, users):
    client.force_login(users["dinsos"])
    page = client.post(reverse("santunan:dtsen"), {"valid_from": ""})
    html = page.content.decode()
    assert 'href="#f-file"' in html and 'href="#f-from"' in html


def test_dtsen_and_bank_result_uploads_refuse_an_oversized_file_unread(client, people, users,
                                                                      extract, settings):
    """Issue 12: the pages check the size before reading, as the API always did."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from jamsos.dtsen.models import DtsenExtract
    from jamsos.santunan import payments
    from tests.santunan.conftest import advance

    extracts = DtsenExtract.objects.count()
    settings.JAMSOS_MAX_IMPORT_BYTES = 10
    client.force_login(users["dinsos"])
    page = client.post(reverse("santunan:dtsen"), {
        "valid_from": "2025-01-01", "file": SimpleUploadedFile("d.csv", b"x" * 3000)})
    assert "Berkas terlalu besar (3 KB); batasnya 1 KB." in page.content.decode()
    assert DtsenExtract.objects.count() == extracts
    case = advance(make_case(users), users, "approved")
    batch = payments.create_batch(user=users["dinsos"], area_code="16.02")
    page = client.post(reverse("santunan:batch", args=[batch.pk]),
                       {"file": SimpleUploadedFile("hasil.csv", b"x" * 3000)})
    assert "Berkas terlalu besar (3 KB); batasnya 1 KB." in page.content.decode()
    case.refresh_from_db()
    assert case.status == Status.APPROVED
