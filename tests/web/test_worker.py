"""The supervised background worker: heartbeats, recovery of jobs whose worker died, and
reconnection after database errors (the end-to-end kill tests are in ``test_serve``)."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import threading
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from jamsos.registry.models import ImportBatch, ImportStatus, Person
from jamsos.registry.tasks import queue_import
from jamsos.web import worker as supervised
from jamsos.web.models import Heartbeat
from tests.factories import HEADER, PASSWORD, PEOPLE, user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def operator(oki_regions):
    return user("op", "operator", "16.02")


def queued(operator, *rows, dry_run=False) -> ImportBatch:
    body = "\n".join([HEADER, *(rows or PEOPLE)]).encode()
    return queue_import(SimpleUploadedFile("pekerja.csv", body), user=operator, dry_run=dry_run)


def claim(batch: ImportBatch, worker_id: str, *, started=None) -> DBTaskResult:
    """The batch's job as a worker left it when it died at 80 %."""
    result = DBTaskResult.objects.get(args_kwargs__args=[batch.pk])
    result.worker_ids = [*result.worker_ids, worker_id]
    result.status = "RUNNING"
    result.started_at = started or timezone.now()
    result.save()
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.RUNNING, progress=80)
    return result


def heartbeat(worker_id: str, *, age: float = 0, pid: int | None = None, host=None):
    at = timezone.now() - dt.timedelta(seconds=age)
    Heartbeat.objects.create(name=f"worker:{worker_id}", host=host or supervised.HOST,
                             pid=pid or os.getpid(), started_at=at, beat_at=at)


def run_worker(worker_id: str = "w-test") -> supervised.SupervisedWorker:
    w = supervised.SupervisedWorker(
        queue_names=["default"], interval=0, batch=True, backend_name="default",
        startup_delay=False, max_tasks=None, worker_id=worker_id, excluded_queue_names=[])
    w.run()
    return w


def test_a_job_whose_worker_stopped_beating_is_queued_again_and_then_done(operator):
    batch = queued(operator)
    result = claim(batch, "dead-worker")
    heartbeat("dead-worker", age=supervised.LEASE + 5)
    assert supervised.recover_stale_tasks() == 1
    batch.refresh_from_db()
    result.refresh_from_db()
    assert (batch.status, batch.progress) == (ImportStatus.QUEUED, 0)
    assert batch.summary["note"] == "Proses latar sempat berhenti; impor ini diulang dari awal."
    assert result.status == "READY"
    run_worker()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.DONE and batch.summary["created"] == 3
    assert Person.objects.count() == 3
    assert not Heartbeat.objects.filter(name="worker:w-test").exists()  # stopped cleanly


def test_the_job_of_a_living_worker_is_left_alone(operator):
    batch = queued(operator)
    claim(batch, "alive")
    heartbeat("alive", age=1)
    assert supervised.recover_stale_tasks() == 0
    assert ImportBatch.objects.get(pk=batch.pk).status == ImportStatus.RUNNING


def test_a_worker_whose_process_is_gone_on_this_host_is_dead_at_once(operator):
    gone = subprocess.Popen(["true"])
    gone.wait()
    batch = queued(operator)
    claim(batch, "killed")
    heartbeat("killed", age=1, pid=gone.pid)
    assert supervised.recover_stale_tasks() == 1
    assert ImportBatch.objects.get(pk=batch.pk).status == ImportStatus.QUEUED


def test_a_job_stuck_running_without_any_heartbeat_is_recovered_after_one_lease(operator):
    """The issue's import at 80 % forever: claimed by a worker that never wrote a heartbeat."""
    batch = queued(operator)
    claim(batch, "old-db-worker", started=timezone.now() - dt.timedelta(hours=3))
    young = queued(operator, PEOPLE[0])
    claim(young, "old-db-worker-2")
    assert supervised.recover_stale_tasks() == 1
    assert ImportBatch.objects.get(pk=batch.pk).status == ImportStatus.QUEUED
    assert ImportBatch.objects.get(pk=young.pk).status == ImportStatus.RUNNING


def test_after_three_attempts_the_import_fails_with_a_message_on_its_page(operator, client):
    batch = queued(operator)
    for n in range(supervised.MAX_ATTEMPTS):
        claim(batch, f"dead-{n}")
        assert supervised.recover_stale_tasks(dead={f"dead-{n}"}) == 1
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED and batch.finished_at is not None
    result = DBTaskResult.objects.get(args_kwargs__args=[batch.pk])
    assert result.status == "FAILED"
    assert result.exception_class_path == "jamsos.web.worker.WorkerLost"
    client.login(username="op", password=PASSWORD)
    page = client.get(f"/registri/impor/{batch.pk}/").content.decode()
    assert "Impor tidak selesai: proses latar berhenti saat mengerjakannya (dicoba 3 kali)" in page
    api = client.get(f"/registri/impor/{batch.pk}/status.json").json()
    assert api["status"] == "failed"


