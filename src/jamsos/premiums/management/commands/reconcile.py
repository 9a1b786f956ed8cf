"""``jamsos reconcile FILE --period YYYY-MM [--kabupaten KODE] [--format json|text]``: check a
BPJS bill against one regency's bill of the month (a province deployment names the regency)."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jamsos.core.dates import month_text
from jamsos.core.importing.reader import UnreadableFile, read_path
from jamsos.core.numbers import grouped
from jamsos.premiums.models import RecClass
from jamsos.premiums.services import PremiumError, reconcile

from ._common import parse_period, rupiah


class Command(BaseCommand):
    help = "Rekonsiliasi daftar tagihan BPJS Ketenagakerjaan dengan tagihan bulan itu."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--period", required=True, help="bulan iuran YYYY-MM")
        parser.add_argument("--kabupaten", default=None,
                            help="kode kabupaten/kota (wajib di aplikasi provinsi)")
        parser.add_argument("--format", choices=["json", "text"], default="text")

    def handle(self, *args, file, period, format, kabupaten=None, **opts):
        month = parse_period(period)
        path = Path(file)
        try:
            rec = reconcile(read_path(path), path.name, period=month, kabupaten=kabupaten)
        except (PremiumError, UnreadableFile) as exc:
            raise CommandError(str(exc)) from exc
        if format == "json":
            self.stdout.write(json.dumps({
                "reconciliation": rec.pk, "period": f"{rec.period:%Y-%m}", "rows": rec.rows,
                "classes": rec.summary, "errors": len(rec.errors),
                "error_details": rec.errors[:100]}, ensure_ascii=False))
            return
        self.stdout.write(f"Rekonsiliasi #{rec.pk} {month_text(rec.period)}: "
                          f"{grouped(rec.rows)} baris")
        for c in RecClass:
            s = rec.summary[c.value]
            self.stdout.write(f"  {c.label:<36} {grouped(s['count']):>9}  "
                              f"BPJS {rupiah(s['bpjs']):>16}  kita {rupiah(s['ours']):>16}")
        for e in rec.errors[:20]:
            self.stdout.write(f"  baris {e['row']}, kolom {e['column']}: {e['message']}")
