"""The worker import: validation messages, upsert, dry run, atomicity."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from jamsos.audit.models import AuditEvent
from jamsos.core.importing.reader import UnreadableFile
from jamsos.registry.models import Enrolment, Person
from jamsos.registry.services import import_workers

pytestmark = pytest.mark.django_db
TODAY = dt.date(2025, 9, 2)
HEADER = "NIK;Nama;Jenis Kelamin;Tanggal Lahir;Kode Desa;Kategori;Sub Kategori;No HP;Penghasilan"
BUDI = "1602131708850001;Budi Santoso;L;17-08-1985;16.02.13.2005;d;Ketua RT;081234567890;1.500.000"
SITI = "1602135708900002;Siti Aminah;P;17/08/1990;16.02.13.2005;c;Kader posyandu;;"


def run(text: str, **kw):
    return import_workers(text.encode("utf-8"), "f.csv", today=TODAY, **kw)


def codes(report) -> set[tuple[int, str]]:
    return {(e["row"], e["code"]) for e in report.errors}


def test_valid_rows_are_stored_with_enrolments():
    report = run("\n".join([HEADER, BUDI, SITI]))
    assert (report.rows, report.created, report.updated, report.rejected) == (2, 2, 0, 0)
    budi = Person.objects.get(nik="1602131708850001")
    assert (budi.name, budi.sex, budi.birth_date) == ("Budi Santoso", "L", dt.date(1985, 8, 17))
    assert budi.desa_id == "16.02.13.2005" and budi.phone == "081234567890"
    enrolment = Enrolment.objects.get(person=budi)
    assert (enrolment.category, enrolment.subcategory, enrolment.wage) == (
        "rt_rw", "ketua_rt", 1_500_000)
    assert enrolment.segment == "BPU" and enrolment.jkk and enrolment.jkm and not enrolment.jht
    assert enrolment.start_date == dt.date(2025, 9, 1)  # default: first day of the month


def test_reimport_changes_nothing_and_correction_is_an_audited_update():
    run("\n".join([HEADER, BUDI, SITI]))
    again = run("\n".join([HEADER, BUDI, SITI]))
    assert (again.created, again.updated, again.enrolments_created, again.enrolments_updated) == (
        0, 0, 0, 0)
    events_before = AuditEvent.objects.filter(action="update").count()
    fixed = run("\n".join([HEADER, BUDI.replace("Budi Santoso", "Budi Santosa"), SITI]))
    assert (fixed.created, fixed.updated) == (0, 1)
    assert Person.objects.get(nik="1602131708850001").name == "Budi Santosa"
    event = AuditEvent.objects.filter(action="update", object_type="person").latest("id")
    assert AuditEvent.objects.filter(action="update").count() == events_before + 1
    assert event.changes == {"name": ["Budi Santoso", "Budi Santosa"]}


def test_dry_run_stores_nothing_but_reports_the_same_counts():
    report = run("\n".join([HEADER, BUDI, SITI]), dry_run=True)
    assert (report.created, report.rejected) == (2, 0)
    assert Person.objects.count() == 0 and Enrolment.objects.count() == 0


@pytest.mark.parametrize(
    ("line", "code", "column"),
    [
        ("1.60201E+15;X;L;01-01-1980;16.02.13.2005;a;;;", "nik_scientific_notation", "NIK"),
        ("160213170885001;X;L;17-08-1985;16.02.13.2005;a;;;", "nik_format", "NIK"),
        ("1602131708850000;X;L;17-08-1985;16.02.13.2005;a;;;", "nik_serial", "NIK"),
        ("1602131708850001;X;L;08/17/1985;16.02.13.2005;a;;;", "date_invalid", "Tanggal Lahir"),
        ("1602131708850001;X;L;17-08-85;16.02.13.2005;a;;;", "date_format", "Tanggal Lahir"),
        ("1602131708850001;X;Q;17-08-1985;16.02.13.2005;a;;;", "sex_invalid", "Jenis Kelamin"),
        ("1602131708850001;X;L;17-08-1985;16.02.99.2005;a;;;", "desa_code_unknown", "Kode Desa"),
        ("1602131708850001;X;L;17-08-1985;16.02.13.2005;z;;;", "category_unknown", "Kategori"),
        ("1602131708850001;X;L;17-08-1985;16.02.13.2005;a;Ketua RT;;", "subcategory_mismatch",
         "Sub Kategori"),
        ("1602131708850001;X;L;17-08-1985;16.02.13.2005;a;;0812ab;", "phone_invalid", "No HP"),
        ("1602131708850001;X;L;17-08-1985;16.02.13.2005;a;;;1.500.000,50", "amount_invalid",
         "Penghasilan"),
        ("1602131708850001;;L;17-08-1985;16.02.13.2005;a;;;", "required", "Nama"),
    ],
)
def test_each_bad_cell_is_named_by_row_column_and_code(line, code, column):
    report = run("\n".join([HEADER, BUDI, line]))
    match = [e for e in report.errors if e["row"] == 3 and e["code"] == code]
    assert match, report.errors
    assert match[0]["column"] == column and match[0]["message"]
    assert report.rejected == 1 and report.created == 1  # the good row still lands


def test_duplicates_inside_the_file():
    budi_rw = BUDI.replace("Ketua RT", "Ketua RW")
    other_budi = BUDI.replace("Budi Santoso", "Budi Lain")
    report = run("\n".join([HEADER, BUDI, BUDI, budi_rw, other_budi]))
    warnings = {(w["row"], w["code"]) for w in report.warnings}
    assert (3, "duplicate_row") in warnings
    assert (5, "duplicate_nik_role") in codes(report) or (5, "nik_conflict") in codes(report)
    assert Enrolment.objects.filter(person__nik="1602131708850001").count() == 2


def test_double_enrolment_is_recorded_once_as_insured():
    siti_rt = SITI.replace(";c;Kader posyandu;", ";d;Ketua RT;")
    run("\n".join([HEADER, SITI, siti_rt]))
    rows = Enrolment.objects.filter(person__nik="1602135708900002").order_by("category")
    assert [(e.category, e.is_primary) for e in rows] == [
        ("kelembagaan_desa", True), ("rt_rw", False)]


def test_names_instead_of_desa_code_and_ambiguous_names():
    header = "NIK,Nama,Jenis Kelamin,Tanggal Lahir,Kecamatan,Desa,Kategori"
    ok = "1602131708850001,Budi,L,1985-08-17,lempuing ,TEBING  SULUH,rt_rw"
    report = run("\n".join([header, ok]))
    assert report.rejected == 0, report.errors
    assert Person.objects.get().desa.name.lower().replace(" ", "") == "tebingsuluh"


def test_windows_1252_semicolon_bom_and_trailing_empty_rows():
    text = "\n".join([HEADER, BUDI.replace("Budi Santoso", "Budi Sàntoso"), ";;;;;;;;", ";;;;;;;;"])
    report = import_workers(text.encode("cp1252"), "f.csv", today=TODAY)
    assert (report.rows, report.created, report.rejected) == (1, 1, 0)
    assert Person.objects.get().name == "Budi Sàntoso"
    bom = ("\ufeff" + "\n".join([HEADER.replace(";", ","), SITI.replace(";", ",")])).encode()
    assert import_workers(bom, "g.csv", today=TODAY).created == 1


def test_excel_unicode_text_and_files_with_nul_characters():
    # Excel's "Unicode Text": UTF-16 with a byte-order mark, tab-separated.
    text = "\n".join([HEADER.replace(";", "\t"), SITI.replace(";", "\t")])
    assert import_workers(text.encode("utf-16"), "u.txt", today=TODAY).created == 1
    assert Person.objects.get().name == "Siti Aminah"
    # UTF-16 without its byte-order mark (or any binary file) is refused as a whole.
    with pytest.raises(UnreadableFile, match="NUL"):
        import_workers(text.encode("utf-16-le"), "u.csv", today=TODAY)
    with pytest.raises(UnreadableFile, match="UTF-8"):
        import_workers(b"\xef\xbb\xbf" + "\n".join([HEADER, BUDI]).encode("cp1252")
                       + b"\x81\xff", "b.csv", today=TODAY)


def test_cells_that_look_like_sql_nulls_or_quotes_are_stored_as_written():
    # "\N" is PostgreSQL's text-format null marker; a cell holding it must stay text.
    row = BUDI.replace("Budi Santoso", '"Budi ""Bule"""')
    text = "\n".join([HEADER + ";Pekerjaan", row + ";\\N"])
    report = run(text)
    assert report.created == 1, report.errors
    person = Person.objects.get()
    assert person.name == 'Budi "Bule"'
    assert person.enrolments.get().occupation == "\\N"


