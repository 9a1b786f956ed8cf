"""``jamsos import workers FILE [--dry-run] [--format json|text]``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jamsos.core.downloads import neutralise_frame
from jamsos.core.importing.reader import UnreadableFile, read_path
from jamsos.registry.services import import_workers


class Command(BaseCommand):
    help = "Impor daftar pekerja (CSV/XLSX): upsert menurut NIK, semua atau tidak sama sekali."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true",
                            help="periksa saja; tidak ada yang disimpan")
        parser.add_argument("--format", choices=["json", "text"], default="text")
        parser.add_argument("--rejected-out", type=Path,
                            help="tulis baris yang ditolak ke berkas CSV ini")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, file: Path, dry_run: bool, format: str, rejected_out, no_progress,
               **opts):
        progress = _progress(enabled=not no_progress and sys.stderr.isatty())
        try:
            data = read_path(file)
            with progress as bar:
                report = import_workers(data, file.name, dry_run=dry_run, progress=bar)
        except UnreadableFile as exc:
            if format == "json":
                self.stdout.write(json.dumps({"error": str(exc)}, ensure_ascii=False))
            raise CommandError(str(exc)) from exc
        if rejected_out and report.rejected_frame is not None:
            neutralise_frame(report.rejected_frame).write_csv(rejected_out)
        if format == "json":
            self.stdout.write(json.dumps(report.as_json(), ensure_ascii=False, default=str))
            return
        self.stdout.write(
            f"Baris: {report.rows}  baru: {report.created}  diperbarui: {report.updated}  "
            f"ditolak: {report.rejected}  peringatan: {len(report.warnings)}"
            + ("  (uji coba: tidak ada yang disimpan)" if dry_run else "")
        )
        for issue in report.errors[:200]:
            self.stdout.write(f"  baris {issue['row']} [{issue['column']}] {issue['code']}: "
                              f"{issue['message']}")
        if len(report.errors) > 200:
            self.stdout.write(f"  … dan {len(report.errors) - 200} kesalahan lain")


class _progress:
    """A rich progress bar on a terminal; silent otherwise."""

    def __init__(self, enabled: bool):
        self.enabled = enabled

    def __enter__(self):
        if not self.enabled:
            return lambda stage, pct: None
        from rich.progress import Progress

        self._p = Progress(transient=True)
        self._p.start()
        task = self._p.add_task("impor", total=100)
        return lambda stage, pct: self._p.update(task, completed=pct, description=stage)

    def __exit__(self, *exc):
        if self.enabled:
            self._p.stop()
        return False
