#!/usr/bin/env python
"""The chaos suite of issue 18: real ``jamsos`` processes on a throwaway PostgreSQL cluster.

Run from the repository root as root (it creates a cluster as user ``postgres`` and mounts a
tmpfs)::

    /work/main/.venv/bin/python scripts/chaos.py [--port 55433] [--rows 1500]

Scenarios (one line each, PASS/FAIL with the measured times):

a. ``pg_ctl restart -m fast`` while ``jamsos serve`` answers requests and its worker imports;
b. SIGKILL of the worker (the child of ``jamsos serve``) in the middle of an import;
c. two overlapping imports (shared new NIKs) uploaded at once;
d. two ``jamsos billing run`` of one month at once;
e. two ``jamsos serve`` and three ``jamsos periodic`` sending one queued e-mail outbox;
f. a full data directory (a 2 MB tmpfs): 507 JSON, no partial file, ``jamsos serve`` starts.

Everything it starts is stopped and removed at the end (also on Ctrl+C or a failure); the exit
status is 1 when a scenario fails. Not part of the normal test run (it takes a few minutes).
"""

# ruff: noqa: S105, S310, S603, S607, S608
# (a local test harness: fixed password, http://127.0.0.1 only, its own commands and SQL)
from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PGBIN = Path(os.environ.get("PGBIN", "/usr/lib/postgresql/15/bin"))
PASSWORD = "rahasia-chaos-123"
PERIOD = "2025-09"


class Failed(Exception):
    """A scenario's expectation that did not hold."""


def check(condition, message: str):
    if not condition:
        raise Failed(message)


# --- HTTP and processes ------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(url: str, *, data: bytes | None = None, headers=None, timeout=10):
    """(status, body: JSON when it is JSON) of one request; HTTP errors are answers too."""
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as reply:
            status, raw = reply.status, reply.read()
    except urllib.error.HTTPError as err:
        status, raw = err.code, err.read()
    try:
        return status, json.loads(raw or b"null")
    except ValueError:
        return status, raw.decode(errors="replace")


