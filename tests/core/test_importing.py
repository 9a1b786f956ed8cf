"""The import kit of the ground floor (issue 12): row issues, reports, refusals."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from jamsos.core.errors import DomainError
from jamsos.core.importing.issues import ISSUE_SCHEMA, ImportReport, issue_rows, split_issues
from jamsos.core.importing.reader import ROW, UnreadableFile, header_lookup, read_path

FRAME = pl.DataFrame({ROW: [2, 3, 4], "nik": ["1", "", "3"], "nama": ["A", "B", ""]})


def test_issue_rows_name_the_row_column_code_and_message():
    issues = issue_rows(FRAME, pl.col("nik") == "", "NIK", "required", "NIK wajib diisi.")
    assert issues.schema == pl.Schema(ISSUE_SCHEMA)
    assert issues.to_dicts() == [{"row": 3, "column": "NIK", "code": "required",
                                  "message": "NIK wajib diisi.", "severity": "error"}]


def test_split_sorts_by_row_keeps_order_within_a_row_and_counts_rejected_rows():
    issues = pl.concat([
        issue_rows(FRAME, pl.col("nama") == "", "Nama", "required", "x"),
        issue_rows(FRAME, pl.col(ROW) == 4, "NIK", "odd", "y"),
        issue_rows(FRAME, pl.col(ROW) == 2, "Nama", "short", "z", "warning"),
    ])
    errors, warnings, rejected = split_issues(issues)
    assert [(e["row"], e["code"]) for e in errors] == [(4, "required"), (4, "odd")]
    assert warnings == [{"row": 2, "column": "Nama", "code": "short", "message": "z"}]
    assert rejected == 1


@dataclass(kw_only=True)
class _Report(ImportReport):
    stored: int = 0

    def counts(self) -> dict:
        return {"stored": self.stored}


def test_a_report_takes_its_issues_and_adds_its_own_counts():
    report = _Report(rows=3, stored=2)
    report.take_issues(issue_rows(FRAME, pl.col("nik") == "", "NIK", "required", "x"))
    assert report.as_json() == {
        "rows": 3, "stored": 2, "rejected": 1, "dry_run": False, "ignored_headers": [],
        "errors": [{"row": 3, "column": "NIK", "code": "required", "message": "x"}],
        "warnings": []}


def test_header_spellings_ignore_case_spaces_and_punctuation():
    lookup = header_lookup({"no_hp": ("No HP", ("nomorhp",), False)})
    assert lookup == {"nohp": "no_hp", "nomorhp": "no_hp"}


def test_an_unreadable_file_is_a_refusal_of_the_file_field(tmp_path):
    with pytest.raises(UnreadableFile) as caught:
        read_path(tmp_path / "tidak-ada.csv")
    exc = caught.value
    assert isinstance(exc, DomainError)
    assert (exc.field, exc.http_status) == ("file", 422)
    assert str(exc).startswith("Berkas tidak dapat dibuka: ")


class _Upload:
    def __init__(self, name: str, size: int) -> None:
        self.name, self.size = name, size


def test_refuse_upload_names_the_missing_file_the_kind_and_both_sizes(settings):
    from jamsos.core.importing.reader import refuse_upload

    settings.JAMSOS_MAX_IMPORT_BYTES = 2 * 1024 * 1024
    assert refuse_upload(None) == "Pilih berkas CSV atau XLSX."
    assert refuse_upload(_Upload("a.pdf", 10)) == (
        "Jenis berkas .pdf tidak didukung; kirim CSV atau XLSX.")
    assert refuse_upload(_Upload("a", 10)) == "Jenis berkas ? tidak didukung; kirim CSV atau XLSX."
    assert refuse_upload(_Upload("a.PDF", 10), suffixes=frozenset({".pdf", ".png"})) is None
    assert refuse_upload(_Upload("a.jpg", 10), suffixes=frozenset({".pdf", ".png"})) == (
        "Jenis berkas .jpg tidak didukung; kirim PDF, PNG.")
    assert refuse_upload(_Upload("a.xlsx", 2 * 1024 * 1024)) is None  # exactly the cap
    assert refuse_upload(_Upload("a.csv", 3 * 1024 * 1024)) == (
        "Berkas terlalu besar (3 MB); batasnya 2 MB.")
    assert refuse_upload(_Upload("x.bin", 3000), suffixes=None, limit=2048) == (
        "Berkas terlalu besar (3 KB); batasnya 2 KB.")


@given(size=st.integers(0, 10**9), cap=st.integers(0, 10**9))
def test_refuse_upload_refuses_exactly_the_files_over_the_cap(size, cap):
    from jamsos.core.importing.reader import refuse_upload

    why = refuse_upload(_Upload("a.csv", size), limit=cap)
    assert (why is not None) == (size > cap)
    if why is not None:
        assert why.startswith("Berkas terlalu besar (") and why.endswith(("KB.", "MB."))
