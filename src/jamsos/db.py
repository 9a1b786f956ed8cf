"""Bulk loading of a polars frame into a table: ``COPY`` on PostgreSQL, one ``executemany``
on SQLite. Shared by every set-based write path (worker import, billing, reconciliation,
claim reports).

The frame goes to ``COPY`` as CSV with every text value quoted and nulls as unquoted empty
fields, which is PostgreSQL's own CSV convention: a cell holding ``\\N``, an empty string or
a quote character arrives exactly as it was, and only a real null becomes NULL.
"""

from __future__ import annotations

import io

import polars as pl
from django.db import connection


def copy_frame(cur, table: str, columns, frame: pl.DataFrame) -> None:
    """Insert ``frame``'s ``columns`` (in that order) into ``table`` through the Django
    cursor ``cur``. ``table`` and ``columns`` are identifiers chosen by the caller's code,
    never user input; values always travel as data."""
    columns = list(columns)
    frame = frame.select(columns)
    if frame.height == 0:
        return
    names = ", ".join(columns)
    if connection.vendor == "postgresql":
        buf = io.BytesIO()
        frame.write_csv(buf, include_header=False, quote_style="non_numeric",
                        date_format="%Y-%m-%d")
        with cur.cursor.copy(f"COPY {table} ({names}) FROM STDIN WITH (FORMAT csv)") as copy:
            copy.write(buf.getbuffer())
        return
    frame = frame.with_columns(pl.col(pl.Date).dt.to_string("%Y-%m-%d"))
    marks = ", ".join("?" for _ in columns)
    cur.cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})",  # noqa: S608
                           frame.iter_rows())


def serialise(name: str) -> None:
    """Let one transaction at a time pass this point, until it ends (PostgreSQL: a
    transaction-level advisory lock keyed by ``name``; SQLite's writers are serialised by its
    ``BEGIN IMMEDIATE`` transactions already). For writers that check, then insert — a
    billing run, a registry import — so the later one sees what the earlier one wrote."""
    if connection.vendor != "postgresql":
        return
    import zlib

    with connection.cursor() as cur:
        cur.execute("SELECT pg_advisory_xact_lock(%s, %s)",
                    [0x4A414D53, zlib.crc32(name.encode()) & 0x7FFFFFFF])

