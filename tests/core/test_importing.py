"""The import kit of the ground floor (issue 12): row issues, reports, refusals."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl
import pytest

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
