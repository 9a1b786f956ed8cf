"""``jamsos serve [--host H] [--port P]``: the web application and its background worker."""

from __future__ import annotations

import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


class Command(BaseCommand):
    help = "Jalankan aplikasi web jamsos (dan pekerja latar untuk impor)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-worker", action="store_true",
                            help="jangan jalankan pekerja latar (impor web)")
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument("--no-periodic", action="store_true",
                            help="jangan jalankan tugas berkala per jam (cakupan harian, "
                                 "notifikasi SLA santunan)")

    def handle(self, *args, host, port, no_worker, no_periodic, threads, **opts):
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            self.stdout.write("Menyiapkan basis data (migrate)…")
            call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        worker = None
        if not no_worker:
            worker = subprocess.Popen(
                [sys.executable, "-m", "jamsos.cli", "db_worker", "--interval", "0.5"],
            )
        stop = None
        if not no_periodic:
            from jamsos.web.periodic import start_thread

            _thread, stop = start_thread()
        from waitress import serve

        from jamsos.wsgi import application

        self.stdout.write(f"jamsos berjalan di http://{host}:{port}/  (Ctrl+C untuk berhenti)")
        try:
            serve(application, host=host, port=port, threads=threads, ident="jamsos")
        finally:
            if stop is not None:
                stop.set()
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=10)
