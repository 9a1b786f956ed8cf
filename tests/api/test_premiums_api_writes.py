"""Writes of the premiums API: billing runs, adjustments, BPJS reconciliation uploads, and the
reconciliation rows.

Each write goes through the service (audited), with the web pages' rules: runs and
reconciliations are for writers of the kabupaten, adjustments for writers whose area holds the
whole invoice, guessed ids of other areas are 404, pimpinan never sees named rows, NIKs are
masked for roles without personal-data rights.
"""

from __future__ import annotations

import datetime as dt
import typing

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jamsos.audit.models import AuditEvent
from jamsos.premiums import selectors
from jamsos.premiums.models import (
    Adjustment,
    BillingRun,
    Invoice,
    InvoiceLine,
    RecClass,
    Reconciliation,
    ReconciliationRow,
)
from jamsos.premiums.services import run_billing
from jamsos.registry.models import Enrolment, Person
from jamsos.registry.services import record_death
from tests.api.test_domain_api import (
    NIK_AHMAD,
    NIK_BUDI,
    NIK_SITI,
    as_json,
    bearer,
    other_desa_in_lempuing,
    post,
    token_for,
)
from tests.factories import PEOPLE, TEBING_SULUH, ULAK_KAPAL, import_rows

pytestmark = pytest.mark.django_db

SEP = dt.date(2025, 9, 1)
KAB = "16.02"
RUNS = "/api/v1/premiums/runs"
RECS = "/api/v1/premiums/reconciliations"
NIK_RINA = "1602135708910004"
NIK_UNKNOWN = "1602131708990009"


@pytest.fixture
def people():
    """Budi, Siti (Tebing Suluh, APBD) and Ahmad (Ulak Kapal), enrolled from 2025-01-01."""
    import_rows(*PEOPLE)
    Enrolment.objects.update(start_date=dt.date(2025, 1, 1))
    Enrolment.objects.filter(person__nik=NIK_AHMAD).update(wage=2_000_000)


@pytest.fixture
def op(client):
    return token_for(client, "op", "operator", KAB)


def audit_count(obj_type: str) -> int:
    return AuditEvent.objects.filter(object_type=obj_type).count()


# ---- billing runs ---------------------------------------------------------------------------

def test_operator_starts_a_run_and_the_invoices_appear(client, people, op):
    got = post(client, RUNS, {"period": "2025-09"}, op)
    assert got.status_code == 201, got.content
    body = got.json()
    run = BillingRun.objects.get()
    assert run.period == SEP and run.created_by.username == "op"
    summary = selectors.run_summaries(KAB)[0]
    assert body == {**as_json({"period": SEP, "created_at": run.created_at}),
                    "kabupaten": KAB, "lines": 3, "due": 44_400, "paid": 0, "outstanding": 44_400,
                    "created": True, "invoices": 1, "total": 44_400}
    assert (summary.lines, summary.due, summary.paid) == (3, 44_400, 0)
    assert run.total == 44_400 and Invoice.objects.count() == 1
    # The run is audited once, as a batch, with the caller as actor.
    event = AuditEvent.objects.get(object_type="billing_run")
    assert event.object_id == str(run.pk) and event.actor.username == "op"
    assert event.changes["total"] == [None, 44_400]
    # The invoices appear in the listing, with the selector's figures.
    listed = client.get(f"{RUNS}/2025-09/invoices", **op).json()
    want = selectors.invoices_in_area(run, KAB)
    assert [(i["id"], i["number"], i["lines"], i["due"], i["paid"]) for i in listed["items"]] \
        == [(r.invoice.pk, r.invoice.number, r.lines, r.due, r.paid) for r in want]
    assert sum(line.total for line in InvoiceLine.objects.filter(period=SEP)) == 44_400


