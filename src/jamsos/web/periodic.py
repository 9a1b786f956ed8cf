"""Jobs that run on a clock rather than on a request: ``jamsos periodic`` runs them once,
``jamsos serve`` runs them every hour in a background thread (a cron entry calling
``jamsos periodic`` does the same on a deployment that serves through another server).

Every job is idempotent, so running them more often than needed is harmless:

- coverage: the summary counts are "covered as of a day"; when the stored counts are from an
  earlier day (roles starting or ending since), they are recounted; so are the DTSEN
  candidates per desa (issue 17) when counted for another day, extract or setting;
- coverage trends: the stored trend of every area that was looked at is recounted when it was
  counted on an earlier day or the registry changed since (:mod:`jamsos.coverage.trends`);
- premium summaries: the arrears up to the last month due and this month's budget profile are
  built ahead of the first reader (:func:`jamsos.premiums.summaries.build_ahead`);
- santunan: day-5 SLA notices and the e-mail outbox (:func:`jamsos.santunan.services.day_notices`);
- audit: a checkpoint of the chain's head outside the database
  (:func:`jamsos.audit.checkpoints.write_checkpoint`).

Several processes (two ``jamsos serve`` on one database, cron's ``jamsos periodic`` beside
them) run the jobs one at a time (:func:`run_exclusive`); the last run is recorded for
``/healthz``.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading

from django.db import connections
from django.utils import timezone

from jamsos.audit.checkpoints import write_checkpoint
from jamsos.coverage.models import CoverageCount
from jamsos.coverage.services import refresh_candidates, refresh_coverage
from jamsos.coverage.trends import refresh_due
from jamsos.premiums.summaries import build_ahead
from jamsos.regions.selectors import deployment_area
from jamsos.registry.models import Enrolment
from jamsos.santunan.services import day_notices

logger = logging.getLogger(__name__)

#: Seconds between two runs under ``jamsos serve``.
INTERVAL = 3600


def coverage_is_stale(today: dt.date) -> bool:
    if CoverageCount.objects.filter(as_of__lt=today).exists():
        return True
    # Nothing counted yet although there are roles (a registry loaded by other means).
    return not CoverageCount.objects.exists() and Enrolment.objects.exists()


def run_once(today: dt.date | None = None) -> dict:
    """Run every periodic job once; returns what each did."""
    today = today or timezone.localdate()
    done: dict = {"today": today.isoformat(), "coverage_refreshed": False}
    if coverage_is_stale(today):
        refresh_coverage(today=today)
        done["coverage_refreshed"] = True
    done["candidates_refreshed"] = refresh_candidates(today=today, if_stale=True)
    done["trends"] = refresh_due(today=today, ensure=(deployment_area(),))
    done["premium_summaries"] = build_ahead(today)
    done["santunan"] = day_notices(today=today)
    point = write_checkpoint()
    done["audit_checkpoint"] = point.last_id if point else None
    return done


def run_exclusive(today: dt.date | None = None) -> dict:
    """:func:`run_once` unless another process is running the jobs right now; the run (or
    its failure) is recorded as the ``periodic`` heartbeat."""
    from jamsos.web.locks import exclusive

    with exclusive("periodic") as mine:
        if not mine:
            return {"skipped": "berjalan di proses lain"}
        try:
            done = run_once(today)
        except Exception as exc:
            _record(ok=False, error=type(exc).__name__)
            raise
        _record(ok=True)
        return done


def _record(**info) -> None:
    from django.db import DatabaseError

    from jamsos.web.worker import beat

    try:
        beat("periodic", **info)
    except DatabaseError:
        logger.warning("periodic run not recorded (database unavailable)")


def last_run():
    from jamsos.web.models import Heartbeat

    return Heartbeat.objects.filter(name="periodic").first()


def loop(stop: threading.Event, *, interval: float = INTERVAL, runner=run_exclusive) -> None:
    """Run the jobs now and then every ``interval`` seconds until ``stop`` is set. A failing
    run is logged and retried at the next interval; it never stops the web server."""
    while not stop.is_set():
        try:
            runner()
        except Exception:
            logger.exception("periodic jobs failed; retrying in %s s", interval)
        finally:
            connections.close_all()  # this thread's connections only
        if stop.wait(interval):
            return


def start_thread(*, interval: float = INTERVAL) -> tuple[threading.Thread, threading.Event]:
    stop = threading.Event()
    thread = threading.Thread(target=loop, args=(stop,), kwargs={"interval": interval},
                              name="jamsos-periodic", daemon=True)
    thread.start()
    return thread, stop
