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
