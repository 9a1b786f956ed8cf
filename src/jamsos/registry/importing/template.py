"""The downloadable import template (XLSX): headers, an example row and instructions."""

from __future__ import annotations

import io

import xlsxwriter

from jamsos.registry import categories
from jamsos.registry.importing.columns import COLUMNS


def template_xlsx() -> bytes:
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    text = book.add_format({"num_format": "@"})
    head = book.add_format({"bold": True, "bg_color": "#EEF3F5", "border": 1, "num_format": "@"})
    ws = book.add_worksheet("Pekerja")
    for i, col in enumerate(COLUMNS):
        ws.write_string(0, i, col.header, head)
        ws.write_string(1, i, col.example, text)
        ws.set_column(i, i, max(14, len(col.header) + 4), text)  # every cell formatted as Text
    ws.freeze_panes(1, 0)
    info = book.add_worksheet("Petunjuk")
    bold = book.add_format({"bold": True})
    info.write_row(0, 0, ["Kolom", "Wajib", "Keterangan"], bold)
    for r, col in enumerate(COLUMNS, start=1):
        info.write_row(r, 0, [col.header, "ya" if col.required else "", col.note])
    r = len(COLUMNS) + 2
    info.write(r, 0, "Kategori dan sub kategori", bold)
    for c in categories.CATEGORIES:
        r += 1
        subs = ", ".join(str(v) for v in c.subcategories.values()) or "isi kolom Pekerjaan"
        info.write_row(r, 0, [f"{c.letter}) {c.label}", c.key, subs])
    info.set_column(0, 0, 40)
    info.set_column(1, 1, 18)
    info.set_column(2, 2, 70)
    book.close()
    return buf.getvalue()
