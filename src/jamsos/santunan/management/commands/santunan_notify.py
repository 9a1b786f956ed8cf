"""``jamsos santunan notify [--today D]``: day-5 notices to the head of the agency.

Idempotent (each case is notified once per recipient), so a scheduler may run it hourly.
Also sends any e-mail left in the outbox.
"""

from __future__ import annotations

import datetime as dt
import json

from django.core.management.base import BaseCommand

from jamsos.santunan.services import day_notices


class Command(BaseCommand):
    help = "Kirim notifikasi hari ke-5 SLA santunan ke kepala dinas (aman dijalankan berulang)."

    def add_arguments(self, parser):
        parser.add_argument("--today", default=None)
        parser.add_argument("--format", choices=["json", "text"], default="text")

    def handle(self, *args, today, format, **opts):
        result = day_notices(today=dt.date.fromisoformat(today) if today else None)
        if format == "json":
            self.stdout.write(json.dumps(result))
        else:
            self.stdout.write(f"Berkas hari ke-5 atau lebih: {result['cases_due']}  notifikasi "
                              f"baru: {result['notifications']}  e-mail terkirim: "
                              f"{result['emails_sent']}")
