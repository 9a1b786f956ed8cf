"""Import of BPJS claim reports: validation messages, matching, idempotent re-import."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from jamsos.audit.models import AuditEvent
from jamsos.claims import services
from jamsos.claims.importing import import_claims
from jamsos.claims.models import Claim, FollowUp
from jamsos.core.importing.reader import UnreadableFile
from tests.claims.helpers import workers
from tests.factories import user

pytestmark = pytest.mark.django_db
TODAY = dt.date(2025, 9, 30)
HEADER = ("No Klaim;NIK;KPJ;Program;Jenis Kasus;Tanggal Kejadian;Status;Tanggal Bayar;"
          "Jumlah Dibayar;Biaya Perawatan;Saldo JHT;Keterangan")
GOOD = (
    "K-001;1602131708850001;;JKM;Meninggal dunia;05-03-2025;Dibayar;20-03-2025;42.000.000;;;",
    "K-002;;12345678901;JKK;Kecelakaan kerja;10-04-2025;Dibayar;30-04-2025;2500000;2500000;;",
    "K-003;1602021708800003;;JHT;PHK;01-05-2025;Diproses;;;;;",
)


def run(*rows, area="16.02", **kw):
    data = "\n".join([HEADER, *rows]).encode()
    return import_claims(data, "laporan.csv", area_code=area, today=TODAY, **kw)


@pytest.fixture
def people():
    return workers()


def test_rows_become_claims_with_history_and_deaths(people):
    bpjs = user("bpjs", "bpjs", "16.02")
    report = run(*GOOD, user=bpjs)
    assert (report.rows, report.created, report.rejected, report.deaths_recorded) == (3, 3, 0, 1)
    jkm = Claim.objects.get(bpjs_reference="K-001")
    assert (jkm.person_id, jkm.status, jkm.paid_amount, jkm.entitlement) == (
        people["budi"].pk, "paid", 42_000_000, 42_000_000)
    assert [s.status for s in jkm.steps.all()] == ["reported", "documents_complete",
                                                   "submitted", "paid"]
    people["budi"].refresh_from_db()
    assert people["budi"].died_on == dt.date(2025, 3, 5)
    assert FollowUp.objects.get(person=people["budi"]).status == "filed"
    jkk = Claim.objects.get(bpjs_reference="K-002")
    assert jkk.person_id == people["siti"].pk  # matched by KPJ
    assert jkk.entitlement == 2_500_000 and jkk.difference == 0
    jht = Claim.objects.get(bpjs_reference="K-003")
    assert (jht.event, jht.status, jht.paid_amount) == ("termination", "submitted", None)
    assert AuditEvent.objects.filter(object_type="claim").count() == 3
    assert AuditEvent.objects.filter(object_type="claim_import").count() == 1


def test_reimport_is_idempotent_and_updates_what_changed(people):
    run(*GOOD)
    again = run(*GOOD)
    assert (again.created, again.updated, again.unchanged, again.rejected) == (0, 0, 3, 0)
    assert Claim.objects.count() == 3 and FollowUp.objects.count() == 1
    paid = GOOD[2].replace("Diproses;;", "Dibayar;15-06-2025;12000000")
    later = run(GOOD[0], GOOD[1], paid)
    assert (later.created, later.updated, later.unchanged) == (0, 1, 2)
    jht = Claim.objects.get(bpjs_reference="K-003")
    assert (jht.status, jht.paid_amount, jht.paid_on) == ("paid", 12_000_000,
                                                          dt.date(2025, 6, 15))
    assert [s.status for s in jht.steps.all()] == ["reported", "documents_complete",
                                                   "submitted", "paid"]


def test_a_claim_entered_by_hand_is_matched_not_duplicated(people):
    op = user("op", "operator", "16.02")
    manual = services.create_claim(person=people["siti"], program="jkk", event="work_accident",
                                   event_date=dt.date(2025, 4, 10), user=op,
                                   reported_on=dt.date(2025, 4, 11))
    report = run(GOOD[1])
    assert (report.created, report.updated) == (0, 1)
    manual.refresh_from_db()
    assert (manual.bpjs_reference, manual.status, manual.paid_amount) == ("K-002", "paid",
                                                                          2_500_000)


def test_errors_name_row_column_and_value(people):
    rows = (
        ";1602131708850001;;JKM;;05-03-2025;Dibayar;20-03-2025;42000000;;;",  # 2 no ref
        "K-1;16021317088500;;JKK;;05-03-2025;;;;;;",  # 3 nik 14 digits
        "K-2;9999999999999999;;JKK;;05-03-2025;;;;;;",  # 4 unknown person
        "K-3;1602131708850001;12345678901;JKK;;05-03-2025;;;;;;",  # 5 nik/kpj two people
        "K-4;1602131708850001;;JKX;;05-03-2025;;;;;;",  # 6 programme
        "K-5;1602131708850001;;JKK;jatuh cinta;05-03-2025;;;;;;",  # 7 case
        "K-6;1602131708850001;;JKK;;31-02-2025;;;;;;",  # 8 date
        "K-7;1602131708850001;;JKK;;05-03-2025;Dibayar;;Rp 1.000.000,50;;;",  # 9 paid
        "K-8;1602131708850001;;JKK;;05-03-2025;Dibayar;01-03-2025;100;;;",  # 10 before
        "K-9;1602131708850001;;JKK;;05-03-2025;entah;;;;;",  # 11 status
        "K-9;1602021708800003;;JKK;;05-03-2025;;;;;;",  # 12 duplicate ref
        "K-10;1602021708800003;;JKK;;05-11-2025;;;;;;",  # 13 future
    )
    report = run(*rows)
    got = sorted((e["row"], e["column"], e["code"]) for e in report.errors)
    assert got == sorted([
        (2, "No Klaim", "required"),
        (3, "NIK", "nik_invalid"),
        (4, "NIK", "person_not_found"),
        (5, "KPJ", "nik_kpj_mismatch"),
        (6, "Program", "program_unknown"),
        (7, "Jenis Kasus", "event_unknown"),
        (8, "Tanggal Kejadian", "date_invalid"),
        (9, "Tanggal Bayar", "required"),
        (9, "Jumlah Dibayar", "amount_invalid"),
        (10, "Tanggal Bayar", "paid_before_event"),
        (11, "Status", "status_unknown"),
        (12, "No Klaim", "duplicate_reference"),
        (13, "Tanggal Kejadian", "date_future"),
    ])
    assert report.rejected == 12 and report.created == 0
    msg = {e["row"]: e["message"] for e in report.errors}
    assert msg[6] == "Program 'JKX' tidak dikenal; isi JKK, JKM, JHT, JP atau JKP."
    assert msg[12] == "No Klaim K-9 sudah ada di baris 11."


def test_people_outside_the_uploaders_area_are_not_found(people):
    report = run(GOOD[2], area="16.02.13")
    assert [e["code"] for e in report.errors] == ["person_not_found"]
    assert not Claim.objects.exists()


def test_death_date_conflict_with_registry(people):
    from jamsos.registry.services import record_death

    record_death(people["budi"], died_on=dt.date(2025, 3, 1), source="registri")
    report = run(GOOD[0])
    assert [e["code"] for e in report.errors] == ["death_date_conflict"]


def test_dry_run_and_unreadable_files(people):
    report = run(*GOOD, dry_run=True)
    assert report.created == 3 and report.batch_id is None
    assert not Claim.objects.exists()
    from jamsos.registry.models import Person

    assert Person.objects.get(pk=people["budi"].pk).died_on is None
    with pytest.raises(UnreadableFile) as exc:
        import_claims(b"NIK;Program\n1;JKM", "x.csv", area_code="16.02", today=TODAY)
    assert "No Klaim" in str(exc.value) and "Tanggal Kejadian" in str(exc.value)
    with pytest.raises(UnreadableFile):
        import_claims(b"PK\x03\x04garbage", "x.xlsx", area_code="16.02", today=TODAY)


def test_xlsx_report(people):
    import xlsxwriter

    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = book.add_worksheet()
    ws.write_row(0, 0, ["No. Klaim", "NIK Peserta", "Program", "Tgl Kejadian", "Nominal",
                        "Tgl Bayar"])
    ws.write_row(1, 0, ["X-1", "1602021708800003", "jkk", dt.datetime(2025, 4, 1), 750000,
                        dt.datetime(2025, 4, 20)])
    book.close()
    report = import_claims(buf.getvalue(), "bpjs.xlsx", area_code="16.02", today=TODAY)
    assert (report.created, report.rejected) == (1, 0), report.errors
    claim = Claim.objects.get()
    assert (claim.program, claim.event, claim.paid_amount, claim.paid_on) == (
        "jkk", "work_accident", 750_000, dt.date(2025, 4, 20))


def test_cli_import_json(people, tmp_path):
    import json

    from django.core.management import call_command
    from django.core.management.base import CommandError

    path = tmp_path / "bpjs.csv"
    path.write_text("\n".join([HEADER, GOOD[1]]), encoding="utf-8")
    out = io.StringIO()
    call_command("claims_import", str(path), "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert (data["rows"], data["created"], data["rejected"]) == (1, 1, 0)
    path.write_text("\n".join([HEADER, GOOD[1].replace("JKK", "JKX")]), encoding="utf-8")
    with pytest.raises(CommandError, match="1 baris ditolak"):
        call_command("claims_import", str(path), stdout=io.StringIO())


def test_import_is_set_based_and_the_audit_chain_holds(people):
    """The query count does not grow with the rows; every claim event is sealed in the chain."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from jamsos.audit.selectors import verify_chain

    def rows(n, start=0):
        return [f"R-{i};1602021708800003;;JHT;PHK;{1 + i % 28:02d}-05-2025;Dibayar;"
                f"15-06-2025;{1000000 + i};;;" for i in range(start, start + n)]

    with CaptureQueriesContext(connection) as small:
        assert run(*rows(3)).created == 3
    with CaptureQueriesContext(connection) as big:
        assert run(*rows(300, 3)).created == 300
    assert len(big) == len(small)
    assert AuditEvent.objects.filter(object_type="claim", action="create").count() == 303
    assert AuditEvent.objects.filter(hash="").count() == 0
    assert verify_chain().ok
    claim = Claim.objects.get(bpjs_reference="R-10")
    assert [(s.status, s.on) for s in claim.steps.all()] == [
        ("reported", dt.date(2025, 5, 11)), ("documents_complete", dt.date(2025, 5, 11)),
        ("submitted", dt.date(2025, 5, 11)), ("paid", dt.date(2025, 6, 15))]
    assert claim.facts == {"_reported_on": "2025-05-11"}
    assert claim.import_batch_id is not None and claim.computed_at is not None


