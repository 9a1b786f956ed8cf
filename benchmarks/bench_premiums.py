"""Benchmark of the monthly billing run and the BPJS reconciliation (issue #6).

    .venv/bin/python benchmarks/bench_premiums.py [--rows 1000000]

1. Creates a scratch PostgreSQL database (``JAMSOS_BENCH_PG``, default
   postgres://postgres@127.0.0.1:5432/postgres → database ``jamsos_bench_premiums``) and loads
   N workers with the real import (``bench_import.make_file`` + ``import_workers``).
2. Times ``run_billing`` for one month over the N active enrolments (SELECT → engine batch →
   COPY of the lines → invoices), then a re-run of the same month (must write nothing).
3. Writes a BPJS file of N rows (our bill with a few discrepancies), and times ``reconcile``.

Targets: billing run ≤ 10 s and reconciliation ≤ 20 s on PostgreSQL for 1,000,000 rows.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import bench_import

PG_ADMIN = os.environ.get("JAMSOS_BENCH_PG", "postgres://postgres@127.0.0.1:5432/postgres")
PG_DB = "jamsos_bench_premiums"
PERIOD = dt.date(2025, 9, 1)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    os.environ.setdefault("JAMSOS_DATA_DIR", tempfile.mkdtemp(prefix="jamsos-bench-"))
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {PG_DB}")
        admin.execute(f"CREATE DATABASE {PG_DB}")
    bench_import.setup_django(PG_ADMIN.rsplit("/", 1)[0] + "/" + PG_DB)
    from jamsos.premiums.demo import bpjs_demo_file
    from jamsos.premiums.services import reconcile, run_billing
    from jamsos.registry.services import import_workers

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "workers.csv"
        bench_import.make_file(args.rows, path)
        t = time.perf_counter()
        report = import_workers(path.read_bytes(), path.name, today=dt.date(2025, 9, 2))
        assert report.rejected == 0 and report.created == args.rows, report.errors[:3]
        print(f"setup: {args.rows:,} workers imported in {time.perf_counter() - t:.1f} s")

    t = time.perf_counter()
    result = run_billing(PERIOD)
    billing_s = time.perf_counter() - t
    assert result.created and result.run.lines == args.rows, result.run.lines
    t = time.perf_counter()
    again = run_billing(PERIOD)
    rerun_s = time.perf_counter() - t
    assert not again.created
    print(f"billing run: {result.run.lines:,} lines, {result.run.invoices.count()} invoices, "
          f"total Rp{result.run.total:,} in {billing_s:.2f} s (target <= 10 s); "
          f"re-run {rerun_s:.3f} s")

    data = bpjs_demo_file(PERIOD, None)
    rows = data.count(b"\n") - 1
    t = time.perf_counter()
    rec = reconcile(data, "bpjs.csv", period=PERIOD)
    rec_s = time.perf_counter() - t
    counts = ", ".join(f"{k} {v['count']:,}" for k, v in rec.summary.items())
    print(f"reconciliation: {rows:,} rows in {rec_s:.2f} s (target <= 20 s): {counts}")
    ok = billing_s <= 10 and rec_s <= 20
    print("result:", "PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
