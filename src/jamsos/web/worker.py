"""The background worker, supervised, and the recovery of jobs whose worker died.

``jamsos serve`` runs ``jamsos worker`` (django-tasks-db's worker with the additions below) as
a child process in its own process group, and starts it again with back-off when it dies
(:class:`Supervisor`). The worker:

- writes a heartbeat (:class:`~jamsos.web.models.Heartbeat` ``worker:<id>``) every
  :data:`BEAT` seconds from a thread of its own, also while a long import runs, and removes
  it when it stops cleanly;
- survives database errors (PostgreSQL restarted, its connection terminated): it waits with
  back-off, reconnects and carries on; the job it was running is released;
- stops when the ``jamsos serve`` that started it is gone.

A job is *stale* when the worker that claimed it is gone: it stopped, its heartbeat is older
than :data:`LEASE` seconds, or its process no longer exists on this host. Stale jobs are
released by :func:`recover_stale_tasks` (run by every worker every few seconds, by the
supervisor when its worker died, and by a worker when it (re)starts): tasks listed in
:data:`RECOVERY` (imports: all or nothing and idempotent) are queued again, up to
:data:`MAX_ATTEMPTS` claims; after that, or for any other task, the job is marked failed, and
the task's own records say why (an import batch shows the message on its page).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time

from django.db import Error as DatabaseError
from django.db import connections, transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.module_loading import import_string
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker

from jamsos.web.models import Heartbeat

logger = logging.getLogger("jamsos.worker")

#: Seconds between two heartbeats of a worker.
BEAT = 5.0
#: A worker whose last heartbeat is older than this is taken for dead.
LEASE = 60.0
#: Claims of one job before it is given up (the first run and two retries).
MAX_ATTEMPTS = 3
#: Tasks that are safe to run again after their worker died → the function that tells the
#: task's own records: ``recover(args, kwargs, *, retried: bool, attempts: int)``.
RECOVERY = {"jamsos.registry.tasks.run_import": "jamsos.registry.tasks.recover_import"}

HOST = socket.gethostname()[:255]


class WorkerLost(Exception):
    """The worker running a job stopped before the job ended."""


def heartbeat_name(worker_id: str) -> str:
    return f"worker:{worker_id}"


def beat(name: str, **info) -> None:
    now = timezone.now()
    Heartbeat.objects.update_or_create(
        name=name, defaults={"host": HOST, "pid": os.getpid(), "beat_at": now, "info": info},
        create_defaults={"host": HOST, "pid": os.getpid(), "beat_at": now, "info": info,
                         "started_at": now})


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def is_alive(hb: Heartbeat | None, now: dt.datetime | None = None) -> bool:
    """Whether the process of a heartbeat still lives (as far as can be told)."""
    if hb is None:
        return False
    now = now or timezone.now()
    if hb.beat_at < now - dt.timedelta(seconds=LEASE):
        return False
    return not (hb.host == HOST and hb.pid and not _process_exists(hb.pid))


def living_workers(now: dt.datetime | None = None) -> list[Heartbeat]:
    now = now or timezone.now()
    return [hb for hb in Heartbeat.objects.filter(name__startswith="worker:").order_by("-beat_at")
            if is_alive(hb, now)]


def recover_stale_tasks(*, dead=(), spare=(), count_attempt: bool = True) -> int:
    """Release (or fail) the running jobs whose worker is gone: those claimed by a worker in
    ``dead`` and those whose worker is no longer alive, never those of a worker in ``spare``
    (the caller's own, while it runs one). Returns how many jobs were released."""
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    beats = {hb.name: hb for hb in Heartbeat.objects.filter(name__startswith="worker:")}
    released = 0
    for result in DBTaskResult.objects.running().only("id", "worker_ids", "started_at"):
        owner = result.worker_ids[-1] if result.worker_ids else ""
        if owner in spare:
            continue
        if owner not in dead:
            hb = beats.get(heartbeat_name(owner))
            if hb is None:
                # A worker that never wrote a heartbeat (one started by hand with an older
                # version): one lease from the claim.
                if result.started_at and result.started_at > now - dt.timedelta(seconds=LEASE):
                    continue
            elif is_alive(hb, now):
                continue
        if release(result.pk, owner, count_attempt=count_attempt):
            released += 1
    return released


def release(task_id, owner: str, *, count_attempt: bool = True) -> str | None:
    """Queue a job whose worker is gone again (``"retried"``) or mark it failed
    (``"failed"``); None when it is no longer running for ``owner``. With
    ``count_attempt=False`` (the worker was stopped on purpose) the claim does not count."""
    from django_tasks_db.models import DBTaskResult

    with transaction.atomic():
        result = (DBTaskResult.objects.select_for_update()
                  .filter(pk=task_id, status=TaskResultStatus.RUNNING).first())
        if result is None or (result.worker_ids[-1:] or [""])[0] != owner:
            return None
        worker_ids = list(result.worker_ids)
        if not count_attempt and worker_ids:
            worker_ids.pop()
        recover = RECOVERY.get(result.task_path)
        retried = recover is not None and len(worker_ids) < MAX_ATTEMPTS
        if retried:
            result.status = TaskResultStatus.READY
            result.started_at = None
            result.worker_ids = worker_ids
            result.save(update_fields=["status", "started_at", "worker_ids"])
        else:
            result.set_failed(WorkerLost(
                f"worker {owner[:8]} stopped while running this job "
                f"({len(worker_ids)} attempt(s))"))
        if recover is not None:
            args_kwargs = result.args_kwargs or {}
            import_string(recover)(args_kwargs.get("args", []), args_kwargs.get("kwargs", {}),
                                   retried=retried, attempts=len(worker_ids))
    logger.warning("job %s (%s) of worker %s %s", str(task_id)[:8],
                   result.task_path.rsplit(".", 1)[-1], owner[:8] or "?",
                   "queued again" if retried else "failed: its worker is gone")
    return "retried" if retried else "failed"


def _close_connections() -> None:
    for conn in connections.all(initialized_only=True):
        try:
            conn.close()
        except DatabaseError:
            pass


class SupervisedWorker(Worker):
    """django-tasks-db's worker with a heartbeat, stale-job recovery and reconnection after
    database errors."""

    def __init__(self, *, parent_pid: int | None = None, max_backoff: float = 30.0, **kwargs):
        super().__init__(**kwargs)
        self.parent_pid = parent_pid
        self.max_backoff = max_backoff
        self._stopped = threading.Event()
        self._beater: threading.Thread | None = None

    @property
    def name(self) -> str:
        return heartbeat_name(self.worker_id)

    def run(self) -> None:
        backoff = 1.0
        try:
            while self.running:
                try:
                    # What this worker left running (a database error ended it) is not
                    # running any more: release it, and the jobs of dead workers.
                    recover_stale_tasks(dead={self.worker_id})
                    beat(self.name)
                    backoff = 1.0
                    if self._beater is None:
                        self._beater = threading.Thread(target=self._beat_loop,
                                                        name="jamsos-heartbeat", daemon=True)
                        self._beater.start()
                    super().run()
                    return
                except DatabaseError as exc:
                    logger.warning("worker %s: database error (%s); reconnecting in %.0f s",
                                   self.worker_id[:8], type(exc).__name__, backoff)
                    _close_connections()
                    time.sleep(backoff)
                    backoff = min(backoff * 2, self.max_backoff)
        finally:
            self._stopped.set()
            if self._beater is not None:
                self._beater.join(timeout=BEAT + 5)
            try:
                Heartbeat.objects.filter(name=self.name).delete()
            except DatabaseError:
                pass
            logger.info("worker %s stopped", self.worker_id[:8])

    def _beat_loop(self) -> None:
        failing = False
        last_recovery = time.monotonic()
        while not self._stopped.wait(BEAT):
            if self.parent_pid and os.getppid() != self.parent_pid:
                logger.warning("worker %s: jamsos serve is gone; stopping", self.worker_id[:8])
                os.kill(os.getpid(), signal.SIGTERM)
                return
            try:
                beat(self.name, busy=self.running_task)
                if time.monotonic() - last_recovery >= LEASE / 4:
                    last_recovery = time.monotonic()
                    recover_stale_tasks(spare={self.worker_id})
                if failing:
                    logger.warning("worker %s: heartbeat written again", self.worker_id[:8])
                failing = False
            except DatabaseError as exc:
                if not failing:
                    logger.warning("worker %s: heartbeat not written (%s)", self.worker_id[:8],
                                   type(exc).__name__)
                failing = True
            finally:
                connections.close_all()  # this thread's connections only


class Supervisor:
    """Runs ``jamsos worker`` as a child process and starts it again, with back-off, whenever
    it dies; :meth:`stop` ends it (SIGTERM, then SIGKILL after ``grace`` seconds, releasing
    the job it was running)."""

    def __init__(self, *, interval: float = 0.5, grace: float = 30.0, min_backoff: float = 1.0,
                 max_backoff: float = 60.0, healthy_after: float = 60.0):
        self.interval = interval
        self.grace = grace
        self.min_backoff = min_backoff
        self.max_backoff = max_backoff
        self.healthy_after = healthy_after
        self.proc: subprocess.Popen | None = None
        self.worker_id = ""
        self.restarts = 0
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def command(self, worker_id: str) -> list[str]:
        return [sys.executable, "-m", "jamsos.cli", "worker", "--interval", str(self.interval),
                "--no-startup-delay", "--no-reload", "--worker-id", worker_id,
                "--parent", str(os.getpid())]

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="jamsos-supervisor", daemon=True)
        self._thread.start()

    def _spawn(self) -> subprocess.Popen | None:
        with self._lock:
            if self._stop.is_set():
                return None
            self.worker_id = get_random_string(32)
            env = {**os.environ, "PGAPPNAME": os.environ.get("PGAPPNAME", "jamsos-worker")}
            # Its own process group: a Ctrl+C in the terminal reaches serve only, which then
            # stops the worker exactly once.
            self.proc = subprocess.Popen(self.command(self.worker_id), env=env,  # noqa: S603
                                         process_group=0)
            return self.proc

    def _run(self) -> None:
        backoff = self.min_backoff
        while not self._stop.is_set():
            proc = self._spawn()
            if proc is None:
                return
            started = time.monotonic()
            code = proc.wait()
            if self._stop.is_set():
                return
            uptime = time.monotonic() - started
            if uptime >= self.healthy_after:
                backoff = self.min_backoff
            logger.error("worker %s exited (code %s) after %.0f s; restarting in %.0f s",
                         self.worker_id[:8], code, uptime, backoff)
            try:
                recover_stale_tasks(dead={self.worker_id})
            except DatabaseError as exc:
                logger.warning("jobs of worker %s not released yet (%s)", self.worker_id[:8],
                               type(exc).__name__)
            finally:
                connections.close_all()
            self.restarts += 1
            if self._stop.wait(backoff):
                return
            backoff = min(backoff * 2, self.max_backoff)

    def stop(self) -> None:
        with self._lock:
            self._stop.set()
            proc, worker_id = self.proc, self.worker_id
        if proc is not None and proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=self.grace)
            except subprocess.TimeoutExpired:
                logger.warning("worker %s did not stop in %.0f s; killed, its job released",
                               worker_id[:8], self.grace)
                proc.kill()
                proc.wait()
                try:
                    recover_stale_tasks(dead={worker_id}, count_attempt=False)
                except DatabaseError:
                    pass
                finally:
                    connections.close_all()
        if self._thread is not None:
            self._thread.join(timeout=5)