def test_update_audit_and_rejection(people):
    run(GOOD[2])
    jht = Claim.objects.get(bpjs_reference="K-003")
    rejected = GOOD[2].replace("Diproses;;;;;", "Ditolak;;;;;Bukan PHK")
    report = run(rejected)
    assert (report.updated, report.warnings) == (1, [])
    jht.refresh_from_db()
    assert (jht.status, jht.rejection_reason, jht.status_on) == ("rejected", "Bukan PHK", TODAY)
    assert [s.status for s in jht.steps.all()] == ["reported", "documents_complete",
                                                   "submitted", "rejected"]
    event = AuditEvent.objects.filter(object_type="claim", action="update").get()
    assert event.object_id == str(jht.pk)
    assert event.changes == {"status": ["submitted", "rejected"],
                             "rejection_reason": ["", "Bukan PHK"]}
    assert event.source.startswith("claims-import:") and event.hash


def test_hand_entered_claim_gets_the_missing_rungs(people):
    op = user("op", "operator", "16.02")
    manual = services.create_claim(person=people["siti"], program="jkk", event="work_accident",
                                   event_date=dt.date(2025, 4, 10), user=op,
                                   reported_on=dt.date(2025, 4, 11))
    run(GOOD[1])
    assert [(s.status, s.on) for s in manual.steps.all()] == [
        ("reported", dt.date(2025, 4, 11)), ("documents_complete", dt.date(2025, 4, 30)),
        ("submitted", dt.date(2025, 4, 30)), ("paid", dt.date(2025, 4, 30))]
    change = AuditEvent.objects.filter(object_type="claim", action="update").get()
    assert change.changes["bpjs_reference"] == [None, "K-002"]
    assert change.changes["paid_amount"] == [None, 2_500_000]


