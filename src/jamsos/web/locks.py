"""One process at a time across every process of a deployment."""

from __future__ import annotations

import contextlib
import fcntl
import zlib

from django.conf import settings
from django.db import connection


@contextlib.contextmanager
def exclusive(name: str):
    """Yield True when this process holds the lock ``name``, False when another one does
    (never waits). On PostgreSQL a session advisory lock (every host sharing the database;
    released by PostgreSQL if the process dies), on SQLite a lock on a file beside the data
    (one host, like the database file)."""
    if connection.vendor == "postgresql":
        key = zlib.crc32(f"jamsos:{name}".encode())
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            got = cursor.fetchone()[0]
        try:
            yield got
        finally:
            if got:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
        return
    path = settings.DATA_DIR / f".{name}.lock"
    with path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
