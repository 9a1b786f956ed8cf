"""``jamsos audit checkpoint``: pin the audit chain's head outside the database."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from jamsos.audit.checkpoints import path, write_checkpoint


class Command(BaseCommand):
    help = "Catat titik periksa jejak audit di luar basis data (berkas bertanda tangan)."

    def handle(self, *args, **opts):
        point = write_checkpoint()
        if point is None:
            self.stdout.write(f"Tidak ada entri baru sejak titik periksa terakhir ({path()}).")
        else:
            self.stdout.write(f"Titik periksa: entri #{point.last_id} dicatat di {path()}.")