def test_headers_match_case_and_space_insensitively():
    header = ("nik , NAMA,jenis kelamin,TANGGAL  LAHIR,kode_desa,kategori,Sub kategori,no. hp,"
              "PENGHASILAN")
    report = run("\n".join([header.replace(",", ";"), BUDI]))
    assert report.created == 1 and not report.errors


def test_missing_required_column_is_unreadable():
    with pytest.raises(UnreadableFile, match="Kategori"):
        run("NIK;Nama;Jenis Kelamin;Tanggal Lahir;Kode Desa\n1602131708850001;B;L;1985-08-17;x")
    assert Person.objects.count() == 0


def test_xlsx_with_excel_dates_and_numeric_nik():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["NIK", "Nama", "Jenis Kelamin", "Tanggal Lahir", "Kode Desa", "Kategori"])
    sheet.append(["1602131708850001", "Budi", "L", dt.date(1985, 8, 17), "16.02.13.2005", "d"])
    # Excel keeps 15 significant digits: a NIK typed as a number loses its last digit.
    sheet.append([1602135708900000, "Siti", "P", "17-08-1990", "16.02.13.2005", "c"])
    sheet.append(["1602135708900003", "Ani", "P", 33102, "16.02.13.2005", "c"])  # serial date
    buf = io.BytesIO()
    book.save(buf)
    report = import_workers(buf.getvalue(), "w.xlsx", today=TODAY)
    assert report.created == 2, report.errors
    assert {(e["row"], e["code"]) for e in report.errors} == {(3, "nik_precision_lost")}
    assert Person.objects.get(nik="1602135708900003").birth_date == dt.date(1990, 8, 17)


def test_a_failure_while_writing_leaves_the_database_as_it_was(monkeypatch):
    run("\n".join([HEADER, BUDI]))
    from jamsos.registry.importing import writer

    def boom(cur, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(writer, "recompute_primary", boom)
    with pytest.raises(RuntimeError):
        run("\n".join([HEADER, BUDI.replace("Budi Santoso", "Budi X"), SITI]))
    assert list(Person.objects.values_list("name", flat=True)) == ["Budi Santoso"]
    assert Enrolment.objects.count() == 1
