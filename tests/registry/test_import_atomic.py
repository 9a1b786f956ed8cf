"""An import lands whole or not at all: a killed process, a file cut short."""

from __future__ import annotations

import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from jamsos.registry.models import Person
from jamsos.registry.services import import_workers
from tests.factories import HEADER, PEOPLE

TODAY = dt.date(2025, 9, 2)


def _big_file(path: Path, n: int) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    import bench_import

    bench_import.make_file(n, path)


def _jamsos(env, *args, **kw):
    return subprocess.Popen([sys.executable, "-m", "jamsos.cli", *args], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kw)


@pytest.fixture
def fresh_database(tmp_path):
    """A database of its own for the child processes: a SQLite file, or a PostgreSQL DB."""
    env = {**os.environ, "JAMSOS_DATA_DIR": str(tmp_path)}
    if connection.vendor == "postgresql":
        import psycopg

        settings = connection.settings_dict
        admin = (f"host={settings['HOST'] or '127.0.0.1'} port={settings['PORT'] or 5432} "
                 f"user={settings['USER']} dbname=postgres")
        with psycopg.connect(admin, autocommit=True) as c:
            c.execute("DROP DATABASE IF EXISTS jamsos_killtest")
            c.execute("CREATE DATABASE jamsos_killtest")
        env["DATABASE_URL"] = (f"postgres://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}"
                               f":{settings['PORT'] or 5432}/jamsos_killtest")

        def count(sql):
            with psycopg.connect(admin.replace("dbname=postgres", "dbname=jamsos_killtest")) as c:
                return c.execute(sql).fetchone()[0]

        def writing(pid):
            with psycopg.connect(admin.replace("dbname=postgres", "dbname=jamsos_killtest")) as c:
                return c.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = 'jamsos_killtest' "
                    "AND (query ILIKE 'INSERT INTO registry_%%' OR query ILIKE 'COPY %%')"
                ).fetchone()[0] > 0
        yield env, count, writing
        with psycopg.connect(admin, autocommit=True) as c:
            c.execute("DROP DATABASE IF EXISTS jamsos_killtest WITH (FORCE)")
    else:
        db = tmp_path / "kill.sqlite3"
        env["DATABASE_URL"] = f"sqlite:///{db}"

        def count(sql):
            with sqlite3.connect(db) as c:
                return c.execute(sql).fetchone()[0]

        def writing(pid):  # the write transaction has begun once the WAL grows
            wal = Path(f"{db}-wal")
            return wal.exists() and wal.stat().st_size > 4 * 1024 * 1024
        yield env, count, writing


@pytest.mark.django_db
def test_killed_import_leaves_the_database_exactly_as_it_was(fresh_database, tmp_path):
    env, count, writing = fresh_database
    assert _jamsos(env, "migrate").wait(timeout=120) == 0
    small = tmp_path / "small.csv"
    small.write_text("\n".join([HEADER, *PEOPLE]))
    assert _jamsos(env, "import", "workers", str(small)).wait(timeout=120) == 0
    before = [count(f"SELECT count(*) FROM {t}") for t in (
        "registry_person", "registry_enrolment", "registry_importbatch", "audit_auditevent")]
    assert before[0] == 3

    big = tmp_path / "big.csv"
    _big_file(big, 300_000)
    child = _jamsos(env, "import", "workers", str(big), "--no-progress")
    deadline = time.monotonic() + 120
    while not writing(child.pid):
        assert child.poll() is None, "the import finished before it could be interrupted"
        assert time.monotonic() < deadline
        time.sleep(0.05)
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    after = [count(f"SELECT count(*) FROM {t}") for t in (
        "registry_person", "registry_enrolment", "registry_importbatch", "audit_auditevent")]
    assert after == before


@pytest.mark.django_db
def test_file_cut_short_stores_the_complete_rows_and_rejects_the_torn_one():
    text = "\n".join([HEADER, *PEOPLE])
    torn = text[: len(text) - 12].encode()  # the last row loses its last cells
    report = import_workers(torn, "cut.csv", today=TODAY)
    assert report.created == 2 and report.rejected == 1
    assert {e["row"] for e in report.errors} == {4}
    assert Person.objects.count() == 2
    # Sending the complete file afterwards adds the missing person and changes nothing else.
    again = import_workers(text.encode(), "full.csv", today=TODAY)
    assert (again.created, again.updated) == (1, 0)


@pytest.mark.django_db
def test_file_cut_inside_a_quoted_cell_is_unreadable_and_changes_nothing():
    from jamsos.core.importing.reader import UnreadableFile

    text = "\n".join([HEADER, *PEOPLE, '1602135708910004;"Rina, unterminated']).encode()
    with pytest.raises(UnreadableFile, match=r"baris 5: ada tanda kutip"):
        import_workers(text, "cut.csv", today=TODAY)
    assert Person.objects.count() == 0
