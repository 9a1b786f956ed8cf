"""Benchmark of the worker import and the coverage queries (issue: registry, performance).

    .venv/bin/python benchmarks/bench_import.py [--rows 1000000] [--skip-sqlite]

1. Writes a synthetic worker file of N rows (valid NIKs, real OKI desa codes) in the import
   format.
2. PostgreSQL: times a bare ``COPY`` of that file into an unindexed table of text columns, then
   the full import (read, validate every cell, stage with COPY, upsert, audit) into an empty
   registry, and prints the ratio. Then times the coverage summary refresh and the coverage
   queries by category and by kecamatan over the N enrolments.
3. SQLite: the full import into a fresh file, in rows per second.

Targets (issue #2): import ≤ 3× bare COPY on PostgreSQL (aim 2×); ≥ 50,000 rows/s on SQLite;
coverage by category and by kecamatan ≤ 100 ms on PostgreSQL. The figures are printed and kept
in docs/performance.md.
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

PG_ADMIN = os.environ.get("JAMSOS_BENCH_PG", "postgres://postgres@127.0.0.1:5432/postgres")
PG_DB = "jamsos_bench"


def make_file(n: int, path: Path) -> None:
    """N rows in the import format, built with vectorised polars expressions."""
    from jamsos.regions import catalog

    villages = [r for r in catalog.iter_regions()
                if r.code.startswith("16.02.") and r.level in ("desa", "kelurahan")]
    kec = sorted({v.parent_code for v in villages})
    v = pl.DataFrame({"desa": [x.code for x in villages],
                      "kec": [x.parent_code for x in villages]})
    per_kec = v.group_by("kec").agg(pl.col("desa")).sort("kec")
    i = pl.int_range(0, n, eager=True).alias("i")
    df = pl.DataFrame(i).with_columns(
        kec_idx=(pl.col("i") % len(kec)),
        k=(pl.col("i") // len(kec)),
    ).with_columns(
        day_idx=pl.col("k") // 9000, serial=(pl.col("k") % 9000) + 1,
        female=(pl.col("i") % 2 == 1),
    ).with_columns(
        birth=pl.date(1970, 1, 1) + pl.duration(days=pl.col("day_idx") * 37 % 12000),
    )
    df = df.join(per_kec.with_row_index("kec_idx").with_columns(pl.col("kec_idx").cast(pl.Int64)),
                 on="kec_idx")
    df = df.with_columns(
        desa=pl.col("desa").list.get(pl.col("i") % pl.col("desa").list.len()),
        dd=(pl.col("birth").dt.day() + pl.when(pl.col("female")).then(40).otherwise(0)),
    )
    cats = ["non_asn", "perangkat_desa", "kelembagaan_desa", "rt_rw", "pekerja_rentan"]
    subs = ["gtk", "perangkat_desa", "kader_posyandu", "ketua_rt", ""]
    out = df.select(
        NIK=pl.concat_str(
            pl.col("kec").str.replace_all(r"\.", ""),
            pl.col("dd").cast(pl.String).str.zfill(2),
            pl.col("birth").dt.month().cast(pl.String).str.zfill(2),
            (pl.col("birth").dt.year() % 100).cast(pl.String).str.zfill(2),
            pl.col("serial").cast(pl.String).str.zfill(4),
        ),
        Nama=pl.concat_str(pl.lit("Warga "), pl.col("i").cast(pl.String)),
        **{"Jenis Kelamin": pl.when(pl.col("female")).then(pl.lit("P")).otherwise(pl.lit("L"))},
        **{"Tanggal Lahir": pl.col("birth").dt.to_string("%d-%m-%Y")},
        **{"Kode Desa": pl.col("desa")},
        Kategori=pl.lit(pl.Series(cats)).get(pl.col("i") % 5),
        **{"Sub Kategori": pl.lit(pl.Series(subs)).get(pl.col("i") % 5)},
        Pekerjaan=pl.when(pl.col("i") % 5 == 4).then(pl.lit("Petani karet")).otherwise(pl.lit("")),
        **{"No HP": pl.concat_str(pl.lit("0812"), (pl.col("i") % 10**8).cast(pl.String)
                                  .str.zfill(8))},
        Penghasilan=pl.lit("1500000"),
        **{"Sumber Dana": pl.lit("APBD")},
        **{"Tanggal Mulai": pl.lit("01-01-2025")},
    )
    out.write_csv(path, separator=";")


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jamsos.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def timed(fn, *args, **kw):
    t = time.perf_counter()
    result = fn(*args, **kw)
    return time.perf_counter() - t, result


def bench_postgres(path: Path, n: int) -> dict:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {PG_DB}")
        admin.execute(f"CREATE DATABASE {PG_DB}")
    url = PG_ADMIN.rsplit("/", 1)[0] + "/" + PG_DB
    header = path.open(encoding="utf-8").readline().rstrip("\n").split(";")
    # Bare COPY of the same file into an unindexed table (the yardstick).
    with psycopg.connect(url, autocommit=True) as conn:
        cols = ", ".join(f"c{i} text" for i in range(len(header)))
        conn.execute(f"CREATE UNLOGGED TABLE bare ({cols})")
        conn.execute("DROP TABLE bare")
        conn.execute(f"CREATE TABLE bare ({cols})")

        def bare_copy():
            with conn.cursor() as cur, cur.copy(
                "COPY bare FROM STDIN WITH (FORMAT csv, HEADER true, DELIMITER ';')"
            ) as copy, path.open("rb") as fh:
                while chunk := fh.read(1 << 20):
                    copy.write(chunk)

        copy_s, _ = timed(bare_copy)
        conn.execute("DROP TABLE bare")
    setup_django(url)
    from jamsos.registry.services import import_workers

    data = path.read_bytes()
    import_s, report = timed(import_workers, data, path.name)
    assert report.rejected == 0, report.errors[:3]
    assert report.created == n, (report.created, n)
    reimport_s, again = timed(import_workers, data, path.name)
    assert again.created == 0 and again.updated == 0
    floor_s = storage_floor(url)
    from jamsos.coverage.selectors import coverage_by_area, coverage_by_category
    from jamsos.coverage.services import refresh_coverage

    refresh_s, _ = timed(refresh_coverage)
    by_cat = [timed(coverage_by_category)[0] for _ in range(20)]
    by_kec = [timed(coverage_by_area, level="kecamatan")[0] for _ in range(20)]
    return {
        "copy_s": copy_s, "import_s": import_s, "ratio": import_s / copy_s,
        "floor_s": floor_s, "floor_ratio": floor_s / copy_s,
        "reimport_s": reimport_s, "refresh_s": refresh_s,
        "by_category_ms": statistics.median(by_cat) * 1000,
        "by_kecamatan_ms": statistics.median(by_kec) * 1000,
    }


def storage_floor(url: str) -> float:
    """The least any import into this schema can cost: the rows the import stored, already
    typed and sorted, copied with ``COPY`` into tables with the registry's own indexes,
    constraints and enrolment → person foreign key (no parsing, no validation, no upsert
    logic), in one transaction."""
    import io

    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        bufs = {}
        for table in ("registry_person", "registry_enrolment"):
            buf = io.BytesIO()
            with conn.cursor() as cur, cur.copy(
                    f"COPY (SELECT * FROM {table} ORDER BY id) TO STDOUT") as copy:
                for chunk in copy:
                    buf.write(chunk)
            bufs[table] = buf.getvalue()
        conn.execute("DROP SCHEMA IF EXISTS floor CASCADE")
        conn.execute("CREATE SCHEMA floor")
        conn.execute("CREATE TABLE floor.registry_person "
                     "(LIKE public.registry_person INCLUDING ALL)")
        conn.execute("CREATE TABLE floor.registry_enrolment "
                     "(LIKE public.registry_enrolment INCLUDING ALL)")
        conn.execute("ALTER TABLE floor.registry_enrolment ADD FOREIGN KEY (person_id) "
                     "REFERENCES floor.registry_person (id) DEFERRABLE INITIALLY DEFERRED")
        started = time.perf_counter()
        with conn.transaction(), conn.cursor() as cur:
            for table, data in bufs.items():
                with cur.copy(f"COPY floor.{table} FROM STDIN") as copy:
                    copy.write(data)
        seconds = time.perf_counter() - started
        conn.execute("DROP SCHEMA floor CASCADE")
    return seconds


def bench_sqlite(path: Path, n: int) -> dict:
    import subprocess

    # A separate process: Django is configured once per process.
    code = (
        "import os, sys, time; sys.path.insert(0, 'benchmarks');"
        "import bench_import as b; b.setup_django(os.environ['DATABASE_URL']);"
        "from jamsos.registry.services import import_workers;"
        f"data = open({str(path)!r}, 'rb').read(); t = time.perf_counter();"
        f"r = import_workers(data, 'bench.csv'); s = time.perf_counter() - t;"
        f"assert r.created == {n} and r.rejected == 0, (r.created, r.errors[:3]); print(s)"
    )
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3"}
        out = subprocess.run([sys.executable, "-c", code], env=env, check=True,
                             capture_output=True, text=True)
    seconds = float(out.stdout.strip().splitlines()[-1])
    return {"import_s": seconds, "rows_per_s": n / seconds}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("JAMSOS_DATA_DIR", tempfile.mkdtemp(prefix="jamsos-bench-"))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "workers.csv"
        t, _ = timed(make_file, args.rows, path)
        print(f"file: {args.rows:,} rows, {path.stat().st_size / 1e6:.0f} MB, made in {t:.1f} s")
        ok = True
        if not args.skip_sqlite:
            s = bench_sqlite(path, args.rows)
            print(f"sqlite: import {s['import_s']:.2f} s = {s['rows_per_s']:,.0f} rows/s "
                  f"(target >= 50,000)")
            ok &= s["rows_per_s"] >= 50_000
        if not args.skip_postgres:
            p = bench_postgres(path, args.rows)
            print(f"postgres: bare COPY {p['copy_s']:.2f} s; full import {p['import_s']:.2f} s "
                  f"= {p['ratio']:.2f}x COPY (target <= 3x, aim 2x); re-import (no change) "
                  f"{p['reimport_s']:.2f} s")
            print(f"postgres: storage floor (the stored rows COPYed into tables with the "
                  f"registry's indexes and foreign key, nothing else) {p['floor_s']:.2f} s = "
                  f"{p['floor_ratio']:.2f}x COPY")
            print(f"postgres: coverage refresh {p['refresh_s']:.2f} s; coverage by category "
                  f"{p['by_category_ms']:.1f} ms, by kecamatan {p['by_kecamatan_ms']:.1f} ms "
                  f"(target <= 100 ms, median of 20)")
            ok &= p["ratio"] <= 3 and max(p["by_category_ms"], p["by_kecamatan_ms"]) <= 100
        print("result:", "PASS" if ok else "FAIL")
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
