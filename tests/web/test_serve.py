"""``jamsos serve`` prepares an empty database and answers on the given port; its worker is
restarted when it dies, survives the database dropping its connection, and SIGTERM stops
everything (``/healthz`` tells how it is)."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.db import connection

from tests.factories import HEADER, PEOPLE


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_migrates_and_serves(tmp_path):
    port = _free_port()
    env = {**os.environ, "JAMSOS_DATA_DIR": str(tmp_path),
           "DATABASE_URL": f"sqlite:///{tmp_path}/serve.sqlite3"}
    server = subprocess.Popen([sys.executable, "-m", "jamsos.cli", "serve", "--port", str(port),
                               "--no-worker"], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/cakupan/publik/",
                                            timeout=5) as page:
                    body = page.read().decode()
                break
            except OSError:
                assert server.poll() is None, server.stdout.read()
                assert time.monotonic() < deadline, "server did not answer in time"
                time.sleep(0.5)
        assert "Perlindungan BPJS Ketenagakerjaan di Kabupaten Ogan Komering Ilir" in body
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/jamsos/app.css",
                                    timeout=5) as css:
            assert css.status == 200
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_several_serving_processes_answer_gzip_and_stop_together(tmp_path):
    """``--workers 2``: two processes on one socket, compressed pages, and SIGTERM stops the
    second serving process too (no process left)."""
    port = _free_port()
    env = {**os.environ, "JAMSOS_DATA_DIR": str(tmp_path),
           "DATABASE_URL": f"sqlite:///{tmp_path}/serve.sqlite3"}
    server = subprocess.Popen([sys.executable, "-m", "jamsos.cli", "serve", "--port", str(port),
                               "--no-worker", "--no-periodic", "--workers", "2"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 240
        while True:
            try:
                request = urllib.request.Request(f"http://127.0.0.1:{port}/cakupan/publik/",
                                                 headers={"Accept-Encoding": "gzip"})
                with urllib.request.urlopen(request, timeout=30) as page:
                    assert page.headers["Content-Encoding"] == "gzip"
                break
            except OSError:
                assert server.poll() is None, server.stdout.read()
                assert time.monotonic() < deadline, "server did not answer in time"
                time.sleep(0.5)
        children = subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True,
                                  text=True).stdout.split()
        assert len(children) == 1  # the second serving process (no worker here)
    finally:
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=30) == 0
    for pid in children:
        with pytest.raises(ProcessLookupError):
            os.kill(int(pid), 0)


# --- the supervised worker, /healthz and SIGTERM, against a real ``jamsos serve`` ----------



def _get(url: str, *, data: bytes | None = None, headers=None, timeout=10):
    """(status, JSON body) of one request; HTTP errors are answers too."""
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as reply:
            return reply.status, json.loads(reply.read() or b"null")
    except urllib.error.HTTPError as err:
        body = err.read()
        try:
            return err.code, json.loads(body)
        except ValueError:
            return err.code, body.decode(errors="replace")


def _wait(what: str, check, timeout: float = 60):
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = check()
        except OSError:
            value = None
        if value:
            return value
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.3)


def _children(pid: int) -> set[int]:
    found = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found |= {int(p) for p in (task / "children").read_text().split()}
    return found


def _exists(pid: int) -> bool:
    """A process that exists and is not a zombie."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except (OSError, IndexError):
        return False


class Served:
    def __init__(self, tmp_path, database_url: str, *args: str):
        self.port = _free_port()
        self.env = {**os.environ, "JAMSOS_DATA_DIR": str(tmp_path),
                    "DATABASE_URL": database_url}
        self.log = (tmp_path / f"serve-{self.port}.log").open("w+")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "jamsos.cli", "serve", "--port", str(self.port),
             "--grace", "10", *args], env=self.env, stdout=self.log, stderr=subprocess.STDOUT)
        self.url = f"http://127.0.0.1:{self.port}"

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read()

    def health(self):
        assert self.proc.poll() is None, self.output()
        return _get(f"{self.url}/healthz")

    def worker_pid(self) -> int | None:
        kids = [p for p in _children(self.proc.pid) if _exists(p)]
        return kids[0] if len(kids) == 1 else None

    def jamsos(self, *args: str, stdin: str = "") -> str:
        done = subprocess.run([sys.executable, "-m", "jamsos.cli", *args], env=self.env,
                              input=stdin, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stdout

    def token(self, *, create: bool = True) -> dict:
        if create:
            self.jamsos("users", "create", "op", "--role", "operator", "--area", "16.02",
                        stdin="rahasia-uji-123\n")
        status, body = _get(f"{self.url}/api/v1/auth/token", data=json.dumps(
            {"username": "op", "password": "rahasia-uji-123"}).encode(),
            headers={"Content-Type": "application/json"})
        assert status == 200, body
        return {"Authorization": f"Bearer {body['token']}"}

    def upload(self, auth: dict, rows=PEOPLE, fields: dict | None = None) -> dict:
        boundary = uuid.uuid4().hex
        parts = [f"--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
                 .encode() for k, v in (fields or {}).items()]
        parts.append(f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
                     f"filename=\"pekerja.csv\"\r\nContent-Type: text/csv\r\n\r\n".encode()
                     + "\n".join([HEADER, *rows]).encode() + b"\r\n")
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        status, reply = _get(f"{self.url}/api/v1/imports/workers", data=body, headers={
            **auth, "Content-Type": f"multipart/form-data; boundary={boundary}"})
        assert status == 202, reply
        return reply

    def finished(self, auth: dict, batch_id: int, timeout: float = 90) -> dict:
        def done():
            status, body = _get(f"{self.url}/api/v1/imports/{batch_id}", headers=auth)
            return body if status == 200 and body["status"] in ("done", "failed") else None
        return _wait(f"import {batch_id}", done, timeout)

    def stop(self, timeout: float = 40) -> int:
        self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=timeout)

    def kill(self):
        kids = _children(self.proc.pid) if self.proc.poll() is None else set()
        self.proc.kill()
        self.proc.wait(timeout=20)
        for pid in kids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.log.close()


