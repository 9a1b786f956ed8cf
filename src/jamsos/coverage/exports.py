"""XLSX renderings of coverage tables."""

from __future__ import annotations

import io

from jamsos.web.downloads import workbook as new_workbook


def workbook(sheets: list[tuple[str, list[str], list[list]]], *, title: str) -> bytes:
    """Each sheet: (name, header, rows). Percent columns are written as numbers."""
    buf = io.BytesIO()
    book = new_workbook(buf)
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
