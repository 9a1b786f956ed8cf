"""``jamsos periodic``: run the clock-driven jobs once (coverage of the day, santunan SLA
notices and e-mail). ``jamsos serve`` runs them hourly by itself; use this from cron when the
web application is served some other way."""

from __future__ import annotations

import datetime as dt
import json

from django.core.management.base import BaseCommand

from jamsos.web.periodic import run_exclusive


class Command(BaseCommand):
    help = ("Jalankan tugas berkala sekali: hitung ulang cakupan hari ini bila perlu, "
            "notifikasi SLA santunan dan e-mail (aman dijalankan berulang).")

    def add_arguments(self, parser):
        parser.add_argument("--today", default=None, help="tanggal (YYYY-MM-DD), bawaan hari ini")

    def handle(self, *args, today, **opts):
        done = run_exclusive(dt.date.fromisoformat(today) if today else None)
        self.stdout.write(json.dumps(done))
