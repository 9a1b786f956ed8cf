"""Benchmark of the pekerja rentan candidates match (issue 17) on PostgreSQL.

    nice .venv/bin/python benchmarks/bench_candidates.py [--extract 5000000] [--registry 1000000]

Creates a scratch database ``jamsos_bench_cand`` through ``JAMSOS_BENCH_PG`` (default
``postgres://postgres@127.0.0.1:5432/postgres``), migrates it, loads OKI's regions and then,
set-based in SQL (``generate_series``), a registry of R people each with one enrolment (one in
ten ended, so not covered) and a DTSEN extract of E rows over OKI's desa (deciles 1..10, ages
0..70); every second extract NIK up to 2R is a registered person; 1 % of the extract is on
the exclusion list. It then times :func:`jamsos.coverage.candidates.per_desa` for the whole
kabupaten (the match: every extract row against registry, enrolments and exclusions, grouped
per desa), a kecamatan, and one page of a desa's worklist. Target: the kabupaten match
≤ 30 s for E = 5,000,000 and R = 1,000,000.

Then the stored counts (:func:`jamsos.coverage.services.refresh_candidates`): a full recount,
the recount after enrolling three candidates of one desa (only the desa concerned), and the
pages as a browser gets them (Django's test client, signed in): the candidates page of the
kabupaten, of a kecamatan and of a desa, a desa's worklist (first and a later page), the API
summary and the CLI's JSON — each the median of five, target ≤ 300 ms. The database is
dropped at the end.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

PG_ADMIN = os.environ.get("JAMSOS_BENCH_PG", "postgres://postgres@127.0.0.1:5432/postgres")
PG_DB = os.environ.get("JAMSOS_BENCH_DB", "jamsos_bench_cand")


def _admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(sql)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--extract", type=int, default=5_000_000)
    ap.add_argument("--registry", type=int, default=1_000_000)
    ap.add_argument("--keep", action="store_true", help="leave the scratch database")
    ap.add_argument("--reuse", action="store_true",
                    help="use the database a run with --keep left (no new data)")
    a = ap.parse_args()
    if not a.reuse:
        _admin(f"DROP DATABASE IF EXISTS {PG_DB}")
        _admin(f"CREATE DATABASE {PG_DB}")
    parts = urlsplit(PG_ADMIN)
    os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{PG_DB}"))
    os.environ.setdefault("JAMSOS_DATA_DIR", str(Path("/tmp") / "jamsos-bench-cand"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "jamsos.settings"
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    try:
        t = time.perf_counter()
        call_command("migrate", verbosity=0)
        from jamsos.regions.models import Region
        from jamsos.regions.services import load_regions

        if not Region.objects.filter(code="16.02").exists():
            load_regions(prefix="16.02")
        print(f"migrate + regions: {time.perf_counter() - t:.1f} s")
        if not a.reuse:
            t = time.perf_counter()
            _load(connection, a.extract, a.registry)
            print(f"load E={a.extract:,} R={a.registry:,}: {time.perf_counter() - t:.1f} s")
        from jamsos.coverage.candidates import criteria, per_desa, worklist
        from jamsos.coverage.services import refresh_candidates

        c = criteria()
        for label, area in (("kabupaten", "16.02"), ("kecamatan", "16.02.13")):
            for run in (1, 2):
                t = time.perf_counter()
                counts = per_desa(area, c)
                took = time.perf_counter() - t
                print(f"match {label} (run {run}): {took:.2f} s, "
                      f"{sum(counts.values()):,} candidates in {len(counts)} desa")
        desa = max(counts, key=counts.get)
        t = time.perf_counter()
        refresh_candidates()
        print(f"stored counts, full recount: {time.perf_counter() - t:.2f} s")
        for run in (1, 2):
            t = time.perf_counter()
            page, total = worklist(desa, c=c)
            print(f"worklist page of one desa (run {run}): "
                  f"{(time.perf_counter() - t) * 1000:.0f} ms ({len(page)} of {total:,})")
        _stored(desa)
    finally:
        connection.close()
        if not a.keep:
            _admin(f"DROP DATABASE IF EXISTS {PG_DB}")
    return 0


def _stored(desa: str) -> None:
    """The stored counts: a desa's recount, then the pages reading them."""
    from io import StringIO

    from bench_people import median_ms  # a sibling script (the script's folder is on the path)
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    from jamsos.accounts.services import create_user
    from jamsos.coverage.candidates import worklist
    from jamsos.coverage.services import enrol_candidates, refresh_candidates

    settings.ALLOWED_HOSTS = ["*"]
    password = "bench-Rahasia-123"
    users = get_user_model().objects
    kades = users.filter(username="bench-kades").first() or create_user(
        username="bench-kades", role="kepala_desa", area_code=desa, password=password,
        validate=False)
    if not users.filter(username="bench-admin").exists():
        create_user(username="bench-admin", role="admin", area_code="16.02", password=password,
                    validate=False)
    t = time.perf_counter()
    refresh_candidates(desa_codes=[desa])
    print(f"recount after a registry change in one desa (the desa concerned only): "
          f"{time.perf_counter() - t:.2f} s")
    from jamsos.registry.models import Person

    page = [c.nik for c in worklist(desa, page_size=200)[0]]
    known = set(Person.objects.filter(nik__in=page).values_list("nik", flat=True))
    chosen = [n for n in page if n not in known][:3]  # not registered elsewhere
    t = time.perf_counter()
    enrol_candidates(user=kades, desa_code=desa, niks=chosen, funding_source="APBD")
    print(f"enrol 3 candidates of one desa, with the recount of the desa concerned: "
          f"{time.perf_counter() - t:.2f} s")
    client = Client()
    assert client.login(username="bench-admin", password=password)
    kec = desa.rsplit(".", 1)[0]
    pages = [("candidates page, kabupaten", "/cakupan/calon/"),
             ("candidates page, kecamatan", f"/cakupan/calon/?wilayah={kec}"),
             ("candidates page, desa", f"/cakupan/calon/?wilayah={desa}"),
             ("worklist, first page", f"/cakupan/calon/{desa}/"),
             ("worklist, page 20", f"/cakupan/calon/{desa}/?halaman=20")]
    for label, url in pages:
        assert client.get(url).status_code == 200, url
        ms = median_ms(lambda url=url: client.get(url))
        print(f"{label}: {ms:.0f} ms (median of 5)")
    ms = median_ms(lambda: call_command("coverage_candidates", "--format", "json",
                                         stdout=StringIO()))
    print(f"CLI coverage candidates --format json: {ms:.0f} ms (median of 5)")


