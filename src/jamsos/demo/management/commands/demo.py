"""``jamsos demo [--no-serve]``: a demo database with synthetic but realistic OKI data.

The workers go in through the same import code that serves real files, and the dashboard's
figures come out of the records through the same coverage code.
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
import io
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from jamsos.accounts.models import Role
from jamsos.accounts.services import create_user
from jamsos.core.numbers import grouped
from jamsos.registry.models import Person, Target
from jamsos.registry.services import import_workers

DEMO_PASSWORD = "demo-jamsos-2025"  # noqa: S105 - printed for the demo's users on purpose
DEMO_KECAMATAN = "16.02.13"  # Tebing Suluh, Lempuing
DEMO_DESA = "16.02.13.2005"
#: Domain apps that add their own demo records (``jamsos.<app>.demo.build_demo``), in order.
DEMO_APPS = ("premiums", "claims", "santunan")


def demo_users(kabupaten: str) -> list[tuple[str, str, str]]:
    return [
        ("admin", Role.ADMIN, kabupaten),
        ("bupati", Role.PIMPINAN, kabupaten),
        ("operator", Role.OPERATOR, kabupaten),
        ("dinsos", Role.VERIFIKATOR, kabupaten),
        ("kadinsos", Role.VERIFIKATOR, kabupaten),  # head of Dinas Sosial: approves payments
        ("camat.lempuing", Role.CAMAT, DEMO_KECAMATAN),
        ("kades.tebingsuluh", Role.KEPALA_DESA, DEMO_DESA),
        ("bpjs", Role.BPJS, kabupaten),
        ("auditor", Role.AUDITOR, kabupaten),
    ]


class Command(BaseCommand):
    help = "Bangun basis data demo (data sintetis OKI) lalu jalankan aplikasi web."

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="hanya bangun basis data")
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--seed", type=int, default=2025)

    def handle(self, *args, no_serve, host, port, seed, **opts):
        from jamsos.demo.synth import demo_targets, demo_workers

        kabupaten = settings.JAMSOS_KABUPATEN
        if kabupaten != "16.02":
            raise CommandError("Data demo hanya tersedia untuk Kabupaten Ogan Komering Ilir "
                               "(JAMSOS_KABUPATEN=16.02).")
        call_command("migrate", interactive=False, verbosity=0)
        if Person.objects.exists():
            raise CommandError("Basis data ini sudah berisi data; demo hanya dibangun di basis "
                               "data kosong (tanpa DATABASE_URL, demo memakai berkasnya sendiri).")
        started = time.monotonic()
        workers = demo_workers(kabupaten_code=kabupaten, seed=seed)
        buf = io.BytesIO()
        workers.write_csv(buf, separator=";")
        self.stdout.write(f"Mengimpor {grouped(workers.height)} baris pekerja sintetis…")
        report = import_workers(buf.getvalue(), "demo-pekerja-oki.csv",
                                today=dt.date.today())
        if report.rejected:
            raise CommandError(f"Data demo ditolak: {report.errors[:5]}")
        targets = demo_targets(workers, seed=seed)
        with transaction.atomic():
            Target.objects.bulk_create(
                Target(region_id=r["region_code"], category=r["category"],
                       headcount=r["headcount"]) for r in targets.iter_rows(named=True))
            for username, role, area in demo_users(kabupaten):
                create_user(username=username, role=role, area_code=area,
                            password=DEMO_PASSWORD, validate=False)
        for app in DEMO_APPS:
            module = f"jamsos.{app}.demo"
            if importlib.util.find_spec(module) is not None:
                importlib.import_module(module).build_demo(today=dt.date.today(),
                                                           stdout=self.stdout)
        self.stdout.write(
            f"Selesai dalam {time.monotonic() - started:.1f} d: {grouped(report.created)} orang, "
            f"{grouped(report.enrolments_created)} kepesertaan, "
            f"{grouped(targets.height)} target desa.")
        call_command("coverage", by="category")
        self.stdout.write("")
        self.stdout.write(f"Basis data: {settings.DATABASES['default']['NAME']}")
        self.stdout.write(f"Buka http://{host}:{port}/  — login demo (kata sandi semua: "
                          f"{DEMO_PASSWORD}):")
        for username, role, area in demo_users(kabupaten):
            self.stdout.write(f"  {username:<18} {Role(role).label}  [{area}]")
        if not no_serve:
            call_command("serve", host=host, port=port)
