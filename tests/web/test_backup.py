"""``jamsos backup`` and ``jamsos restore``: the restore drill on SQLite and PostgreSQL.

Real data (workers imported through the registry, a web upload run by the worker task with a
rejected row, a santunan case with its documents, users, audit checkpoints) is backed up by
``jamsos backup`` and restored by ``jamsos restore`` into a fresh empty database and data
directory, as the operator would: commands in their own processes.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import secrets
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

BUILD = r"""
import json, os
import django
django.setup()
from django.core.files.uploadedfile import SimpleUploadedFile
from jamsos.audit.checkpoints import write_checkpoint
from jamsos.registry.tasks import queue_import
from jamsos.registry.tasks import run_import
from jamsos.santunan.documents import path_of
from jamsos.dtsen.importing import import_extract
from tests.factories import HEADER, PEOPLE, import_rows, user
from tests.santunan.conftest import KK, TODAY, dtsen_csv, make_case
import datetime as dt

import_rows(*PEOPLE)
users = {"desa": user("kades", "kepala_desa", "16.02.13.2005"),
         "op": user("op", "operator", "16.02")}
import_extract(dtsen_csv(f"1602131708850001;{KK};3", f"1602135708900002;{KK};3"),
               "dtsen.csv", valid_from=dt.date(2025, 1, 1), today=TODAY)
case = make_case(users)
write_checkpoint()
rows = [HEADER, "1602136502950004;Dewi Lestari;P;25-02-1995;16.02.13.2005;d;Guru ngaji",
        "12345;Tanpa NIK;L;01-01-1990;16.02.13.2005;d;Ketua RT"]
batch = queue_import(SimpleUploadedFile("desa.csv", "\n".join(rows).encode()),
                     user=users["op"], dry_run=False)
run_import.call(batch.pk)
batch.refresh_from_db()
assert batch.rejected_path  # all or nothing: the bad row keeps the good one out too
write_checkpoint()
data_dir = os.environ["JAMSOS_DATA_DIR"]
files = [str(path_of(d.stored_name)) for d in case.documents.all()]
files += [batch.stored_path, batch.rejected_path]
print(json.dumps([os.path.relpath(f, data_dir) for f in files if f]))
"""

COUNTS = r"""
import json
import django
django.setup()
from django.db import connection
with connection.cursor() as cur:
    counts = {}
    for name in sorted(connection.introspection.table_names(cur)):
        cur.execute(f"SELECT count(*) FROM {connection.ops.quote_name(name)}")
        counts[name] = cur.fetchone()[0]
print(json.dumps(counts))
"""

PATHS = r"""
import json
import django
django.setup()
from jamsos.registry.models import ImportBatch
print(json.dumps([p for b in ImportBatch.objects.all() for p in (b.stored_path, b.rejected_path)
                  if p]))
