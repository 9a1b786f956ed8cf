"""XLSX renderings: a letter-ready header block, a totals table, then detail sheets."""

from __future__ import annotations

import datetime as dt
import io

from jamsos.core.dates import month_text
from jamsos.core.downloads import workbook as new_workbook


def month_name(day: dt.date) -> str:
    """The one month format (``Nov 2026``, :mod:`jamsos.core.dates`)."""
    return month_text(day)


def workbook(*, header: list[str], summary: tuple[str, list[str], list[list]] | None,
             sheets: list[tuple[str, list[str], list[list]]], money_from: int = 2) -> bytes:
    """``header``: lines of the header block (first = bold title). ``summary``: (sheet name,
    column headers, rows) written under the header block; ``sheets``: detail sheets. Integer
    cells from column ``money_from`` on get a thousands format (rupiah)."""
    buf = io.BytesIO()
    book = new_workbook(buf)
    book.set_properties({"title": header[0] if header else "", "author": "jamsos"})
    title = book.add_format({"bold": True, "font_size": 13})
    bold = book.add_format({"bold": True, "bg_color": "#EEF3F5", "border": 1, "text_wrap": True})
    money = book.add_format({"num_format": "#,##0"})
    total_fmt = book.add_format({"bold": True, "num_format": "#,##0", "top": 1})

    def table(ws, top: int, cols: list[str], rows: list[list], *, totals: bool = False) -> None:
        ws.write_row(top, 0, cols, bold)
        for r, row in enumerate(rows, start=top + 1):
            for c, value in enumerate(row):
                if isinstance(value, int) and not isinstance(value, bool) and c >= money_from:
                    ws.write_number(r, c, value, total_fmt if totals and r == top + len(rows)
                                    else money)
                elif value is None:
                    ws.write_blank(r, c, None)
                else:
                    ws.write(r, c, value)
        ws.set_column(0, 0, 22)
        ws.set_column(1, 1, 36)
        ws.set_column(2, max(len(cols) - 1, 2), 17)

    if summary is not None:
        name, cols, rows = summary
        ws = book.add_worksheet(name[:31])
        for i, line in enumerate(header):
            ws.write(i, 0, line, title if i == 0 else None)
        table(ws, len(header) + 1, cols, rows, totals=True)
    for name, cols, rows in sheets:
        ws = book.add_worksheet(name[:31])
        ws.write(0, 0, header[0] if header else name, title)
        table(ws, 2, cols, rows)
        ws.freeze_panes(3, 0)
        if rows:
            ws.autofilter(2, 0, 2 + len(rows), len(cols) - 1)
    book.close()
    return buf.getvalue()
