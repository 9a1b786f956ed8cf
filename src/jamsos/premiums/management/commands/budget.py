"""``jamsos budget --year YYYY [--area KODE] [--format json|text]``: the APBD budget."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from jamsos.premiums.selectors import budget, premiums_vs_benefits
from jamsos.rules import MissingParameterError

from ._common import rupiah


class Command(BaseCommand):
    help = "Anggaran APBD: biaya cakupan saat ini dan tambahan biaya mencapai 100 % target."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--area", help="kode wilayah (default: kabupaten)")
        parser.add_argument("--format", choices=["json", "text"], default="text")

    def handle(self, *args, year, area, format, **opts):
        try:
            b = budget(year, area)
        except MissingParameterError as exc:
            raise CommandError(str(exc)) from exc
        pvb = premiums_vs_benefits(b.area_code, year)
        if format == "json":
            out = b.as_json()
            out["premiums_vs_benefits"] = {"premiums_paid": pvb.premiums,
                                           "benefits": pvb.benefits, "message": pvb.message}
            self.stdout.write(json.dumps(out, ensure_ascii=False))
            return
        self.stdout.write(f"Anggaran {year} — wilayah {b.area_code}")
        self.stdout.write(f"  APBD cakupan saat ini     {rupiah(b.apbd_current):>20}")
        self.stdout.write(f"  tambahan menuju 100 %     {rupiah(b.additional):>20}")
        full = rupiah(b.apbd_current + b.additional)
        self.stdout.write(f"  APBD pada 100 % target    {full:>20}")
        for k, v in b.by_source.items():
            self.stdout.write(f"  sumber dana {k:<13} {rupiah(v):>20}")
        for n in b.notes:
            self.stdout.write(f"  catatan: {n}")
