"""``jamsos claims report --from YYYY-MM-DD --to YYYY-MM-DD [--area KODE] [--format json|text]``.

Claims paid (count and value) by programme, month, category and kecamatan, and scholarships
(children granted and their entitlement) — the same report code as the web page.
"""

from __future__ import annotations

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from jamsos.claims.exports import miliar, report_pdf, report_xlsx
from jamsos.claims.selectors import claim_report
from jamsos.core.dates import date_text
from jamsos.core.numbers import rupiah
from jamsos.regions.models import Region
from jamsos.regions.selectors import deployment_area, in_deployment


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"tanggal tidak valid: {value!r} (YYYY-MM-DD)") from exc


class Command(BaseCommand):
    help = "Laporan klaim dan beasiswa untuk satu periode."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="date_from", required=True)
        parser.add_argument("--to", dest="date_to", required=True)
        parser.add_argument("--area", help="kode wilayah (default: kabupaten)")
        parser.add_argument("--format", choices=["json", "text", "xlsx", "pdf"], default="text")
        parser.add_argument("--output", help="berkas keluaran untuk xlsx/pdf")

    def handle(self, *args, date_from, date_to, area, format, output, **opts):
        start, end = _date(date_from), _date(date_to)
        if end < start:
            raise CommandError("--to sebelum --from")
        kab = deployment_area()
        area = area or kab
        if not in_deployment(area) or not Region.objects.filter(code=area).exists():
            raise CommandError(f"wilayah {area} tidak dikenal atau di luar kabupaten {kab}")
        rep = claim_report(area, start, end)
        if format == "json":
            self.stdout.write(json.dumps(rep.as_json(), ensure_ascii=False))
            return
        if format in ("xlsx", "pdf"):
            if not output:
                raise CommandError("--output wajib untuk xlsx/pdf")
            data = report_xlsx(rep) if format == "xlsx" else report_pdf(rep)
            with open(output, "wb") as fh:
                fh.write(data)
            self.stdout.write(output)
            return
        self.stdout.write(f"{rep.area_name} {date_text(start)} s.d. {date_text(end)}")
        self.stdout.write(f"Klaim dibayar: {rep.claims} senilai {rupiah(rep.amount)} "
                          f"({miliar(rep.amount)})")
        for r in rep.by_program:
            self.stdout.write(f"  {r.label:<6} {r.claims:>6} {rupiah(r.amount):>22}")
        self.stdout.write(f"Beasiswa: {rep.scholarship_children} anak, "
                          f"{rupiah(rep.scholarship_amount)}")
