"""``jamsos restore FILE``: a backup into an empty database, then checked (see
``jamsos.web.backup``)."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from jamsos.web.backup import BackupError, restore
from jamsos.web.management.commands.backup import fail


class Command(BaseCommand):
    help = ("Pulihkan arsip cadangan ke basis data kosong, lalu periksa jejak audit dan "
            "jumlah baris.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="arsip dari jamsos backup")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, file, format, **opts):
        try:
            result = restore(file)
        except BackupError as exc:
            fail(self, format, str(exc))
        except Exception as exc:  # one line for the operator, never a traceback
            fail(self, format, f"Pemulihan gagal: {type(exc).__name__}: {exc}")
        if format == "json":
            self.stdout.write(json.dumps({
                "ok": result.ok, "tables": result.tables, "rows": result.rows,
                "files": result.files, "audit": result.audit,
                "mismatches": result.mismatches,
                "checkpoints_kept": result.checkpoints_kept}))
        summary = (f"{result.tables} tabel, {result.rows} baris, {result.files} berkas; "
                   f"jejak audit {'utuh' if result.audit_ok else 'TIDAK utuh'}")
        if result.ok:
            if format != "json":
                self.stdout.write(f"Pemulihan selesai dan diperiksa: {summary} "
                                  f"({result.audit.get('checked')} entri).")
            return
        problems = []
        if not result.audit_ok:
            problems.append(result.audit.get("reason") or result.audit.get("error") or "?")
        if result.mismatches:
            name, (want, got) = next(iter(result.mismatches.items()))
            problems.append(f"{len(result.mismatches)} tabel tidak cocok, mis. {name}: "
                            f"{want} di arsip, {got} dipulihkan")
        raise CommandError(f"Pemulihan selesai tetapi pemeriksaan gagal: {summary}; "
                           + "; ".join(problems))
