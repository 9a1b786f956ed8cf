"""The stored coverage trend (issue 14): counted once per area, marked stale by registry
writes, recounted in the background and daily, always equal to the live count."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from jamsos.coverage.models import TrendMonth, TrendState
from jamsos.coverage.selectors import coverage_trend
from jamsos.coverage.trends import mark_stale, refresh_due, trend_for
from jamsos.registry.models import Enrolment
from jamsos.registry.signals import announce_roles_changed
from tests.coverage.test_trend import enrol, history, person  # noqa: F401 (fixture)
from tests.factories import TEBING_SULUH, ULAK_KAPAL

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("history")]
D = dt.date
TODAY = D(2025, 5, 20)


def pairs(points):
    return [(p.month, p.covered) for p in points]


def test_the_first_look_counts_and_stores_the_live_trend():
    stored = trend_for("16.02", today=TODAY)
    assert stored.current
    assert pairs(stored.points) == pairs(coverage_trend("16.02", today=TODAY))
    assert TrendMonth.objects.filter(area_code="16.02").count() == 5
    state = TrendState.objects.get(area_code="16.02")
    assert (state.through, state.stale) == (TODAY, False)


def test_a_stored_trend_is_read_without_touching_the_enrolments():
    trend_for("16.02", today=TODAY)
    with CaptureQueriesContext(connection) as queries:
        again = trend_for("16.02", today=TODAY)
    assert again.current and len(again.points) == 5
    assert not any("registry_enrolment" in q["sql"] for q in queries.captured_queries)
    assert len(queries.captured_queries) <= 2


def test_a_registry_write_marks_the_areas_around_it_stale_and_queues_a_recount(
        django_capture_on_commit_callbacks):
    for area in ("16.02", "16.02.13", "16.02.02"):
        trend_for(area, today=TODAY)
    with django_capture_on_commit_callbacks(execute=True):
        enrol(person("7"), D(2025, 3, 1))  # Tebing Suluh, kecamatan 16.02.13
        announce_roles_changed([TEBING_SULUH], today=TODAY)
    stale = set(TrendState.objects.filter(stale=True).values_list("area_code", flat=True))
    assert stale == {"16.02", "16.02.13"}  # not the other kecamatan
    assert DBTaskResult.objects.filter(task_path__endswith="refresh_trends").exists()
    # Until the recount, the page gets the stored figures, said to be outdated.
    before = trend_for("16.02", today=TODAY)
    assert not before.current
    assert pairs(before.points) != pairs(coverage_trend("16.02", today=TODAY))
    assert sorted(refresh_due(today=TODAY)) == ["16.02", "16.02.13"]
    after = trend_for("16.02", today=TODAY)
    assert after.current
    assert pairs(after.points) == pairs(coverage_trend("16.02", today=TODAY))
    assert [p.covered for p in after.points][2:] == [4, 4, 4]


def test_a_new_day_recounts_and_a_new_month_adds_its_point():
    trend_for("16.02", today=TODAY)
    assert refresh_due(today=TODAY) == []
    june = D(2025, 6, 2)
    assert not trend_for("16.02", today=june).current
    assert refresh_due(today=june) == ["16.02"]
    stored = trend_for("16.02", today=june)
    assert stored.current and stored.points[-1].month == D(2025, 6, 1)
    assert pairs(stored.points) == pairs(coverage_trend("16.02", today=june))


def test_the_deployment_area_is_counted_ahead_of_its_first_visitor():
    assert refresh_due(today=TODAY, ensure=("16.02",)) == ["16.02"]
    assert TrendState.objects.filter(area_code="16.02", stale=False).exists()
    assert refresh_due(today=TODAY, ensure=("16.02",)) == []


def test_marking_without_stored_trends_queues_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert mark_stale([ULAK_KAPAL]) == 0
    assert not DBTaskResult.objects.exists()


def test_an_ended_role_shows_in_the_recounted_trend():
    trend_for("16.02.02", today=TODAY)
    Enrolment.objects.filter(desa_id=ULAK_KAPAL).update(end_date=D(2025, 4, 30), status="ended")
    mark_stale([ULAK_KAPAL])
    refresh_due(today=TODAY)
    assert pairs(trend_for("16.02.02", today=TODAY).points) == [(D(2025, 4, 1), 1),
                                                               (D(2025, 5, 1), 0)]


def test_the_public_page_says_when_its_trend_is_being_recounted(client):
    from django.urls import reverse

    trend_for("16.02")
    assert "sedang diperbarui" not in client.get(reverse("web:public")).content.decode()
    mark_stale([TEBING_SULUH])
    html = client.get(reverse("web:public")).content.decode()
    assert 'id="trend-at"' in html and "sedang diperbarui" in html


def test_a_write_during_a_recount_leaves_the_trend_stale(monkeypatch):
    """The recount counts without a lock; a registry write that commits meanwhile must not be
    hidden behind a trend said to be current."""
    from jamsos.coverage import trends

    trend_for("16.02", today=TODAY)
    mark_stale([TEBING_SULUH])
    live = trends.coverage_trend

    def count_while_someone_writes(area_code, *, today):
        points = live(area_code, today=today)
        enrol(person("8"), D(2025, 4, 1))
        mark_stale([TEBING_SULUH])  # the writer's event, committed during the count
        return points

    monkeypatch.setattr(trends, "coverage_trend", count_while_someone_writes)
    assert refresh_due(today=TODAY) == ["16.02"]
    assert not trend_for("16.02", today=TODAY).current
    monkeypatch.setattr(trends, "coverage_trend", live)
    refresh_due(today=TODAY)
    after = trend_for("16.02", today=TODAY)
    assert after.current
    assert pairs(after.points) == pairs(coverage_trend("16.02", today=TODAY))


def test_only_the_first_reader_of_an_outdated_trend_queues_its_recount(
        django_capture_on_commit_callbacks):
    trend_for("16.02", today=TODAY)
    june = D(2025, 6, 2)
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            assert not trend_for("16.02", today=june).current
    assert DBTaskResult.objects.filter(task_path__endswith="refresh_trends").count() == 1
