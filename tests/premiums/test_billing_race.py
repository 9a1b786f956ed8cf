"""Issue 18, finding 7: two billing runs of one month at once — the later waits and answers
like any repeat ("created": false), never an IntegrityError (CLI, web form and API alike go
through the service)."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.db import connection

from jamsos.premiums.models import BillingRun, Invoice
from tests.factories import PEOPLE, import_rows

from .conftest import hold_first_billing

MONTH = dt.date(2025, 9, 1)


@pytest.mark.django_db(transaction=True)
def test_two_runs_of_one_month_at_once_bill_it_once(oki_regions, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency needs PostgreSQL (SQLite serialises its writers)")
    import_rows(*PEOPLE)
    first_inside, release, results, start = hold_first_billing(monkeypatch)
    first = start("first", MONTH, today=MONTH)
    assert first_inside.wait(timeout=20)
    second = start("second", MONTH, today=MONTH)
    time.sleep(1.0)
    release.set()
    first.join(timeout=60)
    second.join(timeout=60)
    a, b = results["first"], results["second"]
    assert not isinstance(a, Exception) and not isinstance(b, Exception), results
    assert (a.created, b.created) == (True, False) and a.run.pk == b.run.pk
    assert BillingRun.objects.count() == 1 and Invoice.objects.count() >= 1