def wait(what: str, probe, timeout: float = 60, step: float = 0.3):
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = probe()
        except OSError:
            value = None
        if value:
            return value
        if time.monotonic() > deadline:
            raise Failed(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(step)


def children(pid: int) -> set[int]:
    found = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found |= {int(p) for p in (task / "children").read_text().split()}
    return found


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except (OSError, IndexError):
        return False


def csv_bytes(rows: list[str], header: str) -> bytes:
    return "\n".join([header, *rows]).encode()


class Suite:
    def __init__(self, port: int, nrows: int):
        self.tmp = Path(tempfile.mkdtemp(prefix="jamsos-chaos-"))
        self.tmp.chmod(0o755)
        self.pgport = port
        self.nrows = nrows
        self.pgrun = self.tmp / "pg"
        self.data = self.tmp / "data"
        self.procs: list[subprocess.Popen] = []
        self.mounts: list[Path] = []
        self.cluster = False
        self.results: list[tuple[str, bool, str]] = []
        self.env = {**os.environ, "PYTHONPATH": os.pathsep.join(
            filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")])),
            "JAMSOS_DATA_DIR": str(self.data), "JAMSOS_EMAIL": "file",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{port}/jamsos"}
        self.env.pop("JAMSOS_PRODUCTION", None)

    # --- the cluster -----------------------------------------------------------------------

    def pg(self, tool: str, *args: str, timeout=120) -> str:
        done = subprocess.run(["runuser", "-u", "postgres", "--", str(PGBIN / tool), *args],
                              capture_output=True, text=True, timeout=timeout, cwd="/")
        if done.returncode:
            raise RuntimeError(f"{tool} {' '.join(args)}: {done.stderr.strip()}")
        return done.stdout

    def sql(self, query: str) -> str:
        return self.pg("psql", "-h", str(self.pgrun / "sock"), "-p", str(self.pgport),
                       "-d", "jamsos", "-tAqc", query).strip()

    def start_cluster(self):
        (self.pgrun / "sock").mkdir(parents=True)
        for path in (self.pgrun, self.pgrun / "sock"):
            shutil.chown(path, "postgres", "postgres")
        self.pg("initdb", "-D", str(self.pgrun / "data"), "-A", "trust", "-U", "postgres",
                "-E", "UTF8", "--no-sync")
        self.cluster = True
        self.pg("pg_ctl", "-D", str(self.pgrun / "data"), "-l", str(self.pgrun / "pg.log"),
                "-w", "-o", f"-p {self.pgport} -k {self.pgrun / 'sock'} "
                f"-c listen_addresses=127.0.0.1", "start")
        self.pg("createdb", "-h", str(self.pgrun / "sock"), "-p", str(self.pgport), "jamsos")

    def restart_cluster(self):
        self.pg("pg_ctl", "-D", str(self.pgrun / "data"), "-l", str(self.pgrun / "pg.log"),
                "-w", "-m", "fast", "restart")

    # --- jamsos ----------------------------------------------------------------------------

    def jamsos(self, *args: str, stdin: str = "", env=None, timeout=180):
        return subprocess.run([sys.executable, "-m", "jamsos.cli", *args], env=env or self.env,
                              input=stdin, capture_output=True, text=True, timeout=timeout,
                              cwd=ROOT)

    def popen_jamsos(self, *args: str, env=None, log: Path | None = None):
        out = log.open("w") if log else subprocess.PIPE
        proc = subprocess.Popen([sys.executable, "-m", "jamsos.cli", *args], env=env or self.env,
                                stdout=out, stderr=subprocess.STDOUT if log else subprocess.PIPE,
                                text=True, cwd=ROOT, start_new_session=True)
        self.procs.append(proc)
        return proc

    def serve(self, *args: str, data_dir: Path | None = None) -> Served:
        env = {**self.env, "JAMSOS_DATA_DIR": str(data_dir or self.data)}
        port = free_port()
        log = self.tmp / f"serve-{port}.log"
        proc = self.popen_jamsos("serve", "--port", str(port), "--grace", "10", *args,
                                 env=env, log=log)
        return Served(proc, port, log)

    def stop(self, proc: subprocess.Popen, timeout=40):
        """SIGTERM, then SIGKILL to the whole process group (the worker too)."""
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                pass
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=10)

    def cleanup(self):
        for proc in self.procs:
            with contextlib.suppress(Exception):
                self.stop(proc, timeout=15)
        for mount in self.mounts:
            subprocess.run(["umount", str(mount)], capture_output=True, timeout=30)
        if self.cluster:
            with contextlib.suppress(Exception):
                self.pg("pg_ctl", "-D", str(self.pgrun / "data"), "-w", "-m", "immediate",
                        "stop", timeout=60)
        shutil.rmtree(self.tmp, ignore_errors=True)

    # --- data ------------------------------------------------------------------------------

    def make_rows(self):
        """Valid, distinct OKI people from the demo generator (one role each)."""
        sys.path.insert(0, str(ROOT / "src"))
        from jamsos.demo.synth import demo_workers

        frame = demo_workers(plan={"rt_rw": 4 * self.nrows}, doubles=(), seed=18)
        frame = frame.select(["NIK", "Nama", "Jenis Kelamin", "Tanggal Lahir", "Kode Desa",
                              "Kategori", "Sub Kategori", "Tanggal Mulai"])
        self.header = ";".join(frame.columns)
        self.rows = [";".join(v or "" for v in row) for row in frame.iter_rows()]
        self.niks = [row.split(";", 1)[0] for row in self.rows]
        assert len(set(self.niks)) == len(self.niks)

    def people(self, niks) -> int:
        listed = ",".join(f"'{n}'" for n in niks)
        return int(self.sql(f"SELECT count(*) FROM registry_person WHERE nik IN ({listed})"))

    def roles(self, niks) -> int:
        listed = ",".join(f"'{n}'" for n in niks)
        return int(self.sql("SELECT count(*) FROM registry_enrolment e JOIN registry_person p "
                            f"ON p.id = e.person_id WHERE p.nik IN ({listed})"))

    # --- running ---------------------------------------------------------------------------

    def run(self, name: str, scenario):
        started = time.monotonic()
        try:
            detail = scenario()
            ok = True
        except Failed as exc:
            ok, detail = False, str(exc)
        except Exception as exc:  # a crash of the scenario is a failure too, with its reason
            ok, detail = False, f"{type(exc).__name__}: {exc}"
        line = f"{'PASS' if ok else 'FAIL'}  {name} ({time.monotonic() - started:.1f} s): {detail}"
        print(line, flush=True)
        self.results.append((name, ok, detail))


class Served:
    def __init__(self, proc: subprocess.Popen, port: int, log: Path):
        self.proc, self.port, self.log = proc, port, log
        self.url = f"http://127.0.0.1:{port}"

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def health(self):
        if self.proc.poll() is not None:
            raise Failed(f"serve exited ({self.proc.returncode}): {self.output()[-800:]}")
        return http(f"{self.url}/healthz")

    def healthy(self, timeout=120):
        return wait("a healthy /healthz", lambda: self.health()[0] == 200, timeout)

    def worker_pid(self) -> int | None:
        kids = [p for p in children(self.proc.pid) if alive(p)]
        return kids[0] if len(kids) == 1 else None

    def token(self) -> dict:
        status, body = http(f"{self.url}/api/v1/auth/token", data=json.dumps(
            {"username": "chaos", "password": PASSWORD}).encode(),
            headers={"Content-Type": "application/json"})
        check(status == 200, f"token: {status} {body}")
        return {"Authorization": f"Bearer {body['token']}"}

    def upload(self, auth: dict, payload: bytes):
        boundary = uuid.uuid4().hex
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
                f"filename=\"pekerja.csv\"\r\nContent-Type: text/csv\r\n\r\n".encode()
                + payload + f"\r\n--{boundary}--\r\n".encode())
        return http(f"{self.url}/api/v1/imports/workers", data=body, timeout=60, headers={
            **auth, "Content-Type": f"multipart/form-data; boundary={boundary}"})

    def batch(self, auth: dict, batch_id: int) -> dict:
        status, body = http(f"{self.url}/api/v1/imports/{batch_id}", headers=auth)
        return body if status == 200 else {}

    def finished(self, auth: dict, batch_id: int, timeout=240) -> dict:
        return wait(f"import {batch_id} to finish", lambda: (
            (b := self.batch(auth, batch_id)).get("status") in ("done", "failed") and b),
            timeout, step=0.5)


# --- the scenarios -----------------------------------------------------------------------------


def scenario_db_restart(suite: Suite, server: Served, auth: dict):
    rows = suite.rows[:suite.nrows]
    status, batch = server.upload(auth, csv_bytes(rows, suite.header))
    check(status == 202, f"upload: {status} {batch}")
    wait("the import to start", lambda: suite_state(server, auth, batch["id"]) == "running",
         60, step=0.1)
    stop_load = threading.Event()
    answers: list[tuple[float, str, object]] = []  # (sent at, page/api, status)

    def load():  # a user browsing while the database restarts (bounded)
        deadline = time.monotonic() + 120
        while not stop_load.is_set() and time.monotonic() < deadline:
            for kind, url, headers in (
                    ("page", f"{server.url}/cakupan/publik/", {}),
                    ("api", f"{server.url}/api/v1/imports/{batch['id']}", auth)):
                sent = time.monotonic()
                try:
                    status, _ = http(url, headers=headers, timeout=10)
                    answers.append((sent, kind, status))
                except OSError as exc:
                    answers.append((sent, kind, type(exc).__name__))
            time.sleep(0.2)

    loader = threading.Thread(target=load, daemon=True)
    loader.start()
    worker_before = server.worker_pid()
    progress = server.batch(auth, batch["id"]).get("progress")
    t0 = time.monotonic()
    suite.restart_cluster()
    t_restart = time.monotonic() - t0
    try:
        server.healthy(timeout=120)
        t_health = time.monotonic() - t0
        result = server.finished(auth, batch["id"])
        t_done = time.monotonic() - t0
    finally:
        stop_load.set()
        loader.join(timeout=20)
    worker_after = server.worker_pid()
    errors = {kind: sorted({str(a) for _, k, a in answers if k == kind and a != 200})
              for kind in ("page", "api")}
    failing = sum(1 for _, _k, a in answers if a != 200)
    late = sum(1 for when, _k, a in answers if a != 200 and when > t0 + t_health)
    people, roles = suite.people(suite.niks[:suite.nrows]), suite.roles(suite.niks[:suite.nrows])
    detail = (f"restart at progress {progress}% took {t_restart:.1f} s; /healthz 200 after "
              f"{t_health:.1f} s; import {result['status']} after {t_done:.1f} s; worker "
              f"{'same' if worker_after == worker_before else 'respawned'}; people {people}/"
              f"{len(rows)}, roles {roles}/{len(rows)}; pages under load: {len(answers)} requests, "
              f"{failing} not 200 while the database was down (pages {errors['page']}, API "
              f"{errors['api']}), {late} after /healthz was back")
    check(result["status"] == "done", f"import not done: {result} — {detail}")
    check(people == roles == len(rows), f"row counts differ — {detail}")
    check(late == 0, f"pages still failing after recovery — {detail}")
    return detail


def suite_state(server: Served, auth: dict, batch_id: int) -> str:
    return server.batch(auth, batch_id).get("status", "")


def scenario_kill_worker(suite: Suite, server: Served, auth: dict):
    rows = suite.rows[suite.nrows:2 * suite.nrows]
    niks = suite.niks[suite.nrows:2 * suite.nrows]
    status, batch = server.upload(auth, csv_bytes(rows, suite.header))
    check(status == 202, f"upload: {status} {batch}")
    wait("the import to be under way", lambda: (
        (b := server.batch(auth, batch["id"])).get("status") == "running"
        and (b.get("progress") or 0) >= 10), 60, step=0.1)
    progress = server.batch(auth, batch["id"]).get("progress")
    first = wait("the worker process", server.worker_pid, 10)
    t0 = time.monotonic()
    os.kill(first, signal.SIGKILL)
    second = wait("a new worker", lambda: (p := server.worker_pid()) and p != first and p, 60)
    t_respawn = time.monotonic() - t0
    result = server.finished(auth, batch["id"])
    t_done = time.monotonic() - t0
    people, roles = suite.people(niks), suite.roles(niks)
    detail = (f"killed worker {first} at progress {progress}%; new worker {second} after "
              f"{t_respawn:.1f} s; import {result['status']} after {t_done:.1f} s; people "
              f"{people}/{len(rows)}, roles {roles}/{len(rows)}; old worker reaped: "
              f"{not alive(first)}")
    check(result["status"] == "done", f"import not done: {result} — {detail}")
    check(people == roles == len(rows), f"partial or duplicate rows — {detail}")
    check(server.health()[0] == 200, f"/healthz not 200 afterwards — {detail}")
    return detail


def scenario_overlapping_imports(suite: Suite, server: Served, auth: dict):
    n = suite.nrows
    base = 2 * n
    half = n // 2
    first = suite.rows[base:base + n]
    second = suite.rows[base + half:base + half + n]
    union = suite.niks[base:base + half + n]
    replies = {}

    def send(name, rows):
        replies[name] = server.upload(auth, csv_bytes(rows, suite.header))

    threads = [threading.Thread(target=send, args=(k, r)) for k, r in (("A", first),
                                                                          ("B", second))]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=90)
    check(all(replies.get(k, (0,))[0] == 202 for k in "AB"), f"uploads: {replies}")
    results = {k: server.finished(auth, replies[k][1]["id"]) for k in "AB"}
    t_done = time.monotonic() - t0
    people, roles = suite.people(union), suite.roles(union)
    detail = (f"{len(first)} + {len(second)} rows, {n - half} shared NIKs; "
              f"{results['A']['status']}/{results['B']['status']} after {t_done:.1f} s; "
              f"people {people}/{len(union)} (the union), roles {roles}")
    check(results["A"]["status"] == results["B"]["status"] == "done", f"not both done: "
          f"{results} — {detail}")
    check(people == len(union), f"people is not the union — {detail}")
    return detail


