"""Issue 15 #6: text that a spreadsheet would run as a formula is neutralised in every export."""

from __future__ import annotations

import csv
import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jamsos.audit.services import record
from jamsos.core.downloads import csv_writer, neutralise, workbook
from jamsos.registry.models import Enrolment, EnrolmentStatus, ImportBatch
from jamsos.registry.tasks import run_import
from tests.factories import HEADER, PASSWORD, TEBING_SULUH, import_rows, user

pytestmark = pytest.mark.django_db

LINK = '=HYPERLINK("http://contoh.invalid/x";"klik")'


def login(client, username, role, area):
    user(username, role, area)
    assert client.login(username=username, password=PASSWORD)


def formulas(content: bytes) -> list[str]:
    """The formula elements of every worksheet of an XLSX."""
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        return [name for name in z.namelist() if name.startswith("xl/worksheets/")
                and (b"<f>" in z.read(name) or b"<f " in z.read(name))]


def cells(content: bytes) -> list:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return [v for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row]


@pytest.mark.parametrize(("value", "expected"), [
    ("=1+1", "'=1+1"), ("+62812", "'+62812"), ("-5", "'-5"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1+1", "'\t=1+1"), ("\r=1+1", "'\r=1+1"), ("Budi", "Budi"), ("", ""), ("a=1", "a=1"),
    (-5, -5), (12, 12), (None, None), (1.5, 1.5),
])
def test_neutralise(value, expected):
    assert neutralise(value) == expected


def test_the_shared_writers_neutralise_every_cell():
    buf = io.StringIO()
    w = csv_writer(buf, delimiter=";")
    w.writerow(["=2+2", -3, "ok"])
    assert buf.getvalue().strip() == "'=2+2;-3;ok"
    out = io.BytesIO()
    book = workbook(out)
    ws = book.add_worksheet("x")
    ws.write(0, 0, "=1+1")
    ws.write_row(1, 0, [LINK, "http://contoh.invalid", -7])
    ws.write_string(2, 0, "@cmd")
    book.close()
    assert formulas(out.getvalue()) == []
    assert cells(out.getvalue()) == ["'=1+1", None, None, "'" + LINK, "http://contoh.invalid",
                                     -7, "'@cmd", None, None]


def test_desa_worklist_export_has_no_live_formula(client):
    quoted = '"' + LINK.replace('"', '""') + '"'
    import_rows(f"1602135708910004;{quoted};P;17-08-1991;{TEBING_SULUH};c;PKK",
                f"1602135708910005;=1+1;P;17-08-1991;{TEBING_SULUH};c;PKK")
    Enrolment.objects.update(status=EnrolmentStatus.SUSPENDED)  # on the worklist
    login(client, "op", "operator", "16.02")
    reply = client.get(reverse("coverage:worklist_export", args=[TEBING_SULUH]))
    assert reply.status_code == 200
    assert formulas(reply.content) == []
    values = cells(reply.content)
    assert "'" + LINK in values and "'=1+1" in values and LINK not in values


def test_invoice_export_has_no_live_formula(client):
    import datetime as dt

    from jamsos.premiums.models import Invoice
    from jamsos.premiums.services import run_billing

    import_rows(f"1602135708910005;=1+1;P;17-08-1991;{TEBING_SULUH};c;PKK")
    Enrolment.objects.update(start_date=dt.date(2025, 1, 1))
    run_billing(dt.date(2025, 9, 1))
    login(client, "op", "operator", "16.02")
    invoice = Invoice.objects.get()
    reply = client.get(reverse("premiums:invoice_export", args=[invoice.pk]))
    assert formulas(reply.content) == [] and "'=1+1" in cells(reply.content)


def test_rejected_rows_file_has_no_live_formula(client):
    login(client, "op", "operator", "16.02")
    body = "\n".join([HEADER, f"1602130000000000;=1+1;P;17-08-1991;{TEBING_SULUH};c;PKK"])
    client.post(reverse("registry:imports"),
                {"file": SimpleUploadedFile("desa.csv", body.encode())})
    batch = ImportBatch.objects.latest("id")
    run_import.call(batch.pk)
    reply = client.get(reverse("registry:import_rejected", args=[batch.pk]))
    assert reply.status_code == 200
    assert formulas(reply.content) == [] and "'=1+1" in cells(reply.content)


def test_audit_csv_has_no_live_formula(client):
    record(user=None, action="update", obj_type="person", obj_id="=1+1",
           changes={"name": ["a", "b"]})
    login(client, "aud", "auditor", "16.02")
    reply = client.get(reverse("audit:export"), {"jenis": "person"})
    rows = list(csv.reader(io.StringIO(b"".join(reply.streaming_content).decode())))
    assert rows[1][6] == "'=1+1"


def test_cli_rejected_rows_file_has_no_live_formula(tmp_path):
    from django.core.management import call_command

    src = tmp_path / "d.csv"
    src.write_text("\n".join([HEADER, f"1602130000000000;=1+1;P;17-08-1991;{TEBING_SULUH};c;"
                                      "+62 PKK"]))
    out = tmp_path / "ditolak.csv"
    call_command("import_workers", str(src), "--rejected-out", str(out), "--no-progress")
    rows = list(csv.reader(io.StringIO(out.read_text())))
    assert "'=1+1" in rows[1] and "'+62 PKK" in rows[1] and "=1+1" not in rows[1]
