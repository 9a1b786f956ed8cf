"""File downloads: every one is an export, recorded in the audit trail before it is sent.

Every spreadsheet an export writes goes through :func:`workbook` (XLSX) or :func:`csv_writer`
(CSV): both neutralise text that a spreadsheet would run as a formula (:func:`neutralise`)."""

from __future__ import annotations

import csv
import io

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
}

# Excel, LibreOffice and Google Sheets read a cell starting with one of these as a formula (a
# tab or carriage return first is stripped by some of them, so the formula sign after it counts).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """``value`` as a spreadsheet will show it and never run it: text starting with = + - @ TAB
    or CR gets a leading ``'`` (OWASP CSV-injection advice); numbers and others stay as they
    are (a negative number written as a number is not a formula)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def neutralise_row(row) -> list:
    return [neutralise(v) for v in row]


def neutralise_frame(frame):
    """A polars frame with every text column neutralised (for ``write_csv``)."""
    import polars as pl

    pattern = "^[=+\\-@\t\r]"
    return frame.with_columns(
        pl.when(pl.col(c).str.contains(pattern)).then(pl.lit("'") + pl.col(c))
        .otherwise(pl.col(c)).alias(c)
        for c, dtype in frame.schema.items() if dtype == pl.String)


class _SafeWriter:
    def __init__(self, writer):
        self._writer = writer

    def writerow(self, row):
        return self._writer.writerow(neutralise_row(row))

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def csv_writer(stream, **kwargs) -> _SafeWriter:
    """A :func:`csv.writer` whose every cell passes :func:`neutralise`."""
    return _SafeWriter(csv.writer(stream, **kwargs))


class SafeWorksheet(Worksheet):
    """Every string reaches the sheet through ``_write_string`` (``write``, ``write_row`` and
    ``write_string`` alike), neutralised; the workbook never turns strings into formulas."""

    def _write_string(self, row, col, string, cell_format=None):
        return super()._write_string(row, col, neutralise(string), cell_format)


def workbook(stream) -> xlsxwriter.Workbook:
    """An in-memory xlsxwriter workbook for an export: strings stay strings (no formulas, no
    links, no numbers guessed from text) and are neutralised."""
    book = xlsxwriter.Workbook(stream, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_urls": False, "strings_to_numbers": False})
    book.worksheet_class = SafeWorksheet
    return book


def sheets_xlsx(sheets: list[tuple[str, list[str], list[list]]], *, title: str) -> bytes:
    """Each sheet: (name, header, rows). Percent columns are written as numbers."""
    buf = io.BytesIO()
    book = workbook(buf)
    book.set_properties({"title": title, "author": "jamsos"})
    bold = book.add_format({"bold": True, "bg_color": "#EEF3F5", "border": 1})
    head = book.add_format({"bold": True, "font_size": 13})
    for name, header, rows in sheets:
        ws = book.add_worksheet(name[:31])
        ws.write(0, 0, title, head)
        ws.write_row(2, 0, header, bold)
        for r, row in enumerate(rows, start=3):
            ws.write_row(r, 0, row)
        ws.set_column(0, 0, 16)
        ws.set_column(1, 1, 40)
        ws.set_column(2, len(header), 14)
        ws.freeze_panes(3, 0)
        ws.autofilter(2, 0, 2 + len(rows), len(header) - 1)
    book.close()
    return buf.getvalue()
