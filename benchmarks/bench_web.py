"""Benchmark of every page and API GET at a regency's scale, and of the server under load
(issue 14).

    .venv/bin/python benchmarks/bench_web.py [--people 1000000] [--months 12] [--rebuild]
    .venv/bin/python benchmarks/bench_web.py --people 100000      # flatness: a second data set
    .venv/bin/python benchmarks/bench_web.py --load --users 300   # jamsos serve + Locust

1. Builds once (kept; ``--rebuild`` to start again) a PostgreSQL database
   ``jamsos_bench_web`` (``jamsos_bench_web_<N>`` for another ``--people``): the demo
   (``jamsos demo``: 76,000 people, targets, a year of bills and payments, claims, santunan),
   plus N workers imported through the real import (``bench_import.make_file`` →
   ``import_workers``) before the demo's billing year is billed, so the year's 12 monthly
   billing runs, payments and the BPJS reconciliation cover them too (``--months``).
2. Signs in the demo's kabupaten operator and pimpinan, the camat and the kepala desa, and
   times (Django's test client, in process, median of 5 after one warm-up) every page their
   menu links to (``ROLE_MENUS``) and every API GET without path parameters (from the OpenAPI
   document), each PASS/FAIL against 300 ms.
3. ``--load``: starts ``jamsos serve`` on that database and runs Locust headless
   (``benchmarks/locustfile.py``; Locust comes with the ``bench`` extra) for the issue's
   mix, then prints p95, errors and throughput, PASS/FAIL against p95 ≤ 300 ms, 0 errors.

``--compare FILE``: the per-URL medians of an earlier run (``--save FILE``), for before/after
and for the flatness check (the same page at two registry sizes within 1.5×).

``--province [N]`` (issue 16): a province deployment instead (``JAMSOS_AREA=16``), kept in
``jamsos_bench_web_province_<N>``: ``jamsos demo --area 16`` with N synthetic enrolments
(default 2,000,000) spread over the sixteen other kabupaten/kota of Sumatera Selatan by their
number of desa (``jamsos.demo.province``), on top of OKI's demo (75,993), each regency through
the real import. Times the province users' menus (the ranking with its map, the coverage
dashboard of the province and of one kabupaten, …), the ranking for one category, a
synthetic regency's dashboard, and OKI's operator and bupati, against the same 300 ms.

    .venv/bin/python benchmarks/bench_web.py --province              # 2,000,000: ~2.1 M in all
    .venv/bin/python benchmarks/bench_web.py --province 20000        # a quick end-to-end check
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import bench_import

PG_ADMIN = os.environ.get("JAMSOS_BENCH_PG", "postgres://postgres@127.0.0.1:5432/postgres")
PG_DB = "jamsos_bench_web"
TARGET_MS = 300.0
PASSWORD = "demo-jamsos-2025"
ROLES = [("operator", "operator (kabupaten)"), ("bupati", "pimpinan (kabupaten)"),
         ("camat.lempuing", "camat (kecamatan)"), ("kades.tebingsuluh", "kepala desa")]
#: Province mode: the province users of ``jamsos demo --area 16``, then OKI's own.
PROVINCE = "16"
PROVINCE_ROLES = [("gubernur", "pimpinan (provinsi)"), ("operator.sumsel", "operator (provinsi)"),
                  ("admin.sumsel", "admin (provinsi)"), ("bpjs.kanwil", "BPJS (provinsi)"),
                  ("auditor.sumsel", "auditor (provinsi)"), ("operator", "operator (kabupaten)"),
                  ("bupati", "pimpinan (kabupaten)")]
#: A synthetic regency the province users open (Lahat: the most desa).
PROVINCE_SAMPLE_KABUPATEN = "16.04"


def db_name(people: int) -> str:
    return PG_DB if people == 1_000_000 else f"{PG_DB}_{people}"


def province_db_name(enrolments: int) -> str:
    return f"{PG_DB}_province_{enrolments}"


def pg_url(name: str) -> str:
    return PG_ADMIN.rsplit("/", 1)[0] + "/" + name


def built(name: str) -> bool:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return False
    with psycopg.connect(pg_url(name)) as conn:
        try:
            return bool(conn.execute("SELECT done FROM bench_web_built").fetchone())
        except psycopg.errors.UndefinedTable:
            return False


def build(name: str, people: int, months: int) -> None:
    """The demo with ``people`` imported workers inside its billing year (see the module)."""
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {name}")
    bench_import.setup_django(pg_url(name))
    from django.core.management import call_command
    from django.db import connection

    with connection.cursor() as cur:
        # The import's insured-role pass joins tables filled in its own transaction, which
        # have no statistics yet: the planner's nested loops over them take minutes (76,000
        # demo rows: > 8 min under load). Found here; the import is outside this issue.
        cur.execute("SET enable_nestloop = off")
    from jamsos.demo.management.commands import demo
    from jamsos.registry.services import import_workers

    # The demo command with the big import slipped in before the apps' demos bill the year.
    original = demo.import_workers
    calls = []

    def import_then_more(data, filename, **kw):
        report = original(data, filename, **kw)
        if not calls:
            calls.append(1)
            with connection.cursor() as cur:  # fresh tables: plans need their statistics
                cur.execute("ANALYZE")
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / "workers.csv"
                bench_import.make_file(people, path)
                t = time.perf_counter()
                big = import_workers(path.read_bytes(), path.name, today=kw.get("today"))
                print(f"build: {people:,} workers imported in {time.perf_counter() - t:.0f} s "
                      f"({big.created:,} new, {big.updated:,} updated, {big.rejected:,} "
                      "rejected)", flush=True)
        return report

    demo.import_workers = import_then_more
    demo.DEMO_APPS = ("premiums",)
    from jamsos.premiums import demo as premiums_demo

    premiums_demo.MONTHS = months
    premiums_demo.record_payment = lambda *a, **k: None  # set-based below (finish_premiums)
    premiums_demo.reconcile = lambda *a, **k: type("R", (), {"summary": {}})()
    bpjs_demo_file = premiums_demo.bpjs_demo_file
    premiums_demo.bpjs_demo_file = lambda *a, **k: b""
    t = time.perf_counter()
    call_command("demo", no_serve=True)
    demo.import_workers = original
    premiums_demo.bpjs_demo_file = bpjs_demo_file  # finish_premiums reconciles the real one
    finish_premiums()
    print(f"build: demo + {people:,} workers + billing in {time.perf_counter() - t:.0f} s",
          flush=True)
    mark_built(name, people)


def build_province(name: str, enrolments: int) -> None:
    """``jamsos demo --area 16`` with ``enrolments`` synthetic enrolments in the sixteen other
    kabupaten/kota (see the module)."""
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {name}")
    bench_import.setup_django(pg_url(name))
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from jamsos.demo.management.commands import demo
    from jamsos.demo.province import size_for_total
    from jamsos.regions.catalog import upper_regions

    with connection.cursor() as cur:
        cur.execute("SET enable_nestloop = off")  # as in build(): fresh tables, no statistics
    original = demo.import_workers

    def import_then_analyze(data, filename, **kw):
        t = time.perf_counter()
        report = original(data, filename, **kw)
        with connection.cursor() as cur:  # the next regency's import plans with statistics
            cur.execute("ANALYZE")
        print(f"build: {filename}: {report.enrolments_created:,} enrolments in "
              f"{time.perf_counter() - t:.0f} s", flush=True)
        return report

    others = [c for c, r in upper_regions().items() if r.parent_code == PROVINCE
              and r.level in ("kabupaten", "kota") and c != settings.JAMSOS_KABUPATEN]
    size = size_for_total(enrolments, others)
    demo.import_workers = import_then_analyze
    from jamsos.premiums import demo as premiums_demo

    # OKI's payments set-based, as in build() (finish_premiums below): the demo's loop of
    # record_payment takes tens of minutes on PostgreSQL on a busy machine.
    kept = {k: getattr(premiums_demo, k) for k in ("record_payment", "reconcile",
                                                   "bpjs_demo_file")}
    premiums_demo.record_payment = lambda *a, **k: None
    premiums_demo.reconcile = lambda *a, **k: type("R", (), {"summary": {}})()
    premiums_demo.bpjs_demo_file = lambda *a, **k: b""
    t = time.perf_counter()
    try:
        call_command("demo", no_serve=True, area=PROVINCE, per_regency=size)
    finally:
        demo.import_workers = original
        for k, v in kept.items():
            setattr(premiums_demo, k, v)
    finish_premiums(other_demos=False)  # the real BPJS file again for the reconciliation
    print(f"build: province demo ({len(others)} synthetic regencies, about {size:,} "
          f"enrolments each on average) in {time.perf_counter() - t:.0f} s", flush=True)
    mark_built(name, enrolments)


def mark_built(name: str, people: int) -> None:
    import psycopg
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("CREATE TABLE bench_web_built (done boolean, people integer)")
        cur.execute("INSERT INTO bench_web_built VALUES (true, %s)", [people])
    connection.close()
    with psycopg.connect(pg_url(name), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


PAY_SQL = """
WITH paid AS (
  UPDATE premiums_invoice i SET paid = i.billed + i.adjusted
  WHERE i.paid = 0 AND i.period < %(last)s
    AND (i.period + interval '1 month' + interval '9 days')::date <= %(today)s
    AND NOT (i.funding_source = 'MANDIRI' AND i.period > %(four)s
             AND split_part(i.payer_key, ':', 2)::bigint %% 3 = 0)
  RETURNING i.id, i.number, i.billed + i.adjusted AS amount,
            (i.period + interval '1 month' + interval '9 days')::date AS day)