"""


def _env(data_dir: Path, database_url: str) -> dict:
    env = {**os.environ, "JAMSOS_DATA_DIR": str(data_dir), "DATABASE_URL": database_url,
           "DJANGO_SETTINGS_MODULE": "jamsos.settings",
           "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}
    env.pop("JAMSOS_AUDIT_CHECKPOINTS", None)
    return env


def jamsos(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "jamsos.cli", *args], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


def python(env: dict, code: str) -> str:
    run = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    return run.stdout.strip().splitlines()[-1]


# --- databases: a new SQLite file, or a throwaway PostgreSQL database ----------------------

def _pg_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


@contextlib.contextmanager
def fresh_database(vendor: str, tmp_path: Path, label: str):
    """The URL of a new, empty database; a PostgreSQL one is dropped afterwards."""
    if vendor == "sqlite":
        yield f"sqlite:///{tmp_path / f'{label}.sqlite3'}"
        return
    import dj_database_url
    import psycopg

    base = _pg_url()
    params = dj_database_url.parse(base)
    name = f"jamsos_ops_{label}_{secrets.token_hex(4)}"
    admin = dict(host=params["HOST"] or None, port=params["PORT"] or None,
                 user=params["USER"] or None, password=params["PASSWORD"] or None,
                 dbname="postgres", autocommit=True)
    with psycopg.connect(**admin) as con:
        con.execute(f'CREATE DATABASE "{name}"')
    try:
        yield base.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(**admin) as con:
            con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


VENDORS = [
    "sqlite",
    pytest.param("postgresql", marks=pytest.mark.skipif(
        _pg_url() is None, reason="PostgreSQL run only (DATABASE_URL=postgres://…)")),
]


@pytest.fixture(scope="module", params=VENDORS)
def source(request, tmp_path_factory):
    """A data directory and database with real data, and its backup archive."""
    vendor = request.param
    tmp = tmp_path_factory.mktemp(f"source-{vendor}")
    with fresh_database(vendor, tmp, "src") as url:
        env = _env(tmp / "data", url)
        run = jamsos(env, "migrate", "-v0")
        assert run.returncode == 0, run.stderr[-2000:]
        files = json.loads(python(env, BUILD))
        archive = tmp / "jamsos-backup.tar.gz"
        run = jamsos(env, "backup", str(archive))
        assert run.returncode == 0, run.stderr
        yield {"vendor": vendor, "env": env, "archive": archive, "files": files,
               "data": tmp / "data", "backup_output": run.stdout}


# --- the drill ----------------------------------------------------------------------------

def test_the_restore_drill(source, tmp_path):
    archive = source["archive"]
    assert archive.stat().st_mode & 0o777 == 0o600  # it holds personal data
    assert "berkas" in source["backup_output"]
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["vendor"] == source["vendor"] and manifest["format"] == 1
    assert {"audit/checkpoints.jsonl", manifest["database"]} <= set(names)
    assert all(f"data/{f}" in names for f in source["files"])
    assert not any(n.startswith("data/static") for n in names)
    # santunan documents, the kept upload and its rejected rows
    assert len(source["files"]) == 4 and any(f.endswith(".ditolak.csv") for f in source["files"])

    with fresh_database(source["vendor"], tmp_path, "restore") as url:
        env = _env(tmp_path / "restored", url)
        run = jamsos(env, "restore", str(archive))
        assert run.returncode == 0, run.stdout + run.stderr
        assert run.stdout.startswith("Pemulihan selesai dan diperiksa:")
        assert len(run.stdout.strip().splitlines()) == 1

        verify = jamsos(env, "audit", "verify", "--format", "json")
        assert verify.returncode == 0, verify.stdout + verify.stderr
        report = json.loads(verify.stdout)
        assert report["ok"] and report["checked"] > 0 and report["checkpoints"] == 2

        source_counts = json.loads(python(source["env"], COUNTS))
        assert json.loads(python(env, COUNTS)) == source_counts == manifest["tables"]
        assert source_counts["registry_person"] == 3 and source_counts["santunan_document"] == 2

        paths = json.loads(python(env, PATHS))
        assert paths and all(p.startswith(str(tmp_path / "restored") + "/") for p in paths)
        for rel in source["files"]:
            restored = tmp_path / "restored" / rel
            assert restored.read_bytes() == (source["data"] / rel).read_bytes(), rel
            assert restored.stat().st_mode & 0o777 == 0o600

        again = jamsos(env, "restore", str(archive), "--format", "json")
        assert again.returncode == 1
        assert json.loads(again.stdout) == {"ok": False, "error": again.stderr.strip()
                                            .removeprefix("CommandError: ")}
        assert "tidak kosong" in again.stderr and "Traceback" not in again.stderr


# --- refusals -----------------------------------------------------------------------------

def _rewrite(archive: Path, out: Path, change) -> None:
    """A copy of ``archive`` with ``change(name, bytes) -> bytes`` applied to its members."""
    with tarfile.open(archive) as src, tarfile.open(out, "w:gz") as dst:
        for info in src:
            data = change(info.name, src.extractfile(info).read())
            info.size = len(data)
            dst.addfile(info, io.BytesIO(data))


def _one_line_error(run: subprocess.CompletedProcess, text: str) -> None:
    assert run.returncode == 1
    assert run.stderr.count("\n") == 1 and text in run.stderr, run.stderr
    assert "Traceback" not in run.stderr


def test_restore_refuses_a_database_that_has_tables(source):
    _one_line_error(jamsos(source["env"], "restore", str(source["archive"])),
                    "Basis data tujuan tidak kosong")


def test_restore_refuses_an_altered_archive_before_writing_anything(source, tmp_path):
    altered = tmp_path / "altered.tar.gz"
    doc = "data/" + source["files"][0]
    _rewrite(source["archive"], altered,
             lambda name, data: data + b"x" if name == doc else data)
    with fresh_database(source["vendor"], tmp_path, "altered") as url:
        env = _env(tmp_path / "restored", url)
        _one_line_error(jamsos(env, "restore", str(altered)), f"Checksum tidak cocok: {doc}")
        assert not (tmp_path / "restored" / source["files"][0]).exists()
        assert not (tmp_path / "restored" / "audit").exists()
        assert json.loads(python(env, COUNTS)) == {}


def test_restore_reports_rows_that_do_not_match_the_manifest(source, tmp_path):
    def more_people(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["tables"]["registry_person"] += 1
        return json.dumps(manifest).encode()

    altered = tmp_path / "counts.tar.gz"
    _rewrite(source["archive"], altered, more_people)
    with fresh_database(source["vendor"], tmp_path, "counts") as url:
        env = _env(tmp_path / "restored", url)
        run = jamsos(env, "restore", str(altered))
        _one_line_error(run, "registry_person: 4 di arsip, 3 dipulihkan")
        run = jamsos(env, "audit", "verify")
        assert run.returncode == 0  # the data itself came back; only the count was off


def test_restore_refuses_another_database_vendor(source, tmp_path):
    other = "postgresql" if source["vendor"] == "sqlite" else "sqlite"
    if other == "postgresql" and _pg_url() is None:
        pytest.skip("PostgreSQL run only")
    with fresh_database(other, tmp_path, "other") as url:
        env = _env(tmp_path / "restored", url)
        _one_line_error(jamsos(env, "restore", str(source["archive"])),
                        "lintas jenis basis data tidak didukung")


def test_restore_refuses_what_is_not_a_backup(source, tmp_path):
    bogus = tmp_path / "bogus.tar.gz"
    bogus.write_bytes(b"not an archive")
    _one_line_error(jamsos(source["env"], "restore", str(bogus)), "Arsip tidak dapat dibaca")


def test_backup_into_a_missing_folder_is_one_line(source, tmp_path):
    run = jamsos(source["env"], "backup", str(tmp_path / "nope" / "b.tar.gz"), "--format",
                 "json")
    _one_line_error(run, "Folder tujuan tidak ada")
    assert json.loads(run.stdout)["ok"] is False