def test_a_second_run_of_the_same_month_changes_nothing(client, people, op):
    first = post(client, RUNS, {"period": "2025-09"}, op)
    assert first.status_code == 201
    invoice = Invoice.objects.get()
    assert post(client, f"/api/v1/premiums/invoices/{invoice.pk}/adjustments",
                {"amount": 1_000, "reason": "Peserta terlambat"}, op).status_code == 201
    # A new worker after the first run is not billed by a second one: the run is stored once.
    import_rows(f"{NIK_RINA};Rina Wati;P;17-08-1991;{TEBING_SULUH};c;PKK")
    Enrolment.objects.update(start_date=dt.date(2025, 1, 1))
    again = post(client, RUNS, {"period": "2025-09"}, op)
    assert again.status_code == 200, again.content
    body = again.json()
    assert body["created"] is False
    assert (body["lines"], body["due"], body["total"], body["invoices"]) == (3, 45_400, 44_400, 1)
    assert body["created_at"] == first.json()["created_at"]
    assert BillingRun.objects.count() == 1 and Invoice.objects.count() == 1
    assert InvoiceLine.objects.count() == 3
    assert audit_count("billing_run") == 1


@pytest.mark.parametrize(("role", "area"), [
    ("camat", "16.02.13"), ("kepala_desa", TEBING_SULUH), ("pimpinan", KAB), ("bpjs", KAB),
    ("auditor", KAB), ("verifikator", KAB), ("operator", "16.02.13"),
])
def test_only_a_kabupaten_writer_starts_a_run(client, people, role, area):
    auth = token_for(client, "u", role, area)
    got = post(client, RUNS, {"period": "2025-09"}, auth)
    assert got.status_code == 403, got.content
    assert "kabupaten" in got.json()["detail"]
    assert not BillingRun.objects.exists() and audit_count("billing_run") == 0


def test_run_refusals_are_422_and_store_nothing(client, people, op):
    for bad in ("2025-13", "25-09", "2025-9", "2025-09-01", ""):
        assert post(client, RUNS, {"period": bad}, op).status_code == 422, bad
    # No regulation parameter in force in 2015: the engine's refusal, not a server error.
    old = post(client, RUNS, {"period": "2015-01"}, op)
    assert old.status_code == 422, old.content
    assert old.json()["field"] == "period" and "Jan 2015" in old.json()["detail"]
    # A typo far in the future would create a run that cannot be removed.
    future = post(client, RUNS, {"period": "2205-09"}, op)
    assert future.status_code == 422 and future.json()["field"] == "period"
    assert not BillingRun.objects.exists() and audit_count("billing_run") == 0


# ---- adjustments ----------------------------------------------------------------------------

@pytest.fixture
def invoices(people):
    """September 2025: the APBD invoice of the kabupaten (Budi 16.800 + Siti 16.800) and the
    APBDes invoice of Ulak Kapal (Ahmad 10.800)."""
    Enrolment.objects.filter(person__nik=NIK_AHMAD).update(funding_source="APBDES")
    run_billing(SEP)
    return {"apbd": Invoice.objects.get(funding_source="APBD"),
            "desa": Invoice.objects.get(funding_source="APBDES")}


def adjust_url(invoice) -> str:
    pk = getattr(invoice, "pk", invoice)
    return f"/api/v1/premiums/invoices/{pk}/adjustments"


def test_adjustment_changes_the_amount_due_by_its_amount_and_is_audited(client, invoices, op):
    apbd = invoices["apbd"]
    assert (apbd.billed, apbd.amount_due) == (33_600, 33_600)
    got = post(client, adjust_url(apbd), {"amount": 5_000, "reason": "  Peserta terlambat  "},
               op)
    assert got.status_code == 201, got.content
    body = got.json()
    adj = Adjustment.objects.get()
    assert body["adjustment"] == {**as_json({"created_at": adj.created_at}), "id": adj.pk,
                                  "amount": 5_000, "reason": "Peserta terlambat",
                                  "enrolment_id": None}
    apbd.refresh_from_db()
    assert (apbd.adjusted, apbd.amount_due) == (5_000, 38_600)
    invoice = body["invoice"]
    assert (invoice["billed"], invoice["adjusted"], invoice["amount_due"], invoice["outstanding"],
            invoice["status"]) == (33_600, 5_000, 38_600, 38_600, "unpaid")
    assert [a["id"] for a in invoice["adjustments"]] == [adj.pk]
    event = AuditEvent.objects.get(object_type="adjustment")
    assert event.object_id == str(adj.pk) and event.actor.username == "op"
    assert event.changes["amount"] == [None, 5_000]
    assert event.changes["invoice"] == [None, apbd.number]

    # A credit for one enrolment on the invoice (e.g. a death): minus exactly its amount.
    siti = Enrolment.objects.get(person__nik=NIK_SITI)
    credit = post(client, adjust_url(apbd), {"amount": -16_800, "reason": "Meninggal",
                                             "enrolment_id": siti.pk}, op)
    assert credit.status_code == 201, credit.content
    assert credit.json()["adjustment"]["enrolment_id"] == siti.pk
    assert credit.json()["invoice"]["amount_due"] == 38_600 - 16_800
    apbd.refresh_from_db()
    assert (apbd.adjusted, apbd.amount_due) == (5_000 - 16_800, 21_800)
    assert audit_count("adjustment") == 2
    # The kabupaten's run summary counts the corrections.
    assert client.get(RUNS, **op).json()[0]["due"] == 21_800 + 10_800


