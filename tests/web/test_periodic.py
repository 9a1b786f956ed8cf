"""Clock-driven jobs: coverage of the day and santunan notices, once or in the serve loop."""

from __future__ import annotations

import datetime as dt
import json
import threading
from io import StringIO

import pytest
from django.core.management import call_command

from jamsos.coverage.models import CoverageCount
from jamsos.coverage.selectors import coverage_by_category
from jamsos.registry.services import import_workers
from jamsos.web import periodic
from tests.factories import HEADER, PEOPLE, TEBING_SULUH, import_rows

pytestmark = pytest.mark.django_db


def test_a_role_starting_later_is_counted_from_its_first_day():
    later = f"1602131708850009;Rudi;L;17-08-1985;{TEBING_SULUH};d;Ketua RW;01-10-2025"
    rows = [f"{HEADER};Tanggal Mulai", *(f"{p};01-01-2025" for p in PEOPLE), later]
    import_workers("\n".join(rows).encode(), "t.csv", today=dt.date(2025, 9, 2))
    assert {r.code: r.covered for r in coverage_by_category()}["rt_rw"] == 1
    done = periodic.run_once(dt.date(2025, 9, 30))  # counted on 2 Sept: stale
    assert done["coverage_refreshed"] is True
    assert {r.code: r.covered for r in coverage_by_category()}["rt_rw"] == 1  # not started yet
    assert periodic.run_once(dt.date(2025, 9, 30))["coverage_refreshed"] is False
    periodic.run_once(dt.date(2025, 10, 1))
    assert {r.code: r.covered for r in coverage_by_category()}["rt_rw"] == 2
    assert set(CoverageCount.objects.values_list("as_of", flat=True)) == {dt.date(2025, 10, 1)}


def test_periodic_command_prints_what_it_did():
    import_rows(*PEOPLE)
    out = StringIO()
    call_command("periodic", today="2025-09-03", stdout=out)
    done = json.loads(out.getvalue())
    assert done["today"] == "2025-09-03" and done["coverage_refreshed"] is True
    assert set(done["santunan"]) >= {"cases_due", "notifications", "emails_sent"}


def test_each_run_pins_the_audit_chain_outside_the_database():
    from jamsos.audit.checkpoints import read_checkpoints
    from jamsos.audit.models import ChainHead

    import_rows(*PEOPLE)
    done = periodic.run_once(dt.date(2025, 9, 3))
    head = ChainHead.objects.get()
    assert done["audit_checkpoint"] == head.last_id
    assert [p.last_id for p in read_checkpoints()] == [head.last_id]
    assert periodic.run_once(dt.date(2025, 9, 3))["audit_checkpoint"] is None  # nothing new


def test_the_loop_survives_a_failing_run_and_stops_when_told():
    calls = []
    stop = threading.Event()

    def runner():
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("database away")
        if len(calls) == 3:
            stop.set()

    thread = threading.Thread(target=periodic.loop, args=(stop,),
                              kwargs={"interval": 0.01, "runner": runner})
    thread.start()
    thread.join(timeout=5)
    assert not thread.is_alive() and len(calls) == 3


def test_mailer_comes_from_the_environment(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from jamsos import settings as project

    monkeypatch.delenv("JAMSOS_EMAIL", raising=False)
    file = project._mailer()
    assert file["BACKEND"].endswith("filebased.EmailBackend")
    assert file["OPTIONS"]["file_path"] == str(project.DATA_DIR / "mail")
    monkeypatch.setenv("JAMSOS_EMAIL", "smtp")
    monkeypatch.setenv("JAMSOS_SMTP_HOST", "mail.okikab.go.id")
    monkeypatch.setenv("JAMSOS_SMTP_PORT", "465")
    monkeypatch.setenv("JAMSOS_SMTP_TLS", "0")
    smtp = project._mailer()
    assert smtp["BACKEND"].endswith("smtp.EmailBackend")
    assert (smtp["OPTIONS"]["host"], smtp["OPTIONS"]["port"], smtp["OPTIONS"]["use_tls"]) == (
        "mail.okikab.go.id", 465, False)
    monkeypatch.setenv("JAMSOS_EMAIL", "pigeon")
    with pytest.raises(ImproperlyConfigured):
        project._mailer()


def test_the_regency_trend_is_counted_ahead_and_recounted_each_day():
    from jamsos.coverage.selectors import coverage_trend
    from jamsos.coverage.trends import trend_for

    rows = [f"{HEADER};Tanggal Mulai", *(f"{p};01-01-2025" for p in PEOPLE)]
    import_workers("\n".join(rows).encode(), "t.csv", today=dt.date(2025, 9, 2))
    assert periodic.run_once(dt.date(2025, 9, 3))["trends"] == ["16.02"]
    assert periodic.run_once(dt.date(2025, 9, 3))["trends"] == []  # nothing changed
    assert periodic.run_once(dt.date(2025, 10, 1))["trends"] == ["16.02"]  # a new day
    stored = trend_for("16.02", today=dt.date(2025, 10, 1))
    assert stored.current
    assert stored.points == coverage_trend("16.02", today=dt.date(2025, 10, 1))
