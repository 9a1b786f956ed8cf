"""``jamsos santunan sla --from D --to D [--area CODE] [--today D] --format json|text``."""

from __future__ import annotations

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from jamsos.regions.selectors import deployment_area, in_deployment
from jamsos.santunan.selectors import sla_report


def _date(value: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{option}: tanggal tidak valid (YYYY-MM-DD): {value!r}") from None


class Command(BaseCommand):
    help = ("Ketepatan waktu santunan: berkas yang lengkap dan terverifikasi dalam periode, "
            "dibayar dalam batas SLA, median/P90, terlambat; per kecamatan dan bulan.")

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="date_from", required=True)
        parser.add_argument("--to", dest="date_to", required=True)
        parser.add_argument("--area", default=None, help="kode wilayah (bawaan: kabupaten)")
        parser.add_argument("--today", default=None, help="tanggal hitung (bawaan: hari ini)")
        parser.add_argument("--format", choices=["json", "text"], default="text")

    def handle(self, *args, date_from, date_to, area, today, format, **opts):
        d1, d2 = _date(date_from, "--from"), _date(date_to, "--to")
        if d2 < d1:
            raise CommandError("--to sebelum --from")
        area = area or deployment_area()
        if not in_deployment(area):
            raise CommandError("--area harus wilayah di kabupaten ini")
        r = sla_report(area, date_from=d1, date_to=d2,
                       today=_date(today, "--today") if today else None)
        if format == "json":
            self.stdout.write(json.dumps(r, ensure_ascii=False))
            return
        pct = "–" if r["percent_within_sla"] is None else f"{r['percent_within_sla']} %"
        self.stdout.write(
            f"Berkas: {r['cases']}  dibayar: {r['paid']}  dalam SLA: {r['paid_within_sla']} "
            f"({pct})  median: {r['median_days']}  P90: {r['p90_days']}  "
            f"terlambat: {r['overdue']}  "
            f"[{'hari kerja' if r['day_kind'] == 'working' else 'hari kalender'}]")
        for g in r["by_kecamatan"]:
            self.stdout.write(f"  {g['name']:<24} {g['cases']:>4} {g['paid']:>4} "
                              f"{g['paid_within_sla']:>4} terlambat {g['overdue']}")