@pytest.fixture
def database_url(tmp_path, transactional_db, oki_regions):
    """The database ``jamsos serve`` runs on: the test database on PostgreSQL (shared with
    this process), a fresh file on SQLite."""
    if connection.vendor == "postgresql":
        s = connection.settings_dict
        return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    return f"sqlite:///{tmp_path}/serve.sqlite3"


@pytest.fixture
def served(tmp_path, database_url):
    started = []

    def start(*args):
        started.append(Served(tmp_path, database_url, *args))
        return started[-1]

    yield start
    for server in started:
        server.kill()


def test_a_killed_worker_is_restarted_and_sigterm_leaves_no_process(served):
    server = served()
    _status, health = _wait("a healthy server", lambda: (
        (h := server.health())[0] == 200 and h), timeout=90)
    assert health["database"] == "ok" and health["worker"]["alive"] is True
    first = _wait("the worker process", server.worker_pid)
    os.kill(first, signal.SIGKILL)  # what the OOM killer does
    second = _wait("a new worker", lambda: (p := server.worker_pid()) and p != first and p)
    assert not _exists(first)  # reaped, not a zombie
    _wait("the new worker's heartbeat", lambda: server.health()[0] == 200)
    auth = server.token()
    batch = server.upload(auth)
    assert server.finished(auth, batch["id"])["status"] == "done"
    _wait("the periodic run", lambda: server.health()[1]["periodic"]["ok"] is True)
    assert server.stop() == 0, server.output()
    assert not _exists(second)
    assert "exited (code -9)" in server.output()


@pytest.mark.postgres_only
def test_the_worker_survives_postgresql_dropping_every_connection(served):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    server = served("--no-periodic")
    _wait("a healthy server", lambda: server.health()[0] == 200, timeout=90)
    pid = _wait("the worker process", server.worker_pid)
    auth = server.token()
    with connection.cursor() as cursor:  # what a restart does to every client
        cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                       "WHERE datname = current_database() AND pid <> pg_backend_pid()")
    time.sleep(2)
    batch = server.upload(auth)
    assert server.finished(auth, batch["id"])["status"] == "done"
    assert server.worker_pid() == pid  # the same worker, reconnected
    assert server.health()[0] == 200
    assert server.stop() == 0, server.output()
    assert not _exists(pid)


def _workers(first: int, count: int) -> list[str]:
    """``count`` valid rows of Tebing Suluh's RT heads, NIK serials from ``first``."""
    return [f"160213170885{first + i:04d};Pekerja {first + i};L;17-08-1985;"
            f"{PEOPLE[0].split(';')[4]};d;Ketua RT" for i in range(count)]


def test_two_servers_on_one_database_share_imports_and_periodic_jobs(served):
    """Issue 14 (scale out): two ``jamsos serve`` on one PostgreSQL, each with its worker and
    periodic thread, plus cron's ``jamsos periodic`` beside them. Four imports (overlapping
    NIKs) sent to both servers at once are each claimed and run exactly once, the registry
    holds every person once, the audit chain written by both processes verifies, and the
    periodic jobs run in one process at a time."""
    if connection.vendor != "postgresql":
        pytest.skip("several servers share a PostgreSQL database")
    a, b = served(), served()
    for server in (a, b):
        _wait("a healthy server", lambda s=server: s.health()[0] == 200, timeout=120)
    auth_a, auth_b = a.token(), b.token(create=False)
    files = [_workers(1000, 150), _workers(1100, 150), _workers(1200, 150), _workers(1050, 150)]
    batches = [(server, auth, server.upload(auth, rows))
               for (server, auth), rows in zip([(a, auth_a), (b, auth_b)] * 2, files, strict=True)]
    cron = [subprocess.Popen([sys.executable, "-m", "jamsos.cli", "periodic"], env=a.env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(3)]
    results = [server.finished(auth, batch["id"], timeout=180)
               for server, auth, batch in batches]
    assert [r["status"] for r in results] == ["done"] * 4, results
    for proc in cron:
        _out, err = proc.communicate(timeout=180)
        assert proc.returncode == 0, err
    unique = {row.split(";")[0] for rows in files for row in rows}
    assert len(unique) == 350
    from jamsos.registry.models import ImportBatch, Person

    assert Person.objects.filter(nik__in=unique).count() == len(unique)
    # Each batch ran once: the people it created add up to the people there are.
    ran = ImportBatch.objects.filter(pk__in=[batch["id"] for _s, _a, batch in batches])
    assert sum(batch.summary["created"] for batch in ran) == len(unique)
    a.jamsos("audit", "verify")  # the chain both processes appended to is whole
    for server in (a, b):
        status, health = server.health()
        assert status == 200 and health["periodic"]["ok"] is True, health
    assert a.stop() == 0, a.output()
    assert b.stop() == 0, b.output()
