"""Benchmark of the BPJS claim-report import and the claims report (issue #7).

    .venv/bin/python benchmarks/bench_claims.py [--workers 20000] [--claims 20000]

Uses its own SQLite file in a temporary directory unless ``DATABASE_URL`` is set (then that
database must be empty). Steps:

1. imports N synthetic OKI workers (the demo generator) through the worker import;
2. writes a BPJS claim report of M rows (JKK treatment and JHT claims, paid in 2025, people by
   NIK) and times its import (read, validate, engine per row, set-based write, audit);
3. times the same file again (idempotent: nothing changes);
4. times the report (count and value by programme, month, category and kecamatan).

The import is set-based: the number of queries does not grow with the rows (printed).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import sys
import tempfile
import time
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=20_000)
    parser.add_argument("--claims", type=int, default=20_000)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="jamsos-bench-claims-"))
    os.environ.setdefault("JAMSOS_DATA_DIR", str(tmp))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp / 'bench.sqlite3'}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jamsos.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from jamsos.claims.importing import import_claims
    from jamsos.claims.selectors import claim_report
    from jamsos.demo.synth import DEFAULT_PLAN, demo_workers
    from jamsos.registry.models import Person
    from jamsos.registry.services import import_workers

    call_command("migrate", verbosity=0)
    total = sum(DEFAULT_PLAN.values())
    plan = {k: max(1, v * args.workers // total) for k, v in DEFAULT_PLAN.items()}
    buf = io.BytesIO()
    demo_workers(plan=plan, doubles=()).write_csv(buf, separator=";")
    import_workers(buf.getvalue(), "w.csv", today=dt.date(2025, 9, 2))
    people = list(Person.objects.values_list("nik", flat=True).order_by("id"))
    rng = random.Random(7)
    lines = ["No Klaim;NIK;Program;Jenis Kasus;Tanggal Kejadian;Status;Tanggal Bayar;"
             "Jumlah Dibayar;Biaya Perawatan;Saldo JHT"]
    for i in range(args.claims):
        nik = rng.choice(people)
        paid = dt.date(2025, rng.randint(9, 12), rng.randint(1, 28))
        event = paid - dt.timedelta(days=rng.randint(10, 60))
        amount = rng.randint(1, 400) * 50_000
        if i % 2:
            lines.append(f"B-{i};{nik};JKK;Kecelakaan kerja;{event:%d-%m-%Y};Dibayar;"
                         f"{paid:%d-%m-%Y};{amount};{amount};")
        else:
            lines.append(f"B-{i};{nik};JHT;Berhenti bekerja;{event:%d-%m-%Y};Dibayar;"
                         f"{paid:%d-%m-%Y};{amount};;{amount}")
    data = "\n".join(lines).encode()
    results = {}
    for label in ("import", "re-import"):
        reset_queries()
        with CaptureQueriesContext(connection) as q:
            t0 = time.perf_counter()
            rep = import_claims(data, "bpjs.csv", area_code="16.02",
                                today=dt.date(2026, 1, 1))
            results[label] = time.perf_counter() - t0
        print(f"{label}: {args.claims:,} rows in {results[label]:.2f} s "
              f"({args.claims / results[label]:,.0f} rows/s), created {rep.created:,}, "
              f"unchanged {rep.unchanged:,}, rejected {rep.rejected:,}, {len(q):,} queries")
    t0 = time.perf_counter()
    r = claim_report("16.02", dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    print(f"report: {r.claims:,} claims, Rp {r.amount:,} in "
          f"{(time.perf_counter() - t0) * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