INSERT INTO premiums_payment (invoice_id, amount, paid_on, reference, created_at)
SELECT id, amount, day, 'SP2D/' || number, now() FROM paid WHERE amount > 0
"""


def finish_premiums(*, other_demos: bool = True) -> None:
    """The demo's payments, set-based: its loop of ``record_payment`` (FIFO over each invoice's
    lines) takes about a minute per APBD invoice of a few hundred thousand lines on this
    machine, some 60 of them. Every bill paid in full on the 10th of the next month, except the
    last month's (none paid: the demo pays half of DPMD's) and the last four months of every
    third self-paid member; then the demo's BPJS reconciliation, claims and santunan (unless
    ``other_demos`` is false: the province build ran them already)."""
    from django.db import connection, transaction

    from jamsos.premiums import billing
    from jamsos.premiums.demo import bpjs_demo_file
    from jamsos.premiums.services import reconcile
    from jamsos.registry.models import Person

    today = dt.date.today()
    last = billing.add_months(billing.month_start(today), -1)
    from jamsos.premiums.models import Payment

    t = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cur:
        if Payment.objects.exists():  # --resume after the payments were made
            print("build: payments made before", flush=True)
        else:
            cur.execute(PAY_SQL, {"last": last, "today": today,
                                  "four": billing.add_months(last, -4)})
            cur.execute("UPDATE premiums_invoiceline l SET paid_on = p.paid_on FROM "
                        "premiums_payment p WHERE p.invoice_id = l.invoice_id "
                        "AND l.paid_on IS NULL AND p.reference NOT LIKE '%%/1'")
    print(f"build: payments in {time.perf_counter() - t:.0f} s", flush=True)
    dead = Person.objects.filter(died_on__isnull=False).order_by("id").first()
    rec = reconcile(bpjs_demo_file(last, dead), f"tagihan-bpjs-{last:%Y-%m}.csv", period=last)
    print(f"build: reconciliation {rec.rows:,} rows", flush=True)
    if not other_demos:
        return
    import importlib

    for app in ("claims", "santunan"):
        importlib.import_module(f"jamsos.{app}.demo").build_demo(today=today, stdout=sys.stdout)


def menu_urls(user) -> list[tuple[str, str]]:
    """The pages the user's menu links to (a province-level user's includes the ranking)."""
    from django.urls import reverse

    from jamsos.accounts.selectors import menu_for

    return [(item.key, reverse(item.url_name)) for item in menu_for(user)]


def province_urls(user) -> list[tuple[str, str]]:
    """Beyond the menu, for a province-level user: the ranking of one category and the
    coverage dashboard of one synthetic kabupaten (its kecamatan) and of the province."""
    from django.urls import reverse

    from jamsos.accounts.selectors import area_code_of

    if "." in (area_code_of(user) or "."):
        return []
    dashboard = reverse("coverage:dashboard")
    return [("ranking_category", reverse("web:ranking") + "?kategori=pekerja_rentan"),
            ("coverage_province", f"{dashboard}?wilayah={PROVINCE}"),
            ("coverage_kabupaten", f"{dashboard}?wilayah={PROVINCE_SAMPLE_KABUPATEN}")]


def api_gets(client) -> list[str]:
    schema = json.loads(client.get("/api/v1/openapi.json").content)
    return sorted(p for p, ops in schema["paths"].items() if "get" in ops and "{" not in p
                  and p != "/api/v1/openapi.json")


def time_get(client, url: str, headers: dict, repeat: int) -> tuple[float, int, int]:
    client.get(url, headers=headers)  # warm-up (templates, query plans, connection)
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        r = client.get(url, headers=headers)
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), r.status_code, len(r.content)


def pages(repeat: int, only: str | None, roles=ROLES) -> dict[str, float]:
    from django.contrib.auth import get_user_model
    from django.test import Client

    results: dict[str, float] = {}
    failed = 0
    for username, label in roles:
        user = get_user_model().objects.get(username=username)
        # The token first: signing in may re-encode the password hash (another iteration
        # count), which would end a session opened before it.
        token = json.loads(Client().post("/api/v1/auth/token", {
            "username": username, "password": PASSWORD}, content_type="application/json")
            .content)["token"]
        user.refresh_from_db()
        client = Client()
        client.force_login(user)
        print(f"\n{label} ({username}, {user.profile.area_id})")
        targets = [(k, u, {}) for k, u in menu_urls(user) + province_urls(user)]
        targets += [(p, p, {"Authorization": f"Bearer {token}"}) for p in api_gets(client)]
        for _key, url, headers in targets:
            if only and only not in url:
                continue
            ms, status, size = time_get(client, url, headers, repeat)
            if status == 403:
                continue  # an API the role may not call
            ok = ms <= TARGET_MS and status == 200
            failed += not ok
            results[f"{username} {url}"] = ms
            print(f"  {'PASS' if ok else 'FAIL'} {ms:8.1f} ms  {status} {size / 1024:6.0f} KB  "
                  f"{url}", flush=True)
    print(f"\npages: {len(results)} timed, {failed} over {TARGET_MS:.0f} ms or not 200: "
          f"{'PASS' if not failed else 'FAIL'}")
    return results


def compare(results: dict[str, float], path: Path) -> None:
    with path.open() as f:
        before = {r["url"]: float(r["ms"]) for r in csv.DictReader(f)}
    print(f"\nagainst {path} (ratio = now / then; flatness target ≤ 1.5)")
    worst = 0.0
    for url, ms in results.items():
        if url in before:
            ratio = ms / max(before[url], 1.0)
            worst = max(worst, ratio)
            print(f"  {ratio:5.2f}×  {before[url]:8.1f} → {ms:8.1f} ms  {url}")
    print(f"worst ratio {worst:.2f}×")


def load(name: str, users: int, spawn_rate: float, minutes: float, workers: int,
         threads: int) -> int:
    """``jamsos serve`` on the bench database and Locust headless against it."""
    locust = os.environ.get("LOCUST", "locust")
    env = {**os.environ, "DATABASE_URL": pg_url(name), "JAMSOS_REQUEST_LOG":
           "WARNING", "DJANGO_SETTINGS_MODULE": "jamsos.settings"}
    port = 8765
    serve = [sys.executable, "-m", "jamsos.cli", "serve", "--port", str(port), "--no-periodic",
             "--threads", str(threads), "--workers", str(workers)]
    server = subprocess.Popen(serve, env=env)
    try:
        for _ in range(120):
            try:
                import urllib.request

                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except Exception:
                time.sleep(1)
        with tempfile.TemporaryDirectory() as tmp:
            prefix = Path(tmp) / "locust"
            cmd = [locust, "-f", str(Path(__file__).parent / "locustfile.py"), "--headless",
                   "-u", str(users), "-r", str(spawn_rate), "-t", f"{int(minutes * 60)}s",
                   "--host", f"http://127.0.0.1:{port}", "--csv", str(prefix),
                   "--only-summary", "--reset-stats"]  # measured after the ramp
            t = time.perf_counter()
            subprocess.run(cmd, check=False, env={**os.environ, "JAMSOS_BENCH_PASSWORD": PASSWORD})
            wall = time.perf_counter() - t
            with (Path(f"{prefix}_stats.csv")).open() as f:
                rows = list(csv.DictReader(f))
    finally:
        server.terminate()
        server.wait(timeout=60)
    total = next(r for r in rows if r["Name"] == "Aggregated")
    p95, fails = float(total["95%"]), int(total["Failure Count"])
    rps = float(total["Requests/s"])
    print(f"\nload: {users} users, {wall:.0f} s, {int(total['Request Count']):,} requests, "
          f"{rps:.1f} req/s, median {total['50%']} ms, p95 {p95:.0f} ms, "
          f"p99 {total['99%']} ms, {fails} failures")
    for r in sorted(rows, key=lambda r: -float(r["95%"] or 0))[:8]:
        if r["Name"] != "Aggregated":
            print(f"  p95 {r['95%']:>6} ms  {r['Request Count']:>6}×  {r['Name']}")
    ok = p95 <= TARGET_MS and fails == 0
    print("load result:", "PASS" if ok else "FAIL", f"(p95 ≤ {TARGET_MS:.0f} ms, 0 errors)")
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--resume", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--only", help="only URLs containing this text")
    parser.add_argument("--save", type=Path, help="write the medians to this CSV")
    parser.add_argument("--compare", type=Path, help="compare with medians saved earlier")
    parser.add_argument("--load", action="store_true", help="jamsos serve + Locust instead")
    parser.add_argument("--users", type=int, default=500)
    parser.add_argument("--spawn-rate", type=float, default=5.0)
    parser.add_argument("--minutes", type=float, default=4.7, help="ramp (100 s) + 3 min")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--province", type=int, nargs="?", const=2_000_000, default=None,
                        metavar="N", help="a province deployment with N synthetic enrolments "
                        "in the other kabupaten/kota (default 2,000,000)")
    args = parser.parse_args()
    os.environ.setdefault("JAMSOS_DATA_DIR", tempfile.mkdtemp(prefix="jamsos-bench-web-"))
    os.environ.setdefault("JAMSOS_REQUEST_LOG", "WARNING")
    roles = ROLES
    name = db_name(args.people)
    if args.province is not None:
        os.environ["JAMSOS_AREA"] = PROVINCE
        name = province_db_name(args.province)
        roles = PROVINCE_ROLES
        if args.rebuild or not built(name):
            build_province(name, args.province)
    elif args.resume and not built(name):  # a build stopped after its billing runs
        bench_import.setup_django(pg_url(name))
        finish_premiums()
        mark_built(name, args.people)
    elif args.rebuild or not built(name):
        build(name, args.people, args.months)
    if args.load:
        return load(name, args.users, args.spawn_rate, args.minutes, args.workers,
                    args.threads)
    else:
        bench_import.setup_django(pg_url(name))
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    results = pages(args.repeat, args.only, roles)
    if args.save:
        with args.save.open("w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["url", "ms"])
            w.writerows(results.items())
    if args.compare:
        compare(results, args.compare)
    return 0 if all(ms <= TARGET_MS for ms in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
