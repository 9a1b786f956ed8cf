"""Two verifiers act on the same case at once: exactly one succeeds."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from jamsos.santunan import services
from jamsos.santunan.models import Case, Status, Transition
from tests.santunan.conftest import advance, make_case


@pytest.mark.django_db
def test_stale_second_verifier_is_refused_with_a_clear_message(people, users, extract):
    """Both loaded the page while the case was 'forwarded'; the second click comes late."""
    case = advance(make_case(users), users, "forwarded")
    services.transition(case.pk, action="verify", user=users["dinsos"], expected="forwarded")
    with pytest.raises(services.StaleState) as err:
        services.transition(case.pk, action="reject", user=users["dinsos2"],
                            expected="forwarded", reason="tidak layak")
    assert "dinsos" in err.value.message
    assert "Terverifikasi, menunggu persetujuan" in err.value.message
    case.refresh_from_db()
    assert case.status == Status.VERIFIED
    assert Transition.objects.filter(case=case, action__in=["verify", "reject"]).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_verifiers_at_once_exactly_one_wins(oki_regions, people, users, extract):
    """Real concurrency: two threads, two connections, one barrier (PostgreSQL only: the SQLite
    in-memory test database has no busy timeout, so the stale-read test above stands in)."""
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency needs PostgreSQL")
    case = advance(make_case(users), users, "forwarded")
    barrier = threading.Barrier(2)
    results: dict[str, str] = {}

    def act(who: str, action: str, reason: str):
        from django.db import connections

        try:
            barrier.wait(timeout=10)
            services.transition(case.pk, action=action, user=users[who], expected="forwarded",
                                reason=reason)
            results[who] = "ok"
        except services.StaleState:
            results[who] = "stale"
        except Exception as exc:
            results[who] = f"error: {exc!r}"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=act, args=("dinsos", "verify", "")),
               threading.Thread(target=act, args=("dinsos2", "reject", "ganda"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(results.values()) == ["ok", "stale"], results
    case = Case.objects.get(pk=case.pk)
    winner = next(k for k, v in results.items() if v == "ok")
    assert case.status == (Status.VERIFIED if winner == "dinsos" else Status.REJECTED)
    assert case.version == 3  # submit, forward, and exactly one of verify/reject
