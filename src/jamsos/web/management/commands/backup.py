"""``jamsos backup FILE``: the database and the kept files in one archive (see
``jamsos.web.backup``)."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from jamsos.web.backup import BackupError, backup


class Command(BaseCommand):
    help = "Cadangkan basis data, berkas unggahan, dokumen dan titik periksa audit ke satu arsip."

    def add_arguments(self, parser):
        parser.add_argument("file", help="arsip tujuan, mis. /var/backups/jamsos/2025-09-02.tar.gz")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, file, format, **opts):
        try:
            manifest = backup(file)
        except BackupError as exc:
            fail(self, format, str(exc))
        except Exception as exc:  # one line for the operator, never a traceback
            fail(self, format, f"Cadangan gagal: {type(exc).__name__}: {exc}")
        rows = sum(manifest["tables"].values())
        files = len(manifest["members"]) - 1
        if format == "json":
            self.stdout.write(json.dumps({"ok": True, "file": str(file),
                                          "vendor": manifest["vendor"],
                                          "created": manifest["created"],
                                          "tables": len(manifest["tables"]), "rows": rows,
                                          "files": files}))
        else:
            self.stdout.write(f"Cadangan {manifest['vendor']} ditulis ke {file}: "
                              f"{len(manifest['tables'])} tabel, {rows} baris, {files} berkas.")


def fail(command: BaseCommand, format: str, message: str):
    message = " ".join(message.split())
    if format == "json":
        command.stdout.write(json.dumps({"ok": False, "error": message}))
    raise CommandError(message) from None