def test_a_worker_stopped_on_purpose_does_not_use_up_an_attempt(operator):
    batch = queued(operator)
    claim(batch, "stopping")
    supervised.recover_stale_tasks(dead={"stopping"}, count_attempt=False)
    assert DBTaskResult.objects.get(args_kwargs__args=[batch.pk]).worker_ids == []


def test_a_finished_import_is_not_imported_again_by_a_retry(operator):
    batch = queued(operator)
    run_worker()
    finished = ImportBatch.objects.get(pk=batch.pk).finished_at
    result = DBTaskResult.objects.get(args_kwargs__args=[batch.pk])
    DBTaskResult.objects.filter(pk=result.pk).update(status="READY")  # its worker died after
    run_worker()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.DONE and batch.finished_at == finished
    assert batch.summary["created"] == 3


@pytest.mark.postgres_only
def test_the_worker_survives_its_connection_being_terminated_in_the_middle_of_an_import(
        operator, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    import psycopg

    from jamsos.registry import services

    real = services.import_workers
    calls = []

    def terminated_once(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:  # what a restart of PostgreSQL does to the worker's connection
            params = connection.get_connection_params()
            pid = connection.connection.info.backend_pid
            with psycopg.connect(**{k: v for k, v in params.items()
                                    if k in {"host", "port", "user", "dbname", "password"}},
                                 autocommit=True) as admin:
                admin.execute("SELECT pg_terminate_backend(%s)", [pid])
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "import_workers", terminated_once)
    batch = queued(operator)
    run_worker()
    batch.refresh_from_db()
    assert len(calls) == 2
    assert batch.status == ImportStatus.DONE and batch.summary["created"] == 3
    assert DBTaskResult.objects.get(args_kwargs__args=[batch.pk]).status == "SUCCESSFUL"


class FakeSupervisor(supervised.Supervisor):
    """Supervises a stand-in for ``jamsos worker``."""

    def __init__(self, script: str, **kwargs):
        super().__init__(**kwargs)
        self.script = script

    def command(self, worker_id: str) -> list[str]:
        return [sys.executable, "-c", self.script]


def _until(check, timeout: float = 20):
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline
        time.sleep(0.05)


def test_the_supervisor_restarts_a_dying_worker_with_back_off(oki_regions):
    sup = FakeSupervisor("import sys; sys.exit(3)", min_backoff=0.05, max_backoff=0.2)
    sup.start()
    try:
        _until(lambda: sup.restarts >= 3)
    finally:
        sup.stop()
    assert not sup._thread.is_alive() and sup.proc.poll() is not None


def test_a_worker_that_does_not_stop_in_time_is_killed_and_its_job_released(operator,
                                                                           tmp_path):
    batch = queued(operator)
    ready = tmp_path / "ignoring-sigterm"  # written once the stand-in ignores SIGTERM
    sup = FakeSupervisor("import pathlib, signal, time; "
                         "signal.signal(signal.SIGTERM, signal.SIG_IGN); "
                         f"pathlib.Path({str(ready)!r}).write_text('1'); time.sleep(60)",
                         grace=0.5)
    sup.start()
    try:
        _until(lambda: sup.proc is not None and ready.exists())  # a slow start is not a stop
        claim(batch, sup.worker_id)
    finally:
        sup.stop()
    assert sup.proc.returncode == -signal.SIGKILL
    batch.refresh_from_db()
    assert batch.status == ImportStatus.QUEUED  # runs again at the next start
    assert DBTaskResult.objects.get(args_kwargs__args=[batch.pk]).worker_ids == []


def test_periodic_jobs_run_in_one_process_at_a_time(oki_regions):
    from jamsos.web import periodic
    from jamsos.web.locks import exclusive

    seen = []
    with exclusive("periodic") as mine:
        assert mine
        other = threading.Thread(target=lambda: seen.append(periodic.run_exclusive()))
        other.start()
        other.join(timeout=30)
    assert seen == [{"skipped": "berjalan di proses lain"}]
    assert "today" in periodic.run_exclusive()
    assert periodic.last_run().info == {"ok": True}