def test_adjustment_refusals_name_the_field(client, invoices, op):
    apbd = invoices["apbd"]
    url = adjust_url(apbd)
    ok = {"amount": 1_000, "reason": "Koreksi"}
    cases = [
        ({**ok, "amount": 0}, "amount"),
        ({**ok, "reason": "   "}, "reason"),
        ({**ok, "amount": -40_000}, "amount"),            # below what is due (33.600)
        ({**ok, "amount": 10**16}, "amount"),             # absurdly large
        # Ahmad is on the APBDes invoice, not on this one.
        ({**ok, "enrolment_id": Enrolment.objects.get(person__nik=NIK_AHMAD).pk},
         "enrolment_id"),
        ({**ok, "enrolment_id": 999_999}, "enrolment_id"),
    ]
    for body, field in cases:
        got = post(client, url, body, op)
        assert got.status_code == 422, (body, got.content)
        assert got.json()["field"] == field, (body, got.json())
        assert got.json()["detail"]
    # Malformed input: refused by validation (422), never stored.
    for body in ({**ok, "reason": "a\x00b"}, {**ok, "reason": "x" * 301},
                 {**ok, "amount": 1.5}, {**ok, "amount": "1.000"}, {"reason": "Koreksi"},
                 {**ok, "amount": 2**63}):
        assert post(client, url, body, op).status_code == 422, body
    # Not below what has been paid: pay 30.000, then a credit of 4.000 is refused.
    assert post(client, f"/api/v1/premiums/invoices/{apbd.pk}/payments",
                {"amount": 30_000, "paid_on": "2025-10-10", "reference": "SP2D-1"},
                op).status_code == 201
    below = post(client, url, {**ok, "amount": -4_000}, op)
    assert below.status_code == 422 and below.json()["field"] == "amount"
    assert post(client, url, {**ok, "amount": -3_600}, op).status_code == 201
    apbd.refresh_from_db()
    assert (apbd.amount_due, apbd.paid, apbd.status) == (30_000, 30_000, "paid")
    assert Adjustment.objects.count() == audit_count("adjustment") == 1


def test_adjustment_scoping(client, invoices, op):
    apbd, desa = invoices["apbd"], invoices["desa"]
    ok = {"amount": 1_000, "reason": "Koreksi"}
    # A writer of Lempuing: the APBDes invoice of Ulak Kapal is not visible (404), the
    # kabupaten's invoice is visible but spans other kecamatan (403).
    lempuing = token_for(client, "op-lem", "operator", "16.02.13")
    assert post(client, adjust_url(desa), ok, lempuing).status_code == 404
    spans = post(client, adjust_url(apbd), ok, lempuing)
    assert spans.status_code == 403 and "luar wilayah" in spans.json()["detail"]
    nobody = token_for(client, "op-desa", "operator", other_desa_in_lempuing())
    assert post(client, adjust_url(apbd), ok, nobody).status_code == 404
    assert post(client, adjust_url(999_999), ok, op).status_code == 404
    # Read-only roles, and pimpinan (no named data at all).
    for username, role, area in (("aud", "auditor", KAB), ("kades", "kepala_desa", ULAK_KAPAL),
                                 ("camat", "camat", "16.02.02"), ("bpjs", "bpjs", KAB),
                                 ("bupati", "pimpinan", KAB)):
        assert post(client, adjust_url(desa), ok, token_for(client, username, role, area)) \
            .status_code == 403, username
    assert not Adjustment.objects.exists() and audit_count("adjustment") == 0
    # A writer of Tanjung Lubuk holds Ulak Kapal's APBDes invoice entirely.
    tanjung = token_for(client, "op-tl", "operator", "16.02.02")
    got = post(client, adjust_url(desa), {**ok, "enrolment_id": Enrolment.objects.get(
        person__nik=NIK_AHMAD).pk}, tanjung)
    assert got.status_code == 201, got.content
    assert got.json()["invoice"]["amount_due"] == 10_800 + 1_000
    assert [line["nik"] for line in got.json()["invoice"]["lines"]] == [NIK_AHMAD]