def scenario_two_billing_runs(suite: Suite):
    t0 = time.monotonic()
    procs = [suite.popen_jamsos("billing", "run", "--period", PERIOD, "--format", "json")
             for _ in range(2)]
    outs = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        outs.append((proc.returncode, out, err))
    took = time.monotonic() - t0
    created = []
    for code, out, err in outs:
        check(code == 0, f"billing run exited {code}: {err.strip()[-300:]}")
        created.append(json.loads(out)["created"])
    runs = int(suite.sql(f"SELECT count(*) FROM premiums_billingrun WHERE period = "
                         f"'{PERIOD}-01'"))
    lines = json.loads(outs[0][1])["lines"]
    detail = (f"created flags {sorted(created)}, {runs} run in the database ({lines} lines), "
              f"both exit 0, {took:.1f} s for both")
    check(sorted(created) == [False, True], f"not exactly one created — {detail}")
    check(runs == 1, f"not one run — {detail}")
    return detail


def queue_mail(suite: Suite, tag: str, n: int):
    code = (
        "from django.utils import timezone\n"
        "from jamsos.santunan.models import OutboxEmail\n"
        "now = timezone.now()\n"
        f"OutboxEmail.objects.bulk_create([OutboxEmail(to=f'{tag}{{i}}@example.org', "
        f"subject='SLA', body='hari ke-5', key=f'chaos:{tag}:{{i}}', created_at=now) "
        f"for i in range({n})])\n")
    done = suite.jamsos("shell", "-c", code)
    check(done.returncode == 0, f"queueing the outbox: {done.stderr[-300:]}")


