"""``jamsos audit verify``: recompute the hash chain; report the first broken link."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from jamsos.audit.selectors import verify_chain


class Command(BaseCommand):
    help = "Periksa keutuhan jejak audit (rantai hash)."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["json", "text"], default="text")

    def handle(self, *args, format, **opts):
        result = verify_chain()
        if format == "json":
            self.stdout.write(json.dumps({"ok": result.ok, "checked": result.checked,
                                          "broken_at": result.broken_at,
                                          "reason": result.reason,
                                          "checkpoints": result.checkpoints}))
        elif result.ok:
            self.stdout.write(f"Jejak audit utuh: {result.checked} entri diperiksa, "
                              f"{result.checkpoints} titik periksa cocok.")
        if not result.ok:
            raise CommandError(f"Rantai putus pada entri #{result.broken_at}: {result.reason} "
                               f"({result.checked} entri diperiksa).")
