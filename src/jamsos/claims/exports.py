"""The claims report as XLSX (xlsxwriter) and PDF (fpdf2), from the same :class:`Report`."""

from __future__ import annotations

from django.utils.translation import gettext as _

from jamsos.claims.selectors import Report
from jamsos.core.dates import date_text, moment_text
from jamsos.core.downloads import sheets_xlsx as workbook
from jamsos.core.numbers import grouped, rupiah


def miliar(amount: int) -> str:
    """``8_330_000_000`` → ``Rp 8,33 miliar`` (two decimals, Indonesian comma)."""
    return "Rp " + f"{amount / 1_000_000_000:.2f}".replace(".", ",") + " " + _("miliar")


def _title(rep: Report) -> str:
    return _("Klaim dan beasiswa BPJS Ketenagakerjaan — %(area)s, %(start)s s.d. %(end)s") % {
        "area": rep.area_name, "start": date_text(rep.date_from),
        "end": date_text(rep.date_to)}


def _data_per() -> str:
    """When the figures were read (every printout says it, as every dashboard does)."""
    from django.utils import timezone

    return _("Data per %(at)s") % {"at": f"{moment_text(timezone.now())} "
                                        f"{timezone.localtime():%Z}"}


def _tables(rep: Report) -> list[tuple[str, str, list]]:
    return [
        (_("Program"), _("Program"), rep.by_program),
        (_("Bulan"), _("Bulan"), rep.by_month),
        (_("Kategori"), _("Kategori"), rep.by_category),
        (_("Kecamatan"), _("Kecamatan"), rep.by_kecamatan),
    ]


def report_xlsx(rep: Report) -> bytes:
    summary = [
        [_("Klaim dibayar"), "", rep.claims],
        [_("Nilai klaim dibayar (Rp)"), "", rep.amount],
        [_("Anak penerima beasiswa (ditetapkan)"), "", rep.scholarship_children],
        [_("Nilai hak beasiswa (Rp)"), "", rep.scholarship_amount],
        [_("Beasiswa dibayar pada periode (Rp)"), "", rep.scholarship_paid],
        [_("Klaim dengan selisih hak/bayar"), "", rep.differences],
    ]
    sheets = [(_("Ringkasan"), [_("Ukuran"), "", _("Nilai")], summary)]
    # Each row by its plain label (the programme "JKK", the month "Nov 2026", the kecamatan's
    # name), never an internal code (issue 13 item 3).
    for name, heading, rows in _tables(rep):
        sheets.append((name, [heading, _("Klaim"), _("Nilai (Rp)")],
                       [[r.label, r.claims, r.amount] for r in rows]))
    return workbook(sheets, title=f"{_title(rep)} · {_data_per()}")


def _latin1(text: str) -> str:
    """The PDF core fonts are Latin-1: replace the few typographic characters we use."""
    table = {"—": "-", "–": "-", "×": "x", "…": "...", "≥": ">=", "’": "'"}
    for k, v in table.items():
        text = text.replace(k, v)
    return text.encode("latin-1", "replace").decode("latin-1")


def report_pdf(rep: Report) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_title(_latin1(_title(rep)))
    pdf.set_author("jamsos")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 13)
    pdf.multi_cell(0, 7, _latin1(_title(rep)), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9)
    pdf.multi_cell(0, 5, _latin1(_data_per()), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("Helvetica", "", 10)
    lines = [
        _("%(n)s klaim dibayar senilai %(rp)s (%(m)s).") % {
            "n": grouped(rep.claims), "rp": rupiah(rep.amount),
            "m": miliar(rep.amount)},
        _("%(n)s anak penerima beasiswa senilai %(rp)s; dibayar pada periode: %(paid)s.") % {
            "n": rep.scholarship_children, "rp": rupiah(rep.scholarship_amount),
            "paid": rupiah(rep.scholarship_paid)},
        _("Klaim dengan selisih antara hak (mesin aturan) dan pembayaran BPJS: %(n)s.") % {
            "n": rep.differences},
    ]
    for line in lines:
        pdf.multi_cell(0, 6, _latin1(line), new_x="LMARGIN", new_y="NEXT")
    for name, head, rows in _tables(rep):
        pdf.ln(3)
        pdf.set_font("Helvetica", "B", 11)
        pdf.cell(0, 7, _latin1(_("Per %(x)s") % {"x": name.lower()}), new_x="LMARGIN",
                 new_y="NEXT")
        pdf.set_font("Helvetica", "B", 9)
        widths = (70, 20, 45, 45)
        for w, text in zip(widths, (head, _("Klaim"), _("Nilai"), ""), strict=True):
            pdf.cell(w, 6, _latin1(text), border=1)
        pdf.ln()
        pdf.set_font("Helvetica", "", 9)
        for r in rows:
            pdf.cell(widths[0], 6, _latin1(r.label[:45]), border=1)
            pdf.cell(widths[1], 6, str(r.claims), border=1, align="R")
            pdf.cell(widths[2], 6, rupiah(r.amount), border=1, align="R")
            x, y = pdf.get_x(), pdf.get_y()
            pdf.cell(widths[3], 6, "", border=1)
            pdf.set_fill_color(31, 95, 122)
            pdf.rect(x + 1, y + 1.5, max(0.1, (widths[3] - 2) * r.share / 100), 3, style="F")
            pdf.ln()
    return bytes(pdf.output())