def _load(connection, extract: int, registry: int) -> None:
    from django.utils import timezone

    today = timezone.localdate()
    with connection.cursor() as cur:
        cur.execute("SELECT array_agg(code ORDER BY code) FROM regions_region "
                    "WHERE code LIKE '16.02.%%.%%'")
        desa = cur.fetchone()[0]
        cur.execute("INSERT INTO santunan_dtsenextract (valid_from, filename, sha256, rows, "
                    "rejected, created_at) VALUES (%s, 'bench.csv', '', %s, 0, now()) "
                    "RETURNING id", [today.replace(day=1), extract])
        extract_id = cur.fetchone()[0]
        nik = "'1602' || lpad(g::text, 12, '0')"
        cur.execute(
            "INSERT INTO registry_person (nik, name, sex, birth_date, desa_code, phone, "
            "created_at, updated_at) SELECT " + nik.replace("g::", "(2 * g)::") + ", "
            "'Pekerja ' || g, 'L', date '1960-01-01' + (g %% 20000), "
            "(%s::text[])[1 + g %% array_length(%s::text[], 1)], '', now(), now() "
            "FROM generate_series(1, %s) g", [desa, desa, registry])
        cur.execute(
            "INSERT INTO registry_enrolment (person_id, category, subcategory, occupation, "
            "desa_code, segment, jkk, jkm, jht, jp, jkp, wage, funding_source, start_date, "
            "end_date, status, is_primary, created_at, updated_at) SELECT id, "
            "'pekerja_rentan', '', '', desa_code, 'BPU', true, true, false, false, false, "
            "1000000, 'APBD', date '2025-01-01', CASE WHEN id % 10 = 0 THEN date '2025-06-30' "
            "END, 'active', true, now(), now() FROM registry_person")
        cur.execute(
            "INSERT INTO santunan_dtsenrecord (extract_id, nik, no_kk, decile, name, desa_code, "
            "birth_date, sex, occupation, employment_status) SELECT %s, " + nik + ", "
            "'1602' || lpad((g / 4)::text, 12, '0'), 1 + g %% 10, 'Warga ' || g, "
            "(%s::text[])[1 + (g / 3) %% array_length(%s::text[], 1)], "
            "date '1956-01-01' + ((g::bigint * 7919) %% 25550)::int, "
            "CASE WHEN g %% 2 = 0 THEN 'L' ELSE 'P' END, 'Petani', '' "
            "FROM generate_series(1, %s) g",
            [extract_id, desa, desa, extract])
        cur.execute(
            "INSERT INTO coverage_exclusion (nik, reason, source, note, filename, created_at) "
            "SELECT " + nik + ", 'asn', 'bench', '', '', now() "
            "FROM generate_series(1, %s, 100) g", [extract])
        for table in ("registry_person", "registry_enrolment", "santunan_dtsenrecord",
                      "coverage_exclusion"):
            cur.execute(f"VACUUM ANALYZE {table}")


if __name__ == "__main__":
    sys.exit(main())
