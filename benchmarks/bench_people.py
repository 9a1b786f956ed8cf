"""Benchmark of the people list at a million people (issues 13 and 14).

    .venv/bin/python benchmarks/bench_people.py [--rows 1000000] [--rebuild]

1. Builds (once; cached in its own PostgreSQL database ``jamsos_bench_people``) a registry of
   N people with one role each, through the worker import (``bench_import.make_file``'s
   generator, with realistic Indonesian names so that a name search finds something).
2. Times, median of 5 after one warm-up, in-process through Django's test client: the people
   list page for a kabupaten user, a kecamatan user (camat) and a kepala desa; a name search
   ("siti"), a NIK-prefix search, a filtered list (kecamatan + category + status), the last
   page within the count cap, the XLSX export of a desa, and ``GET /api/v1/people``.
3. Prints each figure with PASS/FAIL against 300 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent))

PG_ADMIN = os.environ.get("JAMSOS_BENCH_PG", "postgres://postgres@127.0.0.1:5432/postgres")
PG_DB = "jamsos_bench_people"
TARGET_MS = 300

FIRST = ["Siti", "Ahmad", "Budi", "Dewi", "Nur", "Muhammad", "Rina", "Agus", "Sri", "Eko",
         "Wati", "Yusuf", "Fitri", "Hendra", "Lestari", "Rudi", "Ani", "Joko", "Putri",
         "Rahmat", "Indah", "Bambang", "Yanti", "Dedi", "Ratna", "Andi", "Rosmala", "Heri",
         "Nurhayati", "Zainal"]
MIDDLE = ["", "Nur", "Dwi", "Tri", "Eka", "Ayu", "Putra", "Sari", "Indra", "Kurnia"]
LAST = ["Aminah", "Santoso", "Fauzi", "Rahayu", "Hidayat", "Kurniawan", "Susanti", "Saputra",
        "Wulandari", "Pratama", "Lestari", "Siregar", "Nasution", "Harahap", "Setiawan",
        "Permata", "Anggraini", "Yulianti", "Ramadhan", "Maulana", "Marlina", "Sukardi",
        "Efendi", "Hasanah", "Zulkifli", "Oktaviani", "Syahputra", "Mardiana", "Hakim",
        "Rusdi"]


def make_file(n: int, path: Path) -> None:
    import bench_import

    bench_import.make_file(n, path)
    frame = pl.read_csv(path, separator=";", infer_schema=False)
    # Names drawn by a hash of the row number, so that they do not follow the generator's
    # cycles of kecamatan and category (a name order correlated with a filter would flatter or
    # punish an index walk for reasons real data does not have).
    h = pl.int_range(0, frame.height, eager=True).hash(seed=2026)
    first = pl.Series(FIRST).gather(h % len(FIRST))
    middle = pl.Series(MIDDLE).gather((h // 31) % len(MIDDLE))
    last = pl.Series(LAST).gather((h // 331) % len(LAST))
    names = (pl.DataFrame({"f": first, "m": middle, "l": last})
             .select(pl.concat_str([pl.col("f"), pl.col("m"), pl.col("l")], separator=" ")
                     .str.replace_all("  ", " ").alias("n"))["n"])
    frame.with_columns(Nama=names).write_csv(path, separator=";")


def build(n: int, rebuild: bool) -> str:
    import psycopg

    url = PG_ADMIN.rsplit("/", 1)[0] + "/" + PG_DB
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                               [PG_DB]).fetchone()
        if exists and not rebuild:
            with psycopg.connect(url) as conn:
                try:
                    have = conn.execute("SELECT count(*) FROM registry_person").fetchone()[0]
                except psycopg.Error:
                    have = -1
            if have == n:
                print(f"data: cached, {have:,} people in {PG_DB}")
                setup_django(url)
                return url
        admin.execute(f"DROP DATABASE IF EXISTS {PG_DB}")
        admin.execute(f"CREATE DATABASE {PG_DB}")
    setup_django(url)
    from jamsos.registry.services import import_workers

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "people.csv"
        t = time.perf_counter()
        make_file(n, path)
        print(f"data: file of {n:,} rows in {time.perf_counter() - t:.1f} s")
        t = time.perf_counter()
        report = import_workers(path.read_bytes(), path.name)
        assert report.rejected == 0, report.errors[:3]
        print(f"data: imported {report.created:,} people in {time.perf_counter() - t:.1f} s")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    return url


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jamsos.settings")
    os.environ.setdefault("JAMSOS_DATA_DIR", tempfile.mkdtemp(prefix="jamsos-bench-people-"))
    os.environ.setdefault("JAMSOS_REQUEST_LOG", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def median_ms(fn, runs: int = 5) -> float:
    fn()  # warm-up (connections, templates, caches)
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def bench():
    from django.conf import settings
    from django.test import Client

    from jamsos.accounts.models import Profile
    from jamsos.accounts.services import create_user
    from jamsos.registry.models import Person

    settings.ALLOWED_HOSTS = ["*"]
    kab = settings.JAMSOS_KABUPATEN
    some = Person.objects.order_by("id").values("desa_id", "nik").first()
    desa = some["desa_id"]
    kec = desa.rsplit(".", 1)[0]
    password = "bench-people-2026"
    users = {"kab": ("operator", kab), "camat": ("camat", kec), "kades": ("kepala_desa", desa)}
    clients = {}
    for name, (role, area) in users.items():
        username = f"bench_{name}"
        if not Profile.objects.filter(user__username=username).exists():
            create_user(username=username, role=role, area_code=area, password=password,
                        validate=False)
        c = Client()
        assert c.login(username=username, password=password)
        clients[name] = c

    def page(who, params=None, path="/registri/orang/"):
        def go():
            r = clients[who].get(path, params or {})
            assert r.status_code == 200, (path, params, r.status_code)
        return go

    token = clients["kab"].post("/api/v1/auth/token",
                                {"username": "bench_kab", "password": password},
                                content_type="application/json").json()["token"]

    def api(params):
        def go():
            r = clients["kab"].get("/api/v1/people", params,
                                   HTTP_AUTHORIZATION=f"Bearer {token}")
            assert r.status_code == 200, r.content[:200]
        return go

    cases = [
        ("people list, kabupaten user", page("kab")),
        ("people list, camat (kecamatan)", page("camat")),
        ("people list, kepala desa", page("kades")),
        ("name search 'siti', kabupaten", page("kab", {"q": "siti"})),
        ("name search 'siti', kepala desa", page("kades", {"q": "siti"})),
        ("NIK-prefix search (8 digits), kabupaten", page("kab", {"q": some["nik"][:8]})),
        ("filtered: kecamatan + category + covered", page(
            "kab", {"kecamatan": kec, "kategori": "rt_rw", "status": "dijamin"})),
        ("filtered: category + funding, kabupaten", page(
            "kab", {"kategori": "rt_rw", "dana": "APBD"})),
        ("filtered: not covered, kabupaten", page("kab", {"status": "belum"})),
        ("sorted by NIK descending, kabupaten", page("kab", {"urut": "-nik"})),
        ("last page within the cap (200), kabupaten", page("kab", {"hal": 200})),
        ("sorted by category, kepala desa", page("kades", {"urut": "kategori"})),
        ("XLSX export, kepala desa's desa", page("kades", path="/registri/orang/unduh.xlsx")),
        ("GET /api/v1/people, kabupaten", api({})),
        ("GET /api/v1/people?q=siti", api({"q": "siti"})),
        ("GET /api/v1/people?desa=…", api({"desa": desa})),
    ]
    for label, fn in cases:
        yield label, median_ms(fn)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--build-only", action="store_true")
    args = parser.parse_args()
    build(args.rows, args.rebuild)
    if args.build_only:
        return 0
    ok = True
    for label, ms in bench():
        passed = ms <= TARGET_MS
        ok &= passed
        print(f"{label:<48} {ms:8.1f} ms  {'PASS' if passed else 'FAIL'} (<= {TARGET_MS} ms)",
              flush=True)
    print("result:", "PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