# ---- reconciliation -------------------------------------------------------------------------

HEADER = "NIK;KPJ;Nama;Segmen;Program;Iuran;Periode"


@pytest.fixture
def billed_for_rec(people):
    """As tests/premiums/test_reconcile.py: Siti 16.800, Ahmad 10.800, Rina 16.800 billed for
    September 2025; Budi died in August (not billed)."""
    import_rows(f"{NIK_RINA};Rina Wati;P;17-08-1991;{TEBING_SULUH};c;PKK")
    Enrolment.objects.update(start_date=dt.date(2025, 1, 1))
    record_death(Person.objects.get(nik=NIK_BUDI), died_on=dt.date(2025, 8, 3), source="test")
    run_billing(SEP)


def bpjs_file() -> bytes:
    rows = [
        HEADER,
        f"{NIK_AHMAD};12345678901;Ahmad Fauzi;PU;JKK,JKM;10800;2025-09",      # matched
        f"{NIK_SITI};;Siti Aminah;BPU;JKK,JKM;Rp 20.000;09-2025",             # amount differs
        f"{NIK_BUDI};;Budi Santoso;BPU;JKK,JKM;16.800;2025-09",               # after death
        f"{NIK_UNKNOWN};;Orang Lain;BPU;JKK,JKM;16800;2025-09",               # not in registry
        f"{NIK_AHMAD};98765432109;Ahmad Fauzi;BPU;JKK,JKM;16800;2025-09",     # duplicate
        "12345;;Salah;BPU;JKK;16800;2025-09",                                  # error: NIK
        f"{NIK_SITI};;Siti Aminah;BPU;JKK;abc;2025-09",                        # error: amount
        f"{NIK_SITI};;Siti Aminah;BPU;JKK;16800;2025-08",                      # error: period
    ]                                                                          # Rina: not billed
    return "\n".join(rows).encode()


def upload(client, auth, data: bytes, *, period="2025-09", name="bpjs-09.csv"):
    return client.post(RECS, {"period": period, "file": SimpleUploadedFile(name, data)}, **auth)


EXPECTED = {  # class: (count, bpjs, ours)
    "matched": (1, 10_800, 10_800), "amount_differs": (1, 20_000, 16_800),
    "not_in_registry": (1, 16_800, 0), "not_billed": (1, 0, 16_800),
    "after_death": (1, 16_800, 0), "duplicate": (1, 16_800, 0),
}


