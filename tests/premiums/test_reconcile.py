"""Reconciliation of a BPJS bill: every class, totals, errors, XLSX and the CLI."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
import xlsxwriter
from django.core.management import call_command

from jamsos.premiums.models import ReconciliationRow
from jamsos.premiums.services import PremiumError, reconcile, run_billing
from jamsos.registry.models import Enrolment, Person
from jamsos.registry.services import record_death
from tests.factories import TEBING_SULUH, import_rows

from .conftest import AHMAD, BUDI, SITI

pytestmark = pytest.mark.django_db
SEP = dt.date(2025, 9, 1)
RINA = "1602135708910004"
UNKNOWN = "1602131708990009"
HEADER = "NIK;KPJ;Nama;Segmen;Program;Iuran;Periode"


@pytest.fixture
def billed(people):
    import_rows(f"{RINA};Rina Wati;P;17-08-1991;{TEBING_SULUH};c;PKK")
    Enrolment.objects.update(start_date=dt.date(2025, 1, 1))
    record_death(Person.objects.get(nik=BUDI), died_on=dt.date(2025, 8, 3), source="test")
    run_billing(SEP)  # Siti 16.800, Ahmad 10.800, Rina 16.800; Budi not (died in August)


def bpjs_file() -> bytes:
    rows = [
        HEADER,
        f"{AHMAD};12345678901;Ahmad Fauzi;PU;JKK,JKM;10800;2025-09",        # matched
        f"{SITI};;Siti Aminah;BPU;JKK,JKM;Rp 20.000;09-2025",               # amount differs
        f"{BUDI};;Budi Santoso;BPU;JKK,JKM;16.800;2025-09",                 # billed after death
        f"{UNKNOWN};;Orang Lain;BPU;JKK,JKM;16800;2025-09",                 # not in registry
        f"{AHMAD};98765432109;Ahmad Fauzi;BPU;JKK,JKM;16800;2025-09",       # twice (2nd KPJ)
        "12345;;Salah;BPU;JKK;16800;2025-09",                                # error: NIK
        f"{SITI};;Siti Aminah;BPU;JKK;abc;2025-09",                          # error: amount
        f"{SITI};;Siti Aminah;BPU;JKK;16800;2025-08",                        # error: period
    ]                                                                        # Rina: not billed
    return "\n".join(rows).encode()


def test_every_class_with_totals(billed):
    rec = reconcile(bpjs_file(), "bpjs-09.csv", period=SEP)
    s = rec.summary
    assert {k: v["count"] for k, v in s.items()} == {
        "matched": 1, "amount_differs": 1, "not_in_registry": 1, "not_billed": 1,
        "after_death": 1, "duplicate": 1}
    assert s["matched"] == {"count": 1, "bpjs": 10_800, "ours": 10_800}
    assert s["amount_differs"] == {"count": 1, "bpjs": 20_000, "ours": 16_800}
    assert s["not_billed"] == {"count": 1, "bpjs": 0, "ours": 16_800}
    assert s["after_death"]["bpjs"] == 16_800 and s["not_in_registry"]["bpjs"] == 16_800
    assert s["duplicate"]["bpjs"] == 16_800
    assert rec.rows == 8
    assert [(e["row"], e["column"], e["code"]) for e in rec.errors] == [
        (7, "NIK", "nik_invalid"), (8, "Iuran", "amount_invalid"), (9, "Periode", "period_other")]
    dup = ReconciliationRow.objects.get(reconciliation=rec, cls="duplicate")
    assert (dup.row, dup.kpj) == (6, "98765432109")
    dead = ReconciliationRow.objects.get(reconciliation=rec, cls="after_death")
    assert dead.note == "meninggal 2025-08-03" and dead.desa_code == TEBING_SULUH


def test_duplicate_keeps_the_row_with_our_kpj(billed):
    Person.objects.filter(nik=AHMAD).update(kpj="98765432109")
    rec = reconcile(bpjs_file(), "bpjs-09.csv", period=SEP)
    # Our KPJ is on the second row: that one is compared (16.800 ≠ 10.800), the first is extra.
    dup = ReconciliationRow.objects.get(reconciliation=rec, cls="duplicate")
    assert dup.kpj == "12345678901"
    assert rec.summary["amount_differs"]["count"] == 2


def test_xlsx_file_is_read_too(billed):
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf)
    ws = book.add_worksheet()
    ws.write_row(0, 0, ["No KPJ", "NIK", "Nama Peserta", "Jumlah Iuran"])
    ws.write_row(1, 0, ["", AHMAD, "Ahmad", 10800])
    book.close()
    rec = reconcile(buf.getvalue(), "bpjs.xlsx", period=SEP)
    assert rec.summary["matched"]["count"] == 1 and rec.summary["not_billed"]["count"] == 2


def test_a_month_without_billing_is_refused(people):
    with pytest.raises(PremiumError):
        reconcile(bpjs_file(), "x.csv", period=SEP)


def test_cli_prints_counts_and_amounts(billed, tmp_path, capsys):
    path = tmp_path / "bpjs.csv"
    path.write_bytes(bpjs_file())
    call_command("reconcile", str(path), period="2025-09", format="json")
    out = json.loads(capsys.readouterr().out)
    assert out["classes"]["amount_differs"] == {"count": 1, "bpjs": 20_000, "ours": 16_800}
    assert out["classes"]["duplicate"]["count"] == 1
    assert out["errors"] == 3
