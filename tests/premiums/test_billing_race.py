"""Issue 18, finding 7: two billing runs of one month at once — the later waits and answers
like any repeat ("created": false), never an IntegrityError (CLI, web form and API alike go
through the service)."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from django.db import connection

from jamsos.premiums.models import BillingRun, Invoice
from tests.factories import PEOPLE, import_rows

MONTH = dt.date(2025, 9, 1)


@pytest.mark.django_db(transaction=True)
def test_two_runs_of_one_month_at_once_bill_it_once(oki_regions, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency needs PostgreSQL (SQLite serialises its writers)")
    from jamsos.premiums import billing
    from jamsos.premiums.services import run_billing

    import_rows(*PEOPLE)
    first_inside, release = threading.Event(), threading.Event()
    compute = billing.compute

    def slow(*args, **kwargs):
        if threading.current_thread().name == "first":
            first_inside.set()
            release.wait(timeout=20)
        return compute(*args, **kwargs)

    monkeypatch.setattr(billing, "compute", slow)
    results = {}

    def run():
        from django.db import connections

        try:
            results[threading.current_thread().name] = run_billing(MONTH, today=MONTH)
        except Exception as exc:
            results[threading.current_thread().name] = exc
        finally:
            connections.close_all()

    first = threading.Thread(target=run, name="first")
    second = threading.Thread(target=run, name="second")
    first.start()
    assert first_inside.wait(timeout=20)
    second.start()
    time.sleep(1.0)
    release.set()
    first.join(timeout=60)
    second.join(timeout=60)
    a, b = results["first"], results["second"]
    assert not isinstance(a, Exception) and not isinstance(b, Exception), results
    assert (a.created, b.created) == (True, False) and a.run.pk == b.run.pk
    assert BillingRun.objects.count() == 1 and Invoice.objects.count() >= 1
