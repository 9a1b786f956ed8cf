"""Backups that restore: one archive with the database and the files that matter.

``jamsos backup FILE`` writes a gzip-compressed tar archive (mode 0600: it holds personal
data) with

- ``database.dump`` (PostgreSQL, ``pg_dump -Fc`` in the same snapshot as the row counts) or
  ``database.sqlite3`` (SQLite's online backup API: the application may keep writing);
- ``data/imports/…`` and ``data/files/…``: kept worker uploads, rejected-row files and
  santunan documents, relative to ``JAMSOS_DATA_DIR`` (caches, static files, mail and lock
  files are left out);
- ``audit/checkpoints.jsonl``: the signed audit checkpoints (``AUDIT_CHECKPOINT_FILE``);
- ``data/secret_key`` when the data directory holds one (outside production the checkpoint
  signatures and sessions depend on it);
- ``manifest.json`` (last): format, jamsos version, database vendor, time, rows per table and
  the sha256 and size of every other member.

``jamsos restore FILE`` refuses a database that already has tables, a different vendor and an
archive whose members do not match their checksums; then loads the database (``pg_restore``
into the empty PostgreSQL database, or the SQLite file copied into place), writes the files
back and checks the result: ``jamsos audit verify`` and the row count of every table.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import connection, transaction

import jamsos
from jamsos.registry.models import ImportBatch

FORMAT = 1
MANIFEST = "manifest.json"
DATA_PREFIX = "data/"
CHECKPOINTS = "audit/checkpoints.jsonl"
#: Directories of ``JAMSOS_DATA_DIR`` that a backup keeps (uploads, rejected rows,
#: santunan documents) and the files in them it leaves out (progress of a running import).
KEPT_DIRS = ("imports", "files")
SKIPPED_SUFFIXES = (".progress.json",)
KEPT_FILES = ("secret_key",)


class BackupError(Exception):
    """A refusal or failure told to the operator in one line."""


@dataclass
class RestoreResult:
    tables: int = 0
    rows: int = 0
    files: int = 0
    audit_ok: bool = False
    audit: dict = field(default_factory=dict)
    mismatches: dict = field(default_factory=dict)
    checkpoints_kept: bool = False

    @property
    def ok(self) -> bool:
        return self.audit_ok and not self.mismatches


# --- helpers ------------------------------------------------------------------------------

def vendor() -> str:
    return connection.vendor  # "postgresql" or "sqlite"


def _db() -> dict:
    return settings.DATABASES["default"]


def _pg_args_env() -> tuple[list[str], dict]:
    """Connection options for pg_dump/pg_restore from Django's settings; the password goes
    through the environment, never the command line."""
    db = _db()
    args = ["--dbname", str(db["NAME"])]
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = {**os.environ, "PGAPPNAME": "jamsos-backup"}
    env.pop("PGPASSWORD", None)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    sslmode = (db.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = str(sslmode)
    return args, env


def _run(cmd: list[str], env: dict) -> None:
    try:
        done = subprocess.run(cmd, env=env, capture_output=True, text=True)  # noqa: S603
    except FileNotFoundError as exc:
        raise BackupError(f"{cmd[0]} tidak ditemukan: pasang klien PostgreSQL "
                          f"(paket postgresql-client)") from exc
    if done.returncode != 0:
        lines = [line for line in done.stderr.strip().splitlines() if line.strip()]
        raise BackupError(f"{Path(cmd[0]).name} gagal: {lines[0] if lines else done.returncode}")


def _sqlite_path() -> Path:
    return Path(_db()["NAME"])


def _row_counts_sqlite(path: Path) -> dict[str, int]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        names = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name")]
        return {n: con.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0]  # noqa: S608
                for n in names}
    finally:
        con.close()


def _row_counts_connection() -> dict[str, int]:
    with connection.cursor() as cur:
        names = sorted(connection.introspection.table_names(cur))
        counts = {}
        for name in names:
            cur.execute(f"SELECT count(*) FROM {connection.ops.quote_name(name)}")  # noqa: S608
            counts[name] = cur.fetchone()[0]
    return counts


def _data_files() -> list[tuple[str, Path]]:
    """(archive name, path) of the data-directory files a backup keeps."""
    root = Path(settings.DATA_DIR)
    found = []
    for top in KEPT_DIRS:
        base = root / top
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*")):
            if path.is_symlink() or not path.is_file() or path.name.endswith(SKIPPED_SUFFIXES):
                continue
            found.append((DATA_PREFIX + path.relative_to(root).as_posix(), path))
    for name in KEPT_FILES:
        path = root / name
        if path.is_file() and not path.is_symlink():
            found.append((DATA_PREFIX + name, path))
    return found


class _Hashing(io.RawIOBase):
    """Reads a file for tarfile while hashing exactly the bytes archived."""

    def __init__(self, fh, size: int):
        self.fh, self.left, self.sha = fh, size, hashlib.sha256()

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        n = self.left if n is None or n < 0 else min(n, self.left)
        data = self.fh.read(n)
        if len(data) < n:  # the file shrank meanwhile: keep the size tarfile was promised
            data += b"\0" * (n - len(data))
        self.left -= len(data)
        self.sha.update(data)
        return data


def _add(tar: tarfile.TarFile, name: str, path: Path, members: dict) -> None:
    with path.open("rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        info = tarfile.TarInfo(name)
        info.size, info.mode, info.mtime = size, 0o600, int(path.stat().st_mtime)
        reader = _Hashing(fh, size)
        tar.addfile(info, reader)
    members[name] = {"sha256": reader.sha.hexdigest(), "size": size}


# --- backup -------------------------------------------------------------------------------

def backup(target: Path) -> dict:
    """Write the archive to ``target`` (replaced atomically); return the manifest."""
    target = Path(target).expanduser().absolute()
    if not target.parent.is_dir():
        raise BackupError(f"Folder tujuan tidak ada: {target.parent}")
    kind = vendor()
    if kind not in ("postgresql", "sqlite"):
        raise BackupError(f"Basis data {kind} tidak didukung untuk cadangan.")
    members: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="jamsos-backup-") as work:
        work = Path(work)
        if kind == "postgresql":
            dump, counts = work / "database.dump", _dump_postgresql(work / "database.dump")
        else:
            dump, counts = work / "database.sqlite3", _dump_sqlite(work / "database.sqlite3")
        fd, partial = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        os.fchmod(fd, 0o600)
        try:
            with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
                _add(tar, dump.name, dump, members)
                for name, path in _data_files():
                    try:
                        _add(tar, name, path, members)
                    except FileNotFoundError:
                        continue  # removed meanwhile (a dry run's upload)
                checkpoints = Path(settings.AUDIT_CHECKPOINT_FILE)
                if checkpoints.is_file():
                    _add(tar, CHECKPOINTS, checkpoints, members)
                manifest = {
                    "format": FORMAT, "jamsos": jamsos.__version__, "vendor": kind,
                    "created": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "database": dump.name, "tables": counts, "members": members,
                    "data_dir": str(Path(settings.DATA_DIR).absolute()),
                }
                data = json.dumps(manifest, indent=1, sort_keys=True).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mode = len(data), 0o600
                info.mtime = int(dt.datetime.now().timestamp())
                tar.addfile(info, io.BytesIO(data))
            os.replace(partial, target)
        except BaseException:
            Path(partial).unlink(missing_ok=True)
            raise
    return manifest


def _dump_postgresql(out: Path) -> dict[str, int]:
    """``pg_dump -Fc`` of the snapshot the row counts were taken in."""
    args, env = _pg_args_env()
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cur.execute("SELECT pg_export_snapshot()")
        snapshot = cur.fetchone()[0]
        counts = _row_counts_connection()
        _run(["pg_dump", "--format=custom", f"--snapshot={snapshot}", "--file", str(out),
              *args], env)
    return counts


def _dump_sqlite(out: Path) -> dict[str, int]:
    source = _sqlite_path()
    if not source.is_file():
        raise BackupError(f"Berkas basis data tidak ada: {source}")
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
    dst = sqlite3.connect(out)
    try:
        src.backup(dst)  # the online backup API: consistent while others write
    finally:
        dst.close()
        src.close()
    out.chmod(0o600)
    return _row_counts_sqlite(out)


# --- restore ------------------------------------------------------------------------------

def _safe(name: str) -> bool:
    p = PurePosixPath(name)
    return not p.is_absolute() and ".." not in p.parts and name == p.as_posix()


def read_manifest(tar: tarfile.TarFile) -> dict:
    try:
        manifest = json.loads(tar.extractfile(MANIFEST).read())
    except (KeyError, AttributeError, ValueError) as exc:
        raise BackupError("Bukan arsip cadangan jamsos (manifest.json tidak ada atau rusak).") \
            from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Format arsip {manifest.get('format')!r} tidak dikenal "
                          f"(versi ini membaca format {FORMAT}).")
    return manifest


def _check_members(tar: tarfile.TarFile, manifest: dict) -> None:
    """Every member listed, no other, each with its checksum: before anything is written."""
    listed = manifest.get("members") or {}
    if manifest.get("database") not in listed:
        raise BackupError("Arsip tidak memuat basis data.")
    seen = set()
    for info in tar:
        if info.name == MANIFEST:
            continue
        if info.name not in listed or not info.isfile() or not _safe(info.name):
            raise BackupError(f"Arsip memuat anggota yang tidak tercatat: {info.name}")
        sha = hashlib.sha256()
        with tar.extractfile(info) as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                sha.update(chunk)
        if sha.hexdigest() != listed[info.name]["sha256"]:
            raise BackupError(f"Checksum tidak cocok: {info.name} (arsip rusak atau diubah).")
        seen.add(info.name)
    missing = sorted(set(listed) - seen)
    if missing:
        raise BackupError(f"Anggota arsip hilang: {missing[0]}")


def database_is_empty() -> bool:
    if vendor() == "postgresql":
        with connection.cursor() as cur:
            cur.execute(
                "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') "
                "AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
                "AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'")
            return cur.fetchone()[0] == 0
    path = _sqlite_path()
    if not path.exists() or path.stat().st_size == 0:
        return True
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return con.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0
    except sqlite3.DatabaseError:
        return False  # not a database: leave it alone
    finally:
        con.close()


def restore(source: Path) -> RestoreResult:
    source = Path(source).expanduser()
    if not source.is_file():
        raise BackupError(f"Arsip tidak ditemukan: {source}")
    try:
        tar = tarfile.open(source, mode="r:*")
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(f"Arsip tidak dapat dibaca: {source} ({exc})") from exc
    with tar:
        try:
            manifest = read_manifest(tar)
            kind = vendor()
            if manifest.get("vendor") != kind:
                raise BackupError(
                    f"Arsip ini cadangan {manifest.get('vendor')}, basis data tujuan {kind}: "
                    "pemulihan lintas jenis basis data tidak didukung.")
            if not database_is_empty():
                raise BackupError(
                    "Basis data tujuan tidak kosong: pulihkan hanya ke basis data baru yang "
                    "kosong (PostgreSQL: createdb; SQLite: DATABASE_URL ke berkas baru).")
            _check_members(tar, manifest)
            connection.close()
            if kind == "postgresql":
                _load_postgresql(tar, manifest["database"])
            else:
                _load_sqlite(tar, manifest["database"])
            result = RestoreResult()
            result.files, result.checkpoints_kept = _restore_files(tar, manifest)
            _move_import_paths(manifest.get("data_dir"))
        except (tarfile.TarError, EOFError, OSError, ValueError) as exc:
            raise BackupError(f"Arsip tidak dapat dibaca: {exc}") from exc
    connection.close()
    counts = (_row_counts_connection() if kind == "postgresql"
              else _row_counts_sqlite(_sqlite_path()))
    expected = manifest["tables"]
    result.tables, result.rows = len(expected), sum(expected.values())
    result.mismatches = {name: [expected.get(name), counts.get(name)]
                         for name in sorted(set(expected) | set(counts))
                         if expected.get(name) != counts.get(name)}
    result.audit_ok, result.audit = _audit_verify()
    return result


def _load_postgresql(tar: tarfile.TarFile, name: str) -> None:
    args, env = _pg_args_env()
    with tempfile.TemporaryDirectory(prefix="jamsos-restore-") as work:
        dump = Path(work) / "database.dump"
        with tar.extractfile(name) as fh, dump.open("wb") as out:
            shutil.copyfileobj(fh, out)
        # One transaction: all or nothing. Tables and data first, then indexes, constraints
        # and triggers (the audit trail's append-only triggers do not see the load).
        _run(["pg_restore", "--no-owner", "--no-privileges", "--single-transaction",
              "--exit-on-error", *args, str(dump)], env)


def _load_sqlite(tar: tarfile.TarFile, name: str) -> None:
    target = _sqlite_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, partial = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.fchmod(fd, 0o600)
    try:
        with tar.extractfile(name) as fh, os.fdopen(fd, "wb") as out:
            shutil.copyfileobj(fh, out)
        for suffix in ("-wal", "-shm", "-journal"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        os.replace(partial, target)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise


def _write(tar: tarfile.TarFile, name: str, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, partial = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.fchmod(fd, 0o600)
    try:
        with tar.extractfile(name) as fh, os.fdopen(fd, "wb") as out:
            shutil.copyfileobj(fh, out)
        os.replace(partial, path)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise


def _restore_files(tar: tarfile.TarFile, manifest: dict) -> tuple[int, bool]:
    """Write the data files back; the checkpoint file only where none is kept yet (it is
    append-only: an existing one — e.g. on another host — stays and is checked against)."""
    root = Path(settings.DATA_DIR)
    files = 0
    kept = False
    for name in manifest["members"]:
        if name.startswith(DATA_PREFIX):
            _write(tar, name, root / name[len(DATA_PREFIX):])
            files += 1
        elif name == CHECKPOINTS:
            checkpoints = Path(settings.AUDIT_CHECKPOINT_FILE)
            if checkpoints.exists() and checkpoints.stat().st_size > 0:
                kept = True
            else:
                _write(tar, name, checkpoints)
    return files, kept


def _move_import_paths(old: str | None) -> None:
    """Import batches name their kept upload and rejected rows by absolute path: restored
    into another data directory, they point into it."""
    from django.db.models import Value
    from django.db.models.functions import Concat, Substr


    new = str(Path(settings.DATA_DIR).absolute())
    if not old or old == new:
        return
    prefix = old.rstrip("/") + "/"
    for column in ("stored_path", "rejected_path"):
        ImportBatch.objects.filter(**{f"{column}__startswith": prefix}).update(
            **{column: Concat(Value(new.rstrip("/") + "/"),
                              Substr(column, len(prefix) + 1))})
    connection.close()


def _audit_verify() -> tuple[bool, dict]:
    """``jamsos audit verify`` in a fresh process: the restored secret key (outside
    production the checkpoints are signed with it) is the one it reads."""
    run = subprocess.run([sys.executable, "-m", "jamsos.cli", "audit_verify", "--format",
                          "json"], capture_output=True, text=True, env=os.environ.copy())
    try:
        report = json.loads(run.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        lines = (run.stderr or run.stdout).strip().splitlines()
        return False, {"error": lines[-1] if lines else f"exit {run.returncode}"}
    return run.returncode == 0 and bool(report.get("ok")), report
