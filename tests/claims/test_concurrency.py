"""Two clerks move the same claim at once: exactly one move is recorded."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection

from jamsos.claims import services
from tests.claims.helpers import through_ladder, workers
from tests.factories import user


@pytest.mark.django_db(transaction=True)
def test_paid_and_rejected_at_once_exactly_one_wins(oki_regions):
    """Real concurrency: two threads, two connections, one barrier (PostgreSQL only; on SQLite
    test_ladder.py::test_a_stale_second_move_is_refused stands in)."""
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency needs PostgreSQL")
    people = workers()
    op = user("op", "operator", "16.02")
    bpjs = user("bpjs", "bpjs", "16.02")
    claim = services.create_claim(person=people["ahmad"], program="jkk", event="work_accident",
                                  event_date=dt.date(2025, 3, 5), user=op,
                                  reported_on=dt.date(2025, 3, 5))
    claim = through_ladder(claim, user=op, to="submitted", on=dt.date(2025, 3, 10))
    barrier = threading.Barrier(2)
    results: dict[str, str] = {}

    def act(to: str):
        from django.db import connections

        try:
            barrier.wait(timeout=10)
            services.move_claim(claim, to=to, user=bpjs, paid_amount=1_000_000, reason="x")
            results[to] = "ok"
        except services.ClaimError:
            results[to] = "refused"
        except Exception as exc:
            results[to] = f"error: {exc!r}"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=act, args=(to,)) for to in ("paid", "rejected")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(results.values()) == ["ok", "refused"], results
    claim.refresh_from_db()
    assert claim.steps.filter(status__in=["paid", "rejected"]).count() == 1
