import datetime as dt

import pytest

from jamsos.registry.models import Enrolment
from tests.factories import PEOPLE, TEBING_SULUH, ULAK_KAPAL, import_rows

# Three people (factories.PEOPLE), registered with start 2025-09-01 by the import ("today").
BUDI, SITI, AHMAD = "1602131708850001", "1602135708900002", "1602021708800003"


@pytest.fixture
def people(db):
    """Budi (RT, BPU, APBD, Tebing Suluh), Siti (kader posyandu, BPU, APBD, Tebing Suluh) and
    Ahmad (perangkat desa, PU, APBD, Ulak Kapal); all from 2025-01-01, wages as set here."""
    import_rows(*PEOPLE)
    Enrolment.objects.update(start_date=dt.date(2025, 1, 1))
    Enrolment.objects.filter(person__nik=AHMAD).update(wage=2_000_000)
    return {e.person.nik: e for e in Enrolment.objects.select_related("person")}


def hold_first_billing(monkeypatch):
    """Billing runs in threads (race tests, PostgreSQL): the thread named ``first`` stops
    inside ``billing.compute`` until ``release`` is set (``inside`` tells it got there).
    Returns (inside, release, results, start): ``start(name, **run_billing_kwargs)`` starts a
    thread whose RunResult (or exception) lands in ``results[name]``."""
    import threading

    from jamsos.premiums import billing
    from jamsos.premiums.services import run_billing

    inside, release, results = threading.Event(), threading.Event(), {}
    compute = billing.compute

    def slow(*args, **kwargs):
        if threading.current_thread().name == "first":
            inside.set()
            release.wait(timeout=20)
        return compute(*args, **kwargs)

    monkeypatch.setattr(billing, "compute", slow)

    def run(period, kwargs):
        from django.db import connections

        try:
            results[threading.current_thread().name] = run_billing(period, **kwargs)
        except Exception as exc:
            results[threading.current_thread().name] = exc
        finally:
            connections.close_all()

    def start(name, period, **kwargs):
        thread = threading.Thread(target=run, args=(period, kwargs), name=name)
        thread.start()
        return thread

    return inside, release, results, start


__all__ = ["AHMAD", "BUDI", "SITI", "TEBING_SULUH", "ULAK_KAPAL", "hold_first_billing", "people"]
