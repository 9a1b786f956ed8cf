"""``jamsos coverage candidates [--area KODE] [--format json|text]``: pekerja rentan
candidates from DTSEN not yet protected, per desa, with their annual premium as BPU."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from jamsos.coverage.candidates import summary
from jamsos.regions.models import Region
from jamsos.regions.selectors import deployment_area, in_deployment


class Command(BaseCommand):
    help = ("Calon peserta pekerja rentan dari DTSEN yang belum terlindungi, per desa, "
            "dengan iuran setahun sebagai BPU.")

    def add_arguments(self, parser):
        parser.add_argument("--area", help="kode wilayah (default: kabupaten)")
        parser.add_argument("--format", choices=["json", "text"], default="text")

    def handle(self, *args, area, format, **opts):
        area = area or deployment_area()
        if not in_deployment(area) or not Region.objects.filter(
                code=area).exists():
            raise CommandError(f"--area: wilayah tidak dikenal di kabupaten ini: {area!r}")
        s = summary(area)
        if format == "json":
            self.stdout.write(json.dumps(s.as_json(), ensure_ascii=False))
            return
        c = s.criteria
        self.stdout.write(
            f"{s.area.name}: {s.total:,} calon peserta, iuran setahun Rp{s.annual_premium:,} "
            f"(desil 1–{c.max_decile}, usia {c.age.min_age}–{c.age.max_age}"
            f"{' belum dikonfirmasi' if c.age.unconfirmed else ''}, "
            f"Rp{c.premium.amount:,} per orang)".replace(",", "."))
        for d in s.by_desa:
            self.stdout.write(f"{d.code:<16} {d.name[:40]:<40} {d.candidates:>9} "
                              f"{d.annual_premium:>15}")