def mail_counts(suite: Suite, tag: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for path in (suite.data / "mail").glob("*"):
        for to in re.findall(rf"^To: ({re.escape(tag)}\d+@example\.org)\s*$",
                             path.read_text(errors="replace"), flags=re.M):
            counts[to] = counts.get(to, 0) + 1
    return counts


def scenario_outbox(suite: Suite):
    n = 40
    queue_mail(suite, "serve", n)
    t0 = time.monotonic()
    servers = [suite.serve("--no-worker") for _ in range(2)]
    try:
        wait("both servers' periodic runs", lambda: int(suite.sql(
            "SELECT count(*) FROM santunan_outboxemail WHERE key LIKE 'chaos:serve:%' "
            "AND sent_at IS NULL")) == 0, 120)
        t_serve = time.monotonic() - t0
        time.sleep(2)  # a late second sender would show up now
    finally:
        for server in servers:
            suite.stop(server.proc)
    by_serve = mail_counts(suite, "serve")
    queue_mail(suite, "cron", n)
    t1 = time.monotonic()
    procs = [suite.popen_jamsos("periodic") for _ in range(3)]
    codes = []
    for proc in procs:
        proc.communicate(timeout=300)
        codes.append(proc.returncode)
    t_cron = time.monotonic() - t1
    by_cron = mail_counts(suite, "cron")
    sent = int(suite.sql("SELECT count(*) FROM santunan_outboxemail WHERE key LIKE 'chaos:%' "
                         "AND sent_at IS NOT NULL"))
    detail = (f"2 serve: {len(by_serve)}/{n} addresses got mail, most copies "
              f"{max(by_serve.values(), default=0)}, all sent after {t_serve:.1f} s; "
              f"3 periodic (exit {codes}): {len(by_cron)}/{n}, most copies "
              f"{max(by_cron.values(), default=0)}, {t_cron:.1f} s; {sent}/{2 * n} rows "
              f"marked sent")
    check(len(by_serve) == n and set(by_serve.values()) == {1}, f"serve: not once — {detail}")
    check(len(by_cron) == n and set(by_cron.values()) == {1}, f"periodic: not once — {detail}")
    check(codes == [0, 0, 0] and sent == 2 * n, detail)
    return detail


def scenario_full_disk(suite: Suite, auth_rows: list[str]):
    full = suite.tmp / "full"
    full.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(full)],
                             capture_output=True, text=True, timeout=30)
    if mounted.returncode:
        return f"SKIPPED: mounting a tmpfs was refused ({mounted.stderr.strip()})"
    suite.mounts.append(full)
    filler = full / "filler.bin"
    server = suite.serve("--no-periodic", data_dir=full)
    try:
        server.healthy(timeout=120)  # a worker is alive before the disk fills
        auth = server.token()
        # Fill the data directory up to the last few KB.
        with contextlib.suppress(OSError), filler.open("wb", buffering=0) as out:
            for _ in range(1024):  # bounded: 1024 × 4 KB > 2 MB
                out.write(b"\0" * 4096)
        free = shutil.disk_usage(full).free
        imports = full / "imports"
        before = set(imports.glob("*")) if imports.exists() else set()
        t0 = time.monotonic()
        status, body = server.upload(auth, csv_bytes(auth_rows, suite.header))
        took = time.monotonic() - t0
        after = set(imports.glob("*")) if imports.exists() else set()
        left = sorted(p.name for p in after - before)
        health = server.health()[0]
    finally:
        suite.stop(server.proc)
    # A restart on the full disk: pages and static files still answer.
    again = suite.serve("--no-periodic", data_dir=full)
    try:
        t1 = time.monotonic()
        wait("serve on the full disk", lambda: http(f"{again.url}/cakupan/publik/")[0] == 200,
             120)
        t_start = time.monotonic() - t1
        css = http(f"{again.url}/static/jamsos/app.css")[0]
        try:
            again.healthy(timeout=30)
            health_again = "200"
        except Failed:
            health_again = f"{again.health()} (log: {again.output()[-400:]!r})"
    finally:
        suite.stop(again.proc)
        with contextlib.suppress(OSError):
            filler.unlink()
    shown = json.dumps(body, ensure_ascii=False)[:120] if isinstance(body, dict) else "non-JSON"
    detail = (f"{free} bytes free; upload of {len(auth_rows)} rows answered {status} {shown}"
              f" in {took:.2f} s; new files left in imports/: {left or 'none'}; /healthz "
              f"{health}; restarted serve answered pages after {t_start:.1f} s, app.css {css}, "
              f"/healthz {health_again}")
    check(status == 507 and isinstance(body, dict) and body.get("detail"),
          f"not a 507 JSON answer — {detail}")
    check(not left, f"a partial file was left — {detail}")
    check(css == 200, f"static files missing — {detail}")
    return detail


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=55433, help="the throwaway cluster's port")
    parser.add_argument("--rows", type=int, default=1500, help="rows of one import file")
    args = parser.parse_args()
    if os.geteuid() != 0:
        print("chaos: run as root (a cluster as user postgres, a tmpfs mount)", file=sys.stderr)
        return 2
    suite = Suite(args.port, args.rows)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        print(f"chaos: {time.strftime('%Y-%m-%d %H:%M %Z')}, {os.cpu_count()} cores, cluster "
              f"in {suite.tmp} on port {args.port}, {args.rows} rows per import", flush=True)
        t0 = time.monotonic()
        suite.start_cluster()
        suite.make_rows()
        for step in (("migrate", "--no-input"),):
            done = suite.jamsos(*step, timeout=600)
            if done.returncode:
                raise RuntimeError(f"migrate: {done.stderr[-800:]}")
        done = suite.jamsos("users", "create", "chaos", "--role", "operator", "--area", "16.02",
                            stdin=f"{PASSWORD}\n")
        if done.returncode:
            raise RuntimeError(f"users create: {done.stderr[-800:]}")
        print(f"setup: cluster, migrate and user in {time.monotonic() - t0:.1f} s", flush=True)
        server = suite.serve()
        server.healthy()
        auth = server.token()
        suite.run("a. PostgreSQL restart under load",
                  lambda: scenario_db_restart(suite, server, auth))
        suite.run("b. SIGKILL of the worker mid-import",
                  lambda: scenario_kill_worker(suite, server, auth))
        suite.run("c. two overlapping imports", lambda: scenario_overlapping_imports(
            suite, server, auth))
        suite.stop(server.proc)
        suite.run("d. two billing runs at once", lambda: scenario_two_billing_runs(suite))
        suite.run("e. outbox: two serve + three periodic", lambda: scenario_outbox(suite))
        suite.run("f. full data directory", lambda: scenario_full_disk(
            suite, suite.rows[-200:]))
    except KeyboardInterrupt:
        print("chaos: interrupted, cleaning up", file=sys.stderr)
        return 130
    except (RuntimeError, Failed, OSError, subprocess.SubprocessError) as exc:
        print(f"chaos: setup failed: {exc}", file=sys.stderr)
        return 1
    finally:
        suite.cleanup()
    failed = [name for name, ok, _ in suite.results if not ok]
    print(f"chaos: {len(suite.results) - len(failed)}/{len(suite.results)} passed"
          + (f"; failed: {', '.join(failed)}" if failed else ""))
    return 1 if failed else 0


def _interrupt(*_):
    raise KeyboardInterrupt


if __name__ == "__main__":
    sys.exit(main())