def test_upload_classifies_the_bpjs_bill_and_is_audited(client, billed_for_rec, op):
    got = upload(client, op, bpjs_file())
    assert got.status_code == 201, got.content
    body = got.json()
    rec = Reconciliation.objects.get()
    assert (body["id"], body["period"], body["filename"], body["file_rows"]) == (
        rec.pk, "2025-09-01", "bpjs-09.csv", 8)
    assert {t["cls"]: (t["count"], t["bpjs"], t["ours"]) for t in body["totals"]} == EXPECTED
    assert {t["cls"]: t["diff"] for t in body["totals"]}["amount_differs"] == 3_200
    assert (body["count"], body["bpjs"], body["ours"]) == (6, 81_200, 44_400)
    assert body["diff"] == 81_200 - 44_400
    # Rejected rows name the row and the column.
    assert [(e["row"], e["column"], e["code"]) for e in body["errors"]] == [
        (7, "NIK", "nik_invalid"), (8, "Iuran", "amount_invalid"), (9, "Periode", "period_other")]
    assert all(e["message"] for e in body["errors"])
    # Equal to what the service stored and the selectors report.
    assert {k: (v["count"], v["bpjs"], v["ours"]) for k, v in rec.summary.items()} == EXPECTED
    assert client.get(f"{RECS}/{rec.pk}", **op).json() == {
        k: v for k, v in body.items() if k not in ("file_rows", "errors")}
    event = AuditEvent.objects.get(object_type="reconciliation")
    assert event.object_id == str(rec.pk) and event.actor.username == "op"
    assert event.changes["rows"] == [None, 8]
    assert rec.created_by.username == "op"


def test_reconciliation_rows_are_scoped_filtered_and_masked(client, billed_for_rec, op):
    rec_id = upload(client, op, bpjs_file()).json()["id"]
    rec = Reconciliation.objects.get(pk=rec_id)
    url = f"{RECS}/{rec_id}/rows"

    everything = client.get(url, {"limit": 100}, **op).json()
    want = selectors.reconciliation_rows(rec, KAB, limit=None)
    assert everything["count"] == len(want) == 6
    assert [(r["cls"], r["row"], r["nik"], r["kpj"], r["amount_bpjs"], r["amount_ours"])
            for r in everything["items"]] == [
        (r["cls"], r["row"], r["nik"], r["kpj"], r["amount_bpjs"], r["amount_ours"])
        for r in want]

    differs = client.get(url, {"cls": "amount_differs"}, **op).json()
    assert differs["count"] == 1
    row = differs["items"][0]
    assert (row["nik"], row["row"], row["amount_bpjs"], row["amount_ours"], row["diff"],
            row["desa_code"]) == (NIK_SITI, 3, 20_000, 16_800, 3_200, TEBING_SULUH)
    not_billed = client.get(url, {"cls": "not_billed"}, **op).json()["items"]
    assert [(r["nik"], r["row"], r["amount_ours"]) for r in not_billed] == [
        (NIK_RINA, None, 16_800)]
    dup = client.get(url, {"cls": "duplicate"}, **op).json()["items"]
    assert [(r["nik"], r["kpj"], r["row"]) for r in dup] == [(NIK_AHMAD, "98765432109", 6)]

    # Pagination is done in the database, in a stable order.
    page = client.get(url, {"limit": 2, "offset": 2}, **op).json()
    assert [r["id"] for r in page["items"]] == [r["id"] for r in everything["items"][2:4]]

    # A role without personal-data rights: NIK masked, KPJ withheld.
    auditor = token_for(client, "aud", "auditor", KAB)
    masked = client.get(url, {"cls": "duplicate"}, **auditor).json()["items"]
    assert [(r["nik"], r["kpj"]) for r in masked] == [("160202******0003", "")]
    assert all("******" in r["nik"] for r in client.get(url, {"limit": 100}, **auditor)
               .json()["items"])

    # A desa sees the rows of its own people only (totals too), as the web page.
    kades = token_for(client, "kades", "kepala_desa", ULAK_KAPAL)
    mine = client.get(url, **kades).json()
    assert sorted((r["cls"], r["nik"]) for r in mine["items"]) == [
        ("duplicate", NIK_AHMAD), ("matched", NIK_AHMAD)]
    totals = {t["cls"]: t["count"] for t in client.get(f"{RECS}/{rec_id}", **kades)
              .json()["totals"]}
    assert totals == {**dict.fromkeys(RecClass.values, 0), "matched": 1, "duplicate": 1}
    empty = token_for(client, "kades2", "kepala_desa", other_desa_in_lempuing())
    assert client.get(url, **empty).json() == {"items": [], "count": 0}

    # Pimpinan: named rows are refused; the aggregate stays readable.
    bupati = token_for(client, "bupati", "pimpinan", KAB)
    assert client.get(url, **bupati).status_code == 403
    assert client.get(f"{RECS}/{rec_id}", **bupati).status_code == 200
    assert client.get(f"{RECS}/999999/rows", **op).status_code == 404
    assert client.get(url, {"cls": "bogus"}, **op).status_code == 422


