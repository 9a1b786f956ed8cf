"""Benchmark: 1,000,000 contribution computations with the vectorised engine.

Run: ``.venv/bin/python benchmarks/bench_rules.py [N]``.  Fails (exit 1) if the batch run
takes more than 5 s or if a random sample differs from the scalar engine.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import time

import polars as pl

from jamsos.rules import compute_contributions, contributions_batch, default_parameters
from jamsos.rules.contributions import ContributionFacts

LIMIT_S = 5.0
SAMPLE = 2_000
PROGRAMS = ("jkk", "jkm", "jht", "jp", "jkp")


def main(n: int = 1_000_000) -> int:
    params = default_parameters()
    rng = random.Random(20250915)
    # realistic spread: mostly around the OKI UMK, some far above the JP cap
    wages = pl.Series(
        "wage", [int(rng.lognormvariate(15.2, 0.5)) for _ in range(n)], dtype=pl.Int64
    )
    risks = pl.Series("risk_class", [rng.randint(1, 5) for _ in range(n)], dtype=pl.Int64)
    month = dt.date(2025, 3, 1)

    contributions_batch(month, "pu", wages[:1000], risks[:1000], PROGRAMS, params=params)  # warm
    t0 = time.perf_counter()
    df = contributions_batch(month, "pu", wages, risks, PROGRAMS, params=params)
    pu_s = time.perf_counter() - t0

    bpu_w = pl.Series("wage", [rng.randint(500_000, 25_000_000) for _ in range(n)], pl.Int64)
    t0 = time.perf_counter()
    df_bpu = contributions_batch(month, "bpu", bpu_w, None, ("jkk", "jkm", "jht"), params=params)
    bpu_s = time.perf_counter() - t0

    # correctness: a random sample against the scalar engine
    t0 = time.perf_counter()
    mismatches = 0
    for k in rng.sample(range(n), SAMPLE):
        res = compute_contributions(
            ContributionFacts(month, "pu", int(wages[k]), frozenset(PROGRAMS), int(risks[k])),
            params,
        )
        row = df.row(k, named=True)
        if any(row[c] != a for c, a in res.amounts().items()) or row["total"] != res.total:
            mismatches += 1
        res_b = compute_contributions(
            ContributionFacts(month, "bpu", int(bpu_w[k]), frozenset({"jkk", "jkm", "jht"})),
            params,
        )
        row_b = df_bpu.row(k, named=True)
        if any(row_b[c] != a for c, a in res_b.amounts().items()):
            mismatches += 1
    scalar_s = (time.perf_counter() - t0) / (2 * SAMPLE)

    print(f"rows                         : {n:,}")
    print(f"PU  batch (5 programmes)     : {pu_s:.3f} s  ({n / pu_s:,.0f} rows/s)")
    print(f"BPU batch (JKK+JKM+JHT)      : {bpu_s:.3f} s  ({n / bpu_s:,.0f} rows/s)")
    print(
        f"scalar engine, per row       : {scalar_s * 1e6:.1f} µs "
        f"(≈ {scalar_s * n:.0f} s for {n:,} rows)"
    )
    print(f"sample checked vs scalar     : {2 * SAMPLE:,} rows, {mismatches} mismatches")
    print(f"PU total contributions       : Rp {int(df['total'].sum()):,}".replace(",", "."))
    ok = pu_s <= LIMIT_S and bpu_s <= LIMIT_S and mismatches == 0
    print("RESULT                       :", "OK" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000))
