"""Benchmark of the BPJS claim-report import and the claims report (issue #7).

    .venv/bin/python benchmarks/bench_claims.py [--workers 20000] [--claims 100000]
                                                [--skip-sqlite] [--skip-postgres]

Each database runs in its own process (Django is configured once per process): SQLite in a
fresh file in a temporary directory; PostgreSQL in a scratch database ``jamsos_bench_claims``
created (and dropped again) through ``JAMSOS_BENCH_PG`` (default
``postgres://postgres@127.0.0.1:5432/postgres``), like ``benchmarks/bench_import.py``. Steps:

1. imports N synthetic OKI workers (the demo generator) through the worker import;
2. writes a BPJS claim report of M rows (JKK treatment and JHT claims in 2025, one in ten still
   in process, plus a few JKM deaths; people by NIK) and times its import (read, validate,
   engine per new claim, staged set-based write, audit rows sealed into the chain);
3. times the same file again (idempotent: nothing changes);
4. times a second report in which the claims in process were paid (updates and their steps);
5. times the report (count and value by programme, month, category and kecamatan);
6. checks the audit chain.

The import is set-based: the number of queries does not grow with the rows (printed; the few
that do are the per-death ``record_death`` and follow-up calls). Target: >= 20,000 rows/s on
SQLite.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PG_ADMIN = os.environ.get("JAMSOS_BENCH_PG", "postgres://postgres@127.0.0.1:5432/postgres")
PG_DB = "jamsos_bench_claims"
HEADER = ("No Klaim;NIK;Program;Jenis Kasus;Tanggal Kejadian;Status;Tanggal Bayar;"
          "Jumlah Dibayar;Biaya Perawatan;Saldo JHT")
DEATHS = 20


def report_files(niks: list[str], n: int) -> tuple[bytes, bytes]:
    """The first report and a later one in which the claims in process were paid."""
    rng = random.Random(7)
    first, later = [HEADER], [HEADER]
    mortal = niks[-DEATHS:]  # deaths on distinct people, nobody else claims for them
    living = niks[:-DEATHS]
    for i in range(n):
        paid = dt.date(2025, rng.randint(9, 12), rng.randint(1, 28))
        event = paid - dt.timedelta(days=rng.randint(10, 60))
        amount = rng.randint(1, 400) * 50_000
        if i < DEATHS:
            row = f"D-{i};{mortal[i]};JKM;Meninggal dunia;{event:%d-%m-%Y};{{}};{{}};{{}};;"
            done = ("Dibayar", f"{paid:%d-%m-%Y}", "42000000")
        elif i % 2:
            row = (f"B-{i};{rng.choice(living)};JKK;Kecelakaan kerja;{event:%d-%m-%Y};{{}};{{}};"
                   f"{{}};{amount};")
            done = ("Dibayar", f"{paid:%d-%m-%Y}", str(amount))
        else:
            row = (f"B-{i};{rng.choice(living)};JHT;Berhenti bekerja;{event:%d-%m-%Y};{{}};{{}};"
                   f"{{}};;{amount}")
            done = ("Dibayar", f"{paid:%d-%m-%Y}", str(amount))
        later.append(row.format(*done))
        first.append(row.format("Diproses", "", "") if i % 10 == 3 else row.format(*done))
    return "\n".join(first).encode(), "\n".join(later).encode()


def run_one(workers: int, claims: int) -> dict:
    """One database (``DATABASE_URL``): load workers, time the imports and the report."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jamsos.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from jamsos.audit.selectors import verify_chain
    from jamsos.claims.importing import import_claims
    from jamsos.claims.selectors import claim_report
    from jamsos.demo.synth import DEFAULT_PLAN, demo_workers
    from jamsos.registry.models import Person
    from jamsos.registry.services import import_workers

    call_command("migrate", interactive=False, verbosity=0)
    total = sum(DEFAULT_PLAN.values())
    plan = {k: max(1, v * workers // total) for k, v in DEFAULT_PLAN.items()}
    buf = io.BytesIO()
    demo_workers(plan=plan, doubles=()).write_csv(buf, separator=";")
    import_workers(buf.getvalue(), "w.csv", today=dt.date(2025, 9, 2))
    niks = list(Person.objects.values_list("nik", flat=True).order_by("id"))
    first, later = report_files(niks, claims)
    out: dict = {"vendor": connection.vendor, "claims": claims}
    for label, data in (("import", first), ("re-import", first), ("update", later)):
        with CaptureQueriesContext(connection) as q:
            t0 = time.perf_counter()
            rep = import_claims(data, "bpjs.csv", area_code="16.02", today=dt.date(2026, 1, 1))
            seconds = time.perf_counter() - t0
        assert rep.rejected == 0, rep.errors[:3]
        out[label] = {"s": seconds, "rows_per_s": claims / seconds, "created": rep.created,
                      "updated": rep.updated, "unchanged": rep.unchanged,
                      "deaths": rep.deaths_recorded, "queries": len(q)}
    assert out["import"]["created"] == claims and out["re-import"]["unchanged"] == claims
    assert out["update"]["updated"] == len([i for i in range(claims) if i % 10 == 3])
    t0 = time.perf_counter()
    r = claim_report("16.02", dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    out["report"] = {"ms": (time.perf_counter() - t0) * 1000, "claims": r.claims,
                     "amount": r.amount}
    t0 = time.perf_counter()
    check = verify_chain()
    out["chain"] = {"ok": check.ok, "checked": check.checked,
                    "s": time.perf_counter() - t0}
    return out


def in_process(url: str, args) -> dict:
    env = {**os.environ, "DATABASE_URL": url}
    proc = subprocess.run([sys.executable, __file__, "--one", "--workers", str(args.workers),
                           "--claims", str(args.claims)], env=env, check=True,
                          capture_output=True, text=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def show(r: dict) -> None:
    for label in ("import", "re-import", "update"):
        x = r[label]
        print(f"{r['vendor']}: {label}: {r['claims']:,} rows in {x['s']:.2f} s "
              f"({x['rows_per_s']:,.0f} rows/s); created {x['created']:,}, updated "
              f"{x['updated']:,}, unchanged {x['unchanged']:,}, deaths {x['deaths']}, "
              f"{x['queries']:,} queries")
    print(f"{r['vendor']}: report: {r['report']['claims']:,} claims, "
          f"Rp {r['report']['amount']:,} in {r['report']['ms']:.0f} ms; audit chain "
          f"{'ok' if r['chain']['ok'] else 'BROKEN'} ({r['chain']['checked']:,} events, "
          f"{r['chain']['s']:.1f} s)")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=20_000)
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ.setdefault("JAMSOS_DATA_DIR", tempfile.mkdtemp(prefix="jamsos-bench-claims-"))
    if args.one:
        print(json.dumps(run_one(args.workers, args.claims)))
        return 0
    ok = True
    if not args.skip_sqlite:
        with tempfile.TemporaryDirectory() as tmp:
            r = in_process(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}", args)
        show(r)
        print(f"sqlite: target >= 20,000 rows/s: {r['import']['rows_per_s']:,.0f}")
        ok &= r["import"]["rows_per_s"] >= 20_000 and r["chain"]["ok"]
    if not args.skip_postgres:
        import psycopg

        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {PG_DB}")
            admin.execute(f"CREATE DATABASE {PG_DB}")
        try:
            r = in_process(PG_ADMIN.rsplit("/", 1)[0] + "/" + PG_DB, args)
        finally:
            with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
                admin.execute(f"DROP DATABASE IF EXISTS {PG_DB}")
        show(r)
        ok &= r["chain"]["ok"]
    print("result:", "PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
