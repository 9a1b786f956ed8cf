"""``jamsos coverage exclusions FILE [--dry-run] [--format json|text]``: import the list of
people who are never pekerja rentan candidates (ASN, TNI/Polri, insured elsewhere)."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jamsos.core.importing.reader import UnreadableFile, read_path
from jamsos.coverage.exclusions import import_exclusions


class Command(BaseCommand):
    help = ("Impor daftar pengecualian calon peserta (NIK, Alasan: ASN, TNI/Polri, terdaftar "
            "di tempat lain) dari CSV/XLSX.")

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--format", choices=["json", "text"], default="text")

    def handle(self, *args, file: Path, dry_run: bool, format: str, **opts):
        try:
            report = import_exclusions(read_path(file), file.name, dry_run=dry_run)
        except UnreadableFile as exc:
            raise CommandError(str(exc)) from exc
        if format == "json":
            self.stdout.write(json.dumps(report.as_json(), ensure_ascii=False))
            return
        self.stdout.write(f"Baris: {report.rows}  disimpan: {report.stored}  "
                          f"ditolak: {report.rejected}")
        for e in report.errors[:200]:
            self.stdout.write(f"  baris {e['row']} [{e['column']}] {e['code']}: {e['message']}")
