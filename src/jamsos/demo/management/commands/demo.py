"""``jamsos demo [--area 16] [--no-serve]``: a demo database with synthetic but realistic OKI
data; with ``--area 16`` a province demo (issue 16): OKI exactly as without it, plus the other
sixteen kabupaten/kota of Sumatera Selatan with synthetic data at a small, stated scale.

The workers go in through the same import code that serves real files, and the dashboard's
figures come out of the records through the same coverage code. The demo describes what it
built in ``demo.json`` next to its SQLite file (read by the settings: the demo banner, and a
province demo served again runs as a province deployment).
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
import io
import json
import os
import re
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from jamsos.accounts.models import Role
from jamsos.accounts.services import create_user
from jamsos.core.numbers import grouped
from jamsos.regions.models import Region
from jamsos.registry.models import Person, Target
from jamsos.registry.services import import_workers

DEMO_PASSWORD = "demo-jamsos-2025"  # noqa: S105 - printed for the demo's users on purpose
DEMO_KECAMATAN = "16.02.13"  # Tebing Suluh, Lempuing
DEMO_DESA = "16.02.13.2005"
#: Domain apps that add their own demo records (``jamsos.<app>.demo.build_demo``), in order.
DEMO_APPS = ("premiums", "claims", "santunan")
#: The province of the province demo (``--area``) and its launch regency.
DEMO_PROVINCE = "16"
#: Domain apps that give a synthetic regency of the province demo its own records
#: (``jamsos.<app>.demo.build_regency_demo``, when the app has it): see
#: :func:`synthetic_regency_records`.
REGENCY_DEMO_APPS = ("premiums", "claims", "santunan")


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


def province_users(province: str) -> list[tuple[str, str, str]]:
    """One login per role that works at province level (``PROVINCE_ROLES``)."""
    return [
        ("admin.sumsel", Role.ADMIN, province),
        ("gubernur", Role.PIMPINAN, province),
        ("operator.sumsel", Role.OPERATOR, province),
        ("bpjs.kanwil", Role.BPJS, province),
        ("auditor.sumsel", Role.AUDITOR, province),
    ]


def regency_admin(name: str) -> str:
    """The login of a synthetic regency's administrator: ``admin.`` + its name in lower-case
    letters (``Kota Palembang`` → ``admin.palembang``)."""
    return "admin." + re.sub(r"[^a-z]", "", re.sub(r"^(Kabupaten|Kota) ", "", name).lower())


def synthetic_regency_records(codes: list[str], *, today: dt.date, stdout) -> list[str]:
    """HOOK (issue 16): the synthetic regencies' own santunan scheme and billing settings.

    Santunan schemes and billing settings are becoming per-regency data (other branches of
    issue 16). An app gives a synthetic regency of the province demo its records by defining
    ``build_regency_demo(kabupaten_code=..., today=..., stdout=...)`` in ``jamsos.<app>.demo``
    (for example its scheme or billing settings, marked synthetic, then a billing run or a few
    cases); this calls it for every synthetic regency. Until then those regencies have workers
    and targets only. Returns the apps that had nothing to add."""
    missing = []
    for app in REGENCY_DEMO_APPS:
        module = f"jamsos.{app}.demo"
        build = (getattr(importlib.import_module(module), "build_regency_demo", None)
                 if importlib.util.find_spec(module) is not None else None)
        if build is None:
            missing.append(app)
            continue
        for code in codes:
            build(kabupaten_code=code, today=today, stdout=stdout)
    return missing


class Command(BaseCommand):
    help = "Bangun basis data demo (data sintetis OKI) lalu jalankan aplikasi web."

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="hanya bangun basis data")
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--seed", type=int, default=2025)
        parser.add_argument("--area", default="",
                            help="16: demo provinsi Sumatera Selatan (OKI + 16 kabupaten/kota "
                                 "lain dengan data sintetis)")
        parser.add_argument("--per-regency", type=int, default=None,
                            help="rata-rata kepesertaan sintetis per kabupaten/kota lain "
                                 "(demo provinsi)")

    def handle(self, *args, no_serve, host, port, seed, area="", per_regency=None, **opts):
        from jamsos.demo.province import DEFAULT_SIZE

        kabupaten = settings.JAMSOS_KABUPATEN
        if kabupaten != "16.02":
            raise CommandError("Data demo hanya tersedia untuk Kabupaten Ogan Komering Ilir "
                               "(JAMSOS_KABUPATEN=16.02).")
        if area not in ("", DEMO_PROVINCE, kabupaten):
            raise CommandError("Demo provinsi hanya tersedia untuk Sumatera Selatan "
                               "(--area 16).")
        province = area == DEMO_PROVINCE
        size = DEFAULT_SIZE if per_regency is None else per_regency
        if province and size < 1:
            raise CommandError("--per-regency harus lebih dari 0.")
        if province:  # OKI is built exactly as in its own deployment, then the province
            settings.JAMSOS_AREA = kabupaten
        call_command("migrate", interactive=False, verbosity=0)
        if Person.objects.exists():
            raise CommandError("Basis data ini sudah berisi data; demo hanya dibangun di basis "
                               "data kosong (tanpa DATABASE_URL, demo memakai berkasnya sendiri).")
        started = time.monotonic()
        report, targets, workers = self._build_oki(kabupaten, seed)
        synthetic: list[str] = []
        if province:
            settings.JAMSOS_AREA = os.environ["JAMSOS_AREA"] = DEMO_PROVINCE
            synthetic = self._build_synthetic(kabupaten, workers, seed=seed, size=size)
        self.stdout.write(
            f"Selesai dalam {time.monotonic() - started:.1f} d: {grouped(report.created)} orang, "
            f"{grouped(report.enrolments_created)} kepesertaan, "
            f"{grouped(targets.height)} target desa"
            + (" di Ogan Komering Ilir." if province else "."))
        if province:
            call_command("coverage", by="kabupaten")
        else:
            call_command("coverage", by="category")
        self._describe(area=DEMO_PROVINCE if province else kabupaten, synthetic=synthetic,
                       size=size)
        self.stdout.write("")
        self.stdout.write(f"Basis data: {settings.DATABASES['default']['NAME']}")
        self.stdout.write(f"Buka http://{host}:{port}/  — login demo (kata sandi semua: "
                          f"{DEMO_PASSWORD}):")
        users = demo_users(kabupaten)
        if province:
            users = province_users(DEMO_PROVINCE) + users
        for username, role, user_area in users:
            self.stdout.write(f"  {username:<18} {Role(role).label}  [{user_area}]")
        if province:
            self.stdout.write(f"  {'admin.<nama>':<18} {Role.ADMIN.label} tiap kabupaten/kota "
                              "sintetis (mis. admin.palembang, admin.lahat)")
        if not no_serve:
            call_command("serve", host=host, port=port)

    def _build_oki(self, kabupaten: str, seed: int):
        """OKI's launch figures: workers, targets, users, then the apps' demo records."""
        from jamsos.demo.synth import demo_targets, demo_workers

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
        return report, targets, workers

    def _build_synthetic(self, kabupaten: str, oki_workers, *, seed: int,
                         size: int) -> list[str]:
        """The other kabupaten/kota of the province: synthetic workers (through the import,
        as a regency's operator would send them) and targets, one regency at a time."""
        from jamsos.demo.province import mean_village_count, regency_plan, synthetic_regency
        from jamsos.regions.selectors import deployment_kabupaten
        from jamsos.registry.importing.columns import BY_KEY as COLUMN_BY_KEY

        codes = [c for c in deployment_kabupaten() if c != kabupaten]
        names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
        mean_villages = mean_village_count(codes)
        taken = set(oki_workers[COLUMN_BY_KEY["nik"].header].to_list())
        self.stdout.write(f"Demo provinsi: {len(codes)} kabupaten/kota lain dengan data "
                          f"SINTETIS (rata-rata {grouped(size)} kepesertaan per kabupaten/kota, "
                          "bukan angka sebenarnya):")
        with transaction.atomic():
            for username, role, area in province_users(DEMO_PROVINCE):
                create_user(username=username, role=role, area_code=area,
                            password=DEMO_PASSWORD, validate=False)
        for code in codes:
            plan = regency_plan(code, size=size, seed=seed, mean_villages=mean_villages)
            workers, targets = synthetic_regency(plan, seed=seed, taken=taken)
            buf = io.BytesIO()
            workers.write_csv(buf, separator=";")
            report = import_workers(buf.getvalue(), f"demo-sintetis-{code}.csv",
                                    area_code=code, today=dt.date.today())
            if report.rejected:
                raise CommandError(f"Data demo {names.get(code, code)} ditolak: "
                                   f"{report.errors[:5]}")
            Target.objects.bulk_create(
                Target(region_id=r["region_code"], category=r["category"],
                       headcount=r["headcount"]) for r in targets.iter_rows(named=True))
            create_user(username=regency_admin(names.get(code, code)), role=Role.ADMIN,
                        area_code=code, password=DEMO_PASSWORD, validate=False)
            self.stdout.write(f"  {names.get(code, code)}: {grouped(report.created)} orang, "
                              f"{grouped(report.enrolments_created)} kepesertaan (sintetis)")
        missing = synthetic_regency_records(codes, today=dt.date.today(), stdout=self.stdout)
        if missing:  # an app without demo records for a synthetic regency
            self.stdout.write(f"  Hanya Ogan Komering Ilir yang mempunyai data demo "
                              f"{', '.join(missing)}.")
        return codes

    def _describe(self, *, area: str, synthetic: list[str], size: int) -> None:
        """``demo.json`` next to the demo's own SQLite file (see the module), and the same in
        this process's settings for the pages it serves."""
        info = {"area": area, "synthetic": synthetic,
                "per_regency": size if synthetic else 0}
        settings.JAMSOS_DEMO = info
        name = settings.DATABASES["default"].get("NAME") or ""
        demo_db = Path(settings.DATA_DIR) / "demo.sqlite3"
        if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3") and name and \
                Path(name).expanduser().resolve() == demo_db.resolve():
            (Path(settings.DATA_DIR) / "demo.json").write_text(json.dumps(info),
                                                               encoding="utf-8")
        elif synthetic:
            self.stdout.write(f"Untuk menjalankan lagi basis data ini sebagai demo provinsi: "
                              f"JAMSOS_AREA={area} jamsos serve")
