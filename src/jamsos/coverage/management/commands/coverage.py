"""``jamsos coverage --by category|kabupaten|kecamatan|desa [--area KODE]
[--format json|text]`` (``--by kabupaten``: the kabupaten/kota of a province, highest
coverage first)."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand

from jamsos.core.numbers import grouped
from jamsos.coverage.selectors import coverage_report
from jamsos.coverage.services import refresh_coverage
from jamsos.registry import categories


class Command(BaseCommand):
    help = ("Cakupan kepesertaan terhadap target, per kategori, kabupaten/kota, kecamatan "
            "atau desa.")

    def add_arguments(self, parser):
        parser.add_argument("--by", choices=["category", "kabupaten", "kecamatan", "desa"],
                            required=True)
        parser.add_argument("--area", help="kode wilayah (default: kabupaten)")
        parser.add_argument("--category", choices=list(categories.BY_KEY))
        parser.add_argument("--format", choices=["json", "text"], default="text")
        parser.add_argument("--refresh", action="store_true",
                            help="hitung ulang ringkasan cakupan dulu")

    def handle(self, *args, by, area, category, format, refresh, **opts):
        if refresh:
            refresh_coverage()
        rows = coverage_report(by, area, category)
        if format == "json":
            self.stdout.write(json.dumps([r.as_json() for r in rows], ensure_ascii=False))
            return
        for r in rows:
            pct = "-" if r.percent is None else f"{r.percent} %".replace(".", ",")
            self.stdout.write(f"{r.code:<16} {r.name[:40]:<40} {grouped(r.covered):>9} / "
                              f"{grouped(r.target):>9} {pct:>8}")
