"""``jamsos dtsen import FILE --valid-from YYYY-MM-DD [--dry-run] [--format json|text]``
(``jamsos santunan dtsen …`` is the same command)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jamsos.core.importing.reader import UnreadableFile, read_path
from jamsos.dtsen.importing import import_extract


class Command(BaseCommand):
    help = ("Impor ekstrak DTSEN kabupaten (NIK, No KK, Desil; pilihan: Nama, Kode Desa, "
            "Tanggal Lahir, Jenis Kelamin, Pekerjaan, Status Pekerjaan) dari CSV/XLSX.")

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--valid-from", required=True, help="berlaku mulai (YYYY-MM-DD)")
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--format", choices=["json", "text"], default="text")

    def handle(self, *args, file: Path, valid_from: str, dry_run: bool, format: str, **opts):
        try:
            day = dt.date.fromisoformat(valid_from)
        except ValueError:
            raise CommandError(f"--valid-from: tanggal tidak valid: {valid_from!r}") from None
        try:
            report = import_extract(read_path(file), file.name, valid_from=day, dry_run=dry_run)
        except UnreadableFile as exc:
            if format == "json":
                self.stdout.write(json.dumps({"error": str(exc)}, ensure_ascii=False))
            raise CommandError(str(exc)) from exc
        if format == "json":
            self.stdout.write(json.dumps(report.as_json(), ensure_ascii=False, default=str))
            return
        self.stdout.write(f"Baris: {report.rows}  disimpan: {report.stored}  "
                          f"ditolak: {report.rejected}"
                          + ("  (uji coba: tidak ada yang disimpan)" if dry_run else ""))
        for e in report.errors[:200]:
            self.stdout.write(f"  baris {e['row']} [{e['column']}] {e['code']}: {e['message']}")