def test_a_number_of_another_person_is_refused(people):
    run(GOOD[1])
    report = run(GOOD[1].replace(";;12345678901;", ";1602021708800003;;"))
    assert [(e["code"], e["column"]) for e in report.errors] == [
        ("reference_other_person", "No Klaim")]
    assert report.errors[0]["message"] == "No Klaim K-002 sudah tercatat untuk peserta lain."
    assert Claim.objects.get().person_id == people["siti"].pk


def test_deaths_are_recorded_once_per_person(people):
    jkk = "K-009;1602131708850001;;JKK;Meninggal;05-03-2025;Diproses;;;;;"
    report = run(GOOD[0], jkk)
    assert (report.created, report.deaths_recorded) == (2, 1)
    assert AuditEvent.objects.filter(object_type="person", object_id=str(people["budi"].pk),
                                     action="update").count() == 1
    assert FollowUp.objects.filter(person=people["budi"]).count() == 1


def test_a_death_the_registry_refuses_rejects_the_row(people):
    early = GOOD[0].replace("05-03-2025", "05-03-1980").replace("20-03-2025", "20-03-1980")
    report = run(early, GOOD[2])
    assert [e["code"] for e in report.errors] == ["death_refused"]
    assert report.created == 1 and not Claim.objects.filter(bpjs_reference="K-001").exists()


def test_amounts_beyond_the_engines_bounds_are_refused(people):
    from jamsos.rules import bounds

    rows = (
        f"K-20;1602131708850001;;JKK;;05-03-2025;Dibayar;20-03-2025;{bounds.MAX_BALANCE + 1};;;",
        f"K-21;1602131708850001;;JKK;;05-03-2025;;;;{bounds.MAX_COST + 1};;",
        f"K-22;1602021708800003;;JHT;PHK;01-05-2025;;;;;{bounds.MAX_BALANCE + 1};",
        f"K-23;1602021708800003;;JHT;PHK;01-05-2025;;;;;{bounds.MAX_BALANCE};",  # at the bound
    )
    report = run(*rows)
    got = sorted((e["row"], e["column"], e["code"]) for e in report.errors)
    assert got == [(2, "Jumlah Dibayar", "amount_too_large"),
                   (3, "Biaya Perawatan", "amount_too_large"),
                   (4, "Saldo JHT", "amount_too_large")]
    assert all("di luar batas wajar" in e["message"] for e in report.errors)
