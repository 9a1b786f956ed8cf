"""``jamsos claims import FILE [--area KODE] [--dry-run] [--format json|text]``."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jamsos.claims.importing import import_claims
from jamsos.core.importing.reader import UnreadableFile, read_path
from jamsos.regions.selectors import deployment_area, in_deployment


class Command(BaseCommand):
    help = "Impor laporan klaim dari BPJS Ketenagakerjaan (CSV/XLSX)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--area", help="kode wilayah (default: kabupaten)")
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--format", choices=["json", "text"], default="text")

    def handle(self, *args, file, area, dry_run, format, **opts):
        path = Path(file)
        kab = deployment_area()
        area = area or kab
        if not in_deployment(area):
            raise CommandError(f"wilayah {area} di luar kabupaten {kab}")
        try:
            report = import_claims(read_path(path), path.name, area_code=area, dry_run=dry_run)
        except UnreadableFile as exc:
            raise CommandError(str(exc)) from exc
        if format == "json":
            self.stdout.write(json.dumps(report.as_json(), ensure_ascii=False, default=str))
        else:
            self.stdout.write(f"{report.rows} baris: {report.created} baru, {report.updated} "
                              f"diperbarui, {report.unchanged} tetap, {report.rejected} ditolak")
            for e in report.errors[:50]:
                self.stdout.write(f"  baris {e['row']} {e['column']}: {e['message']}")
        if report.rejected:
            raise CommandError(f"{report.rejected} baris ditolak")