def test_the_class_filter_knows_every_class():
    from jamsos.premiums.api import RecClassName

    assert set(typing.get_args(RecClassName)) == set(RecClass.values)


@pytest.mark.parametrize(("name", "data"), [
    ("garbage.csv", b"hello world\nthis is not a bill\n"),
    ("garbage.csv", bytes(range(256)) * 4),
    ("bpjs.xlsx", b"PK\x03\x04 not really a workbook"),
    ("empty.csv", b"   \n"),
    ("broken.csv", f'{HEADER}\n"{NIK_SITI};;"Siti;BPU;JKK;16800;2025-09\n'.encode()),
])
def test_unreadable_file_is_422_and_stores_nothing(client, billed_for_rec, op, name, data):
    got = upload(client, op, data, name=name)
    assert got.status_code == 422, got.content
    assert got.json()["field"] == "file" and got.json()["detail"]
    assert not Reconciliation.objects.exists() and not ReconciliationRow.objects.exists()
    assert audit_count("reconciliation") == 0


def test_missing_columns_are_named(client, billed_for_rec, op):
    got = upload(client, op, b"NIK;Nama\n1602131708850001;Budi\n")
    assert got.status_code == 422
    body = got.json()  # the one error body of every refusal (also code and errors)
    assert {k: body[k] for k in ("field", "detail", "code")} == {
        "field": "file", "detail": "Kolom wajib tidak ditemukan di baris judul: Iuran.",
        "code": "invalid"}


def test_upload_refusals(client, billed_for_rec, op, settings):
    # A month that has not been billed.
    august = upload(client, op, bpjs_file(), period="2025-08")
    assert august.status_code == 422 and august.json()["field"] == "period"
    assert "Agu 2025" in august.json()["detail"]
    assert upload(client, op, bpjs_file(), period="2025-13").status_code == 422
    assert client.post(RECS, {"period": "2025-09"}, **op).status_code == 422  # no file
    # Larger than the import limit (the web imports' limit).
    settings.JAMSOS_MAX_IMPORT_BYTES = 100
    big = upload(client, op, bpjs_file())
    assert big.status_code == 422 and big.json()["field"] == "file"
    settings.JAMSOS_MAX_IMPORT_BYTES = 10**6
    # Only a writer of the kabupaten reconciles (the whole kabupaten's bill).
    for username, role, area in (("op-kec", "operator", "16.02.13"), ("camat", "camat", "16.02.13"),
                                 ("kades", "kepala_desa", ULAK_KAPAL), ("aud", "auditor", KAB),
                                 ("bpjs", "bpjs", KAB), ("bupati", "pimpinan", KAB)):
        got = upload(client, token_for(client, username, role, area), bpjs_file())
        assert got.status_code == 403, username
    assert not Reconciliation.objects.exists() and audit_count("reconciliation") == 0
    assert upload(client, bearer(client, "op"), bpjs_file()).status_code == 201


def test_nul_characters_and_null_markers_in_a_bill(client, billed_for_rec, op):
    """A file with NUL characters is not text (422, nothing stored); a cell holding
    PostgreSQL's null marker ``\\N`` is text like any other, on both databases."""
    data = f"{HEADER}\n{NIK_SITI};;Siti\x00Aminah;BPU;JKK;16800;2025-09\n".encode()
    got = upload(client, op, data)
    assert got.status_code == 422 and got.json()["field"] == "file", got.content
    assert "NUL" in got.json()["detail"]
    assert not Reconciliation.objects.exists() and audit_count("reconciliation") == 0
    data = f"{HEADER}\n{NIK_SITI};;\\N;BPU;JKK;16800;2025-09\n".encode()
    got = upload(client, op, data)
    assert got.status_code == 201, got.content
    assert ReconciliationRow.objects.get(reconciliation_id=got.json()["id"],
                                         nik=NIK_SITI).name == "\\N"
