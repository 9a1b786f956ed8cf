"""The santunan writes through the API: proposal, correction, documents, transfer batches.

Every write goes through the santunan services; these tests check that the API keeps the web's
scoping (other areas 404, pimpinan 403), answers the services' refusals with the field, and
that the whole money path (batch, transfer file, bank result) works over HTTP.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jamsos.audit.models import AuditEvent
from jamsos.santunan.models import Case, Document, Status, TransferBatch, Transition
from tests.api.test_domain_api import NIK_BUDI, NIK_SITI, bearer, post
from tests.factories import PEOPLE, TEBING_SULUH, ULAK_KAPAL, import_rows, user
from tests.santunan.conftest import KK, PDF, PNG, TODAY, advance, case_data, dtsen_csv, make_case

pytestmark = pytest.mark.django_db

CASES = "/api/v1/santunan/cases"
BATCHES = "/api/v1/santunan/batches"


@pytest.fixture
def users():
    import_rows(*PEOPLE)
    return {
        "desa": user("kades", "kepala_desa", TEBING_SULUH),
        "camat": user("camat", "camat", "16.02.13"),
        "dinsos": user("dinsos", "verifikator", "16.02"),
        "dinsos2": user("dinsos2", "verifikator", "16.02"),
        "bupati": user("bupati", "pimpinan", "16.02"),
        "other_desa": user("kades2", "kepala_desa", ULAK_KAPAL),
        "other_dinsos": user("dinsos-kec", "verifikator", "16.02.02"),
        "auditor": user("auditor", "auditor", "16.02"),
    }


@pytest.fixture
def extract():
    from jamsos.dtsen.importing import import_extract

    import_extract(dtsen_csv(f"{NIK_BUDI};{KK};3", f"{NIK_SITI};{KK};3"), "dtsen.csv",
                   valid_from=dt.date(2025, 1, 1), today=TODAY)


def api_body(**over) -> dict:
    """A valid proposal as the API takes it (``desa_code`` for the service's ``desa_id``)."""
    data = case_data()
    data["desa_code"] = data.pop("desa_id")
    return {**data, **over}


def upload(client, case_id: int, auth, *, kind="ktp_ahli_waris", name="ktp.png", data=PNG):
    return client.post(f"{CASES}/{case_id}/documents",
                       {"kind": kind, "file": SimpleUploadedFile(name, data)}, **auth)


# ---- proposal --------------------------------------------------------------------------------

def test_kepala_desa_proposes_and_the_case_is_listed_with_its_audit_event(client, users):
    auth = bearer(client, "kades")
    reply = post(client, CASES, api_body(), auth)
    assert reply.status_code == 201, reply.content
    body = reply.json()
    case = Case.objects.get()
    assert body["id"] == case.pk and body["status"] == "draft"
    assert (body["desa_code"], body["amount"], body["scheme_version"]) == (
        TEBING_SULUH, 1_000_000, "2025-09-01")
    assert (body["deceased_nik"], body["heir_nik"], body["account_number"]) == (
        NIK_BUDI, NIK_SITI, "1234567890")
    assert body["actions"] == ["submit", "reject"]
    assert [t["action"] for t in body["transitions"]] == ["propose"]
    assert case.created_by == users["desa"] and case.account_holder == "SITI AMINAH"
    listed = client.get(CASES, **auth).json()
    assert [c["id"] for c in listed["items"]] == [case.pk]
    event = AuditEvent.objects.get(action="create", object_type="santunan_case")
    assert (event.actor_name, event.object_id) == ("kades", str(case.pk))
    assert event.changes["deceased_nik"] == [None, NIK_BUDI]
    # The camat of the kecamatan sees it; the desa of another kecamatan does not.
    assert client.get(f"{CASES}/{case.pk}", **bearer(client, "camat")).status_code == 200
    assert client.get(f"{CASES}/{case.pk}", **bearer(client, "kades2")).status_code == 404


def test_proposal_refusals_name_the_field_and_save_nothing(client, users):
    auth = bearer(client, "kades")
    for over, field in (({"account_number": "12"}, "account_number"),
                        ({"died_on": "2999-01-01"}, "died_on"),
                        ({"deceased_nik": "123"}, "deceased_nik"),
                        ({"heir_nik": NIK_BUDI}, "heir_nik"),
                        ({"deceased_name": "   "}, "deceased_name"),
                        ({"desa_code": ULAK_KAPAL}, "desa_code"),  # a desa outside the area
                        ({"desa_code": "16.02.13"}, "desa_code")):  # not a desa
        reply = post(client, CASES, api_body(**over), auth)
        assert reply.status_code == 422, (over, reply.content)
        assert reply.json()["field"] == field, (over, reply.json())
    ulak = post(client, CASES, api_body(desa_code=ULAK_KAPAL), auth).json()
    assert ulak["detail"] == "Desa di luar wilayah kerja Anda."
    # The schema's own checks: a relationship outside the list, NUL in text, a missing field.
    for bad in (api_body(heir_relationship="tetangga"), api_body(death_place="a\x00b"),
                {k: v for k, v in api_body().items() if k != "bank_name"}):
        reply = post(client, CASES, bad, auth)
        assert reply.status_code == 422 and isinstance(reply.json()["detail"], list)
    assert Case.objects.count() == 0
    assert not AuditEvent.objects.filter(object_type="santunan_case").exists()


def test_only_the_desa_may_propose(client, users):
    for name in ("camat", "dinsos", "auditor", "bupati"):
        reply = post(client, CASES, api_body(), bearer(client, name))
        assert reply.status_code == 403, name
        assert reply.json()["detail"]
    assert Case.objects.count() == 0
    assert post(client, CASES, api_body(), {}).status_code == 401


def test_duplicate_nik_is_refused_with_the_other_case(client, users):
    first = make_case(users)
    reply = post(client, CASES, api_body(heir_nik="1602135708900009"), bearer(client, "kades"))
    assert reply.status_code == 422
    assert reply.json()["field"] == "deceased_nik"
    assert first.number in reply.json()["detail"]
    assert list(Case.objects.values_list("pk", flat=True)) == [first.pk]
    # A rejected proposal no longer blocks a new one.
    from jamsos.santunan import services

    services.transition(first.pk, action="reject", user=users["desa"], expected="draft",
                        reason="salah desa")
    again = post(client, CASES, api_body(), bearer(client, "kades"))
    assert again.status_code == 201 and again.json()["id"] != first.pk


# ---- correction ------------------------------------------------------------------------------

def test_draft_is_corrected_by_its_desa_only(client, users):
    case = make_case(users)
    url = f"{CASES}/{case.pk}"
    desa = bearer(client, "kades")
    reply = post(client, url, {"account_number": "9876-5432-10", "heir_phone": None,
                               "bank_name": "Bank BRI"}, desa, method="patch")
    assert reply.status_code == 200, reply.content
    assert (reply.json()["account_number"], reply.json()["bank_name"]) == ("9876543210",
                                                                            "Bank BRI")
    case.refresh_from_db()
    assert (case.account_number, case.bank_name, case.version) == ("9876543210", "Bank BRI", 1)
    assert case.heir_phone == "081234567890"  # null: unchanged
    event = AuditEvent.objects.get(action="update", object_type="santunan_case")
    assert event.changes["account_number"] == ["1234567890", "9876543210"]
    # The service's refusals, with the API's field name.
    bad = post(client, url, {"no_kk": "123"}, desa, method="patch")
    assert bad.status_code == 422 and bad.json()["field"] == "no_kk"
    out = post(client, url, {"desa_code": ULAK_KAPAL}, desa, method="patch")
    assert out.status_code == 422 and out.json()["field"] == "desa_code"
    # Other areas do not see it, other roles do not hold a draft.
    assert post(client, url, {"bank_name": "X"}, bearer(client, "kades2"),
                method="patch").status_code == 404
    assert post(client, f"{CASES}/999999", {"bank_name": "X"}, desa,
                method="patch").status_code == 404
    for name in ("camat", "bupati"):
        assert post(client, url, {"bank_name": "X"}, bearer(client, name),
                    method="patch").status_code == 403
    # After submission the desa no longer holds it.
    sent = post(client, f"{url}/actions", {"action": "submit", "expected": "draft"}, desa)
    assert sent.status_code == 200
    late = post(client, url, {"bank_name": "Bank Mandiri"}, desa, method="patch")
    assert late.status_code == 403
    case.refresh_from_db()
    assert (case.bank_name, case.status) == ("Bank BRI", Status.SUBMITTED)


# ---- documents -------------------------------------------------------------------------------

def test_document_upload_and_its_refusals(client, users, settings):
    case = make_case(users)
    desa = bearer(client, "kades")
    reply = upload(client, case.pk, desa)
    assert reply.status_code == 201, reply.content
    doc = Document.objects.get(pk=reply.json()["id"])
    assert (doc.case_id, doc.kind, doc.content_type, doc.size) == (
        case.pk, "ktp_ahli_waris", "image/png", len(PNG))
    assert reply.json()["original_name"] == "ktp.png"
    detail = client.get(f"{CASES}/{case.pk}", **desa).json()
    assert doc.pk in [d["id"] for d in detail["documents"]]
    assert AuditEvent.objects.filter(action="create", object_type="santunan_document",
                                     object_id=str(doc.pk)).exists()
    before = Document.objects.count()
    text = upload(client, case.pk, desa, name="ktp.pdf", data=b"bukan pdf, hanya teks")
    assert text.status_code == 422 and text.json()["field"] == "file"
    assert "bukan PDF, JPEG atau PNG" in text.json()["detail"]
    kind = upload(client, case.pk, desa, kind="foto_rumah")
    assert kind.status_code == 422 and kind.json()["field"] == "kind"
    settings.JAMSOS_SANTUNAN_MAX_DOCUMENT_BYTES = 20
    big = upload(client, case.pk, desa, name="akta.pdf", data=PDF)
    assert big.status_code == 422 and big.json()["field"] == "file"
    assert "terlalu besar" in big.json()["detail"]
    settings.JAMSOS_SANTUNAN_MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
    assert upload(client, case.pk, bearer(client, "kades2")).status_code == 404
    assert upload(client, 999999, desa).status_code == 404
    assert upload(client, case.pk, bearer(client, "camat")).status_code == 403  # a draft
    assert upload(client, case.pk, bearer(client, "bupati")).status_code == 403
    missing = client.post(f"{CASES}/{case.pk}/documents", {"kind": "kk"}, **desa)
    assert missing.status_code == 422
    assert Document.objects.count() == before


def test_document_download_is_scoped_and_audited(client, users):
    case = make_case(users)
    doc = case.documents.get(kind="sktm")
    url = f"{CASES}/{case.pk}/documents/{doc.pk}"
    reply = client.get(url, **bearer(client, "camat"))
    assert reply.status_code == 200
    assert reply["Content-Type"] == "application/pdf"
    assert b"".join(reply.streaming_content) == PDF
    assert f"{case.number}-sktm.pdf" in reply["Content-Disposition"]
    event = AuditEvent.objects.get(action="export", object_type="santunan_document")
    assert (event.actor_name, event.object_id, event.source) == ("camat", str(doc.pk), "api")
    assert client.get(url, **bearer(client, "auditor")).status_code == 200
    assert client.get(url, **bearer(client, "kades2")).status_code == 404
    assert client.get(url, **bearer(client, "bupati")).status_code == 403
    assert client.get(f"{CASES}/{case.pk}/documents/999999",
                      **bearer(client, "camat")).status_code == 404
    # A document of another case is not reachable through this case.
    other = make_case(users, deceased_nik="1602021708800003", deceased_name="Ahmad Fauzi",
                      heir_nik="1602135708900009")
    other_doc = other.documents.first()
    assert client.get(f"{CASES}/{case.pk}/documents/{other_doc.pk}",
                      **bearer(client, "camat")).status_code == 404
    assert AuditEvent.objects.filter(action="export").count() == 2  # camat + auditor


# ---- transfer batches ------------------------------------------------------------------------

@pytest.fixture
def approved(client, users, extract):
    """A case brought to ``approved``, the last step through the API's actions."""
    case = advance(make_case(users), users, "verified")
    # Who verified may not approve (four eyes): 403, and the action is not offered.
    dinsos = bearer(client, "dinsos")
    assert "approve" not in client.get(f"{CASES}/{case.pk}", **dinsos).json()["actions"]
    refused = post(client, f"{CASES}/{case.pk}/actions",
                   {"action": "approve", "expected": "verified"}, dinsos)
    assert refused.status_code == 403
    reply = post(client, f"{CASES}/{case.pk}/actions",
                 {"action": "approve", "expected": "verified"}, bearer(client, "dinsos2"))
    assert reply.status_code == 200 and reply.json()["status"] == "approved", reply.content
    return Case.objects.get(pk=case.pk)


def result_file(text: str, name="hasil.csv"):
    return {"file": SimpleUploadedFile(name, text.encode())}


def test_the_money_path_through_the_api(client, users, approved):
    dinsos = bearer(client, "dinsos")
    created = post(client, BATCHES, {}, dinsos)
    assert created.status_code == 201, created.content
    batch = TransferBatch.objects.get()
    body = created.json()
    assert (body["id"], body["number"], body["status"], body["count"], body["total"]) == (
        batch.pk, f"TRF-{batch.pk:05d}", "sent", 1, 1_000_000)
    approved.refresh_from_db()
    assert approved.batch_id == batch.pk
    assert approved.transfer_reference == f"SKM{approved.pk:07d}B{batch.pk}"
    assert body["cases"][0]["transfer_reference"] == approved.transfer_reference
    assert body["cases"][0]["account_number"] == "1234567890"
    assert body["created_by"] == "dinsos"
    listed = client.get(BATCHES, **dinsos).json()
    assert [b["id"] for b in listed["items"]] == [batch.pk]
    assert listed["items"][0]["cases"] == [{"id": approved.pk, "number": approved.number,
                                            "transfer_reference": approved.transfer_reference}]
    detail = client.get(f"{BATCHES}/{batch.pk}", **dinsos).json()
    assert detail["cases"][0]["status"] == "approved" and detail["cases"][0]["amount"] == 1_000_000
    # Nothing more is ready: a second batch is refused.
    again = post(client, BATCHES, {}, dinsos)
    assert again.status_code == 422 and again.json()["field"] == "form"
    # The transfer file, recorded as an export.
    csv = client.get(f"{BATCHES}/{batch.pk}/file", **dinsos)
    assert csv.status_code == 200 and csv["Content-Type"] == "text/csv; charset=utf-8"
    assert f'filename="transfer-{batch}.csv"' in csv["Content-Disposition"]
    text = csv.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("No;Referensi;Bank Tujuan")
    assert (f"{approved.transfer_reference};Bank SumselBabel;1234567890;SITI AMINAH;1000000"
            in text)
    event = AuditEvent.objects.get(action="export", object_type="santunan_batch")
    assert (event.actor_name, event.object_id, event.source) == ("dinsos", str(batch.pk), "api")
    assert event.changes == {"file": [None, f"transfer-{batch}.csv"]}
    # The bank's result: paid.
    result = client.post(f"{BATCHES}/{batch.pk}/result", result_file(
        f"Referensi;Status;Tanggal;Keterangan\n{approved.transfer_reference};BERHASIL;"
        "19-09-2025;\n"), **dinsos)
    assert result.status_code == 200, result.content
    assert result.json() == {"applied": True, "paid": 1, "failed": 0, "errors": []}
    approved.refresh_from_db()
    assert (approved.status, approved.paid_on) == (Status.PAID, dt.date(2025, 9, 19))
    batch.refresh_from_db()
    assert (batch.status, batch.result_filename) == ("done", "hasil.csv")
    assert Transition.objects.filter(case=approved, action="paid").count() == 1
    detail = client.get(f"{BATCHES}/{batch.pk}", **dinsos).json()
    assert (detail["status"], detail["cases"][0]["status"], detail["cases"][0]["paid_on"]) == (
        "done", "paid", "2025-09-19")
    case = client.get(f"{CASES}/{approved.pk}", **dinsos).json()
    assert case["status"] == "paid" and case["actions"] == ["close"]


def test_a_wrong_bank_result_changes_nothing(client, users, approved):
    dinsos = bearer(client, "dinsos")
    batch_id = post(client, BATCHES, {"case_ids": [approved.pk]}, dinsos).json()["id"]
    approved.refresh_from_db()
    url = f"{BATCHES}/{batch_id}/result"
    wrong = client.post(url, result_file(
        "Referensi;Status;Tanggal\n"
        f"{approved.transfer_reference};BERHASIL;31-02-2025\n"
        "XYZ;BERHASIL;01-09-2025\n"
        f"{approved.transfer_reference};MUNGKIN;\n"), **dinsos)
    assert wrong.status_code == 200, wrong.content
    body = wrong.json()
    assert (body["applied"], body["paid"], body["failed"]) == (False, 0, 0)
    assert [(e["row"], e["column"], e["code"]) for e in body["errors"]] == [
        (2, "Tanggal", "date_invalid"), (3, "Referensi", "unknown_reference"),
        (4, "Referensi", "duplicate_reference"), (4, "Status", "status_invalid")]
    assert all(e["message"] for e in body["errors"])
    for bad in ("Nama;Jumlah\nBudi;1\n", ""):  # no Referensi/Status columns, empty
        unreadable = client.post(url, result_file(bad), **dinsos)
        assert unreadable.status_code == 422 and unreadable.json()["detail"], bad
    assert client.post(url, {}, **dinsos).status_code == 422  # no file at all
    approved.refresh_from_db()
    assert (approved.status, approved.batch_id, approved.paid_on) == (
        Status.APPROVED, batch_id, None)
    batch = TransferBatch.objects.get(pk=batch_id)
    assert (batch.status, batch.result_filename, batch.result_at) == ("sent", "", None)
    # A failed transfer takes the case out of the batch, ready for the next one.
    failed = client.post(url, result_file(
        f"Referensi;Status;Tanggal;Keterangan\n{approved.transfer_reference};GAGAL;;"
        "rekening tutup\n"), **dinsos)
    assert failed.json() == {"applied": True, "paid": 0, "failed": 1, "errors": []}
    approved.refresh_from_db()
    assert (approved.status, approved.batch_id, approved.transfer_note) == (
        Status.APPROVED, None, "rekening tutup")
    # The batch, now without cases, stays with the area of the payer who made it.
    assert TransferBatch.objects.get(pk=batch_id).area_id == "16.02"
    assert [b["id"] for b in client.get(BATCHES, **dinsos).json()["items"]] == [batch_id]
    other = bearer(client, "dinsos-kec")
    assert client.get(BATCHES, **other).json()["items"] == []
    assert client.get(f"{BATCHES}/{batch_id}", **other).status_code == 404


def test_batches_are_for_the_dinas_and_scoped(client, users, approved):
    for name in ("kades", "camat", "auditor", "bupati"):
        auth = bearer(client, name)
        assert client.get(BATCHES, **auth).status_code == 403, name
        assert post(client, BATCHES, {}, auth).status_code == 403, name
    assert not TransferBatch.objects.exists()
    # A verifikator of another kecamatan has nothing ready and sees no batch of this one.
    other = bearer(client, "dinsos-kec")
    assert post(client, BATCHES, {}, other).status_code == 422
    dinsos = bearer(client, "dinsos")
    assert post(client, BATCHES, {"case_ids": [approved.pk + 1]}, dinsos).status_code == 422
    empty = client.generic("POST", BATCHES, b"", content_type="application/json", **dinsos)
    assert empty.status_code == 201, empty.content  # no body: every case ready
    batch_id = empty.json()["id"]
    assert client.get(BATCHES, **other).json()["items"] == []
    for url in (f"{BATCHES}/{batch_id}", f"{BATCHES}/{batch_id}/file"):
        assert client.get(url, **other).status_code == 404, url
        assert client.get(url, **bearer(client, "kades")).status_code == 403, url
    assert client.post(f"{BATCHES}/{batch_id}/result", result_file("Referensi;Status\n"),
                       **other).status_code == 404
    assert client.get(f"{BATCHES}/999999", **dinsos).status_code == 404
    assert not AuditEvent.objects.filter(action="export").exists()
