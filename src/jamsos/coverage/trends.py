"""The stored trend of coverage per area (issue 14: the leaders' overview and the public page
read a few dozen rows, not every enrolment).

The trend itself is counted by :func:`jamsos.coverage.selectors.coverage_trend` from the
enrolments' start and end dates; here it is kept per area that someone looked at:

- the first look at an area counts it in the request and stores it;
- a registry write that can change who is covered (the ``roles_changed`` event) marks the
  stored trends of every area containing the changed desa stale, inside the writer's
  transaction, and after the commit queues :func:`jamsos.coverage.tasks.refresh_trends`, which
  recounts them in the background worker;
- the periodic job recounts every trend counted on an earlier day (a new month adds a point;
  roles start and end with the calendar) and any stale one the worker has not reached.

Until the recount the page shows the stored trend with the time it was counted ("Data tren
per …"), never a figure that was not counted from the registry.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from jamsos.coverage.models import TrendMonth, TrendState
from jamsos.coverage.selectors import TrendPoint, coverage_trend


@dataclass(frozen=True)
class StoredTrend:
    points: list[TrendPoint]
    computed_at: dt.datetime
    current: bool  # counted today and nothing has changed since


def _prefixes(code: str) -> list[str]:
    parts = code.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts) + 1)]


def recount_trend(area_code: str, *, today: dt.date | None = None) -> StoredTrend:
    """Count the area's trend from the registry and store it (replacing the stored one).

    The count runs outside any lock, so registry writers never wait for it; a write committed
    while it counts raises the area's generation, and the recount then leaves the trend stale
    (the write queued another recount)."""
    today = today or timezone.localdate()
    state, _ = TrendState.objects.get_or_create(
        area_code=area_code, defaults={"computed_at": timezone.now(), "through": today,
                                       "stale": True})
    seen = state.generation
    points = coverage_trend(area_code, today=today)
    now = timezone.now()
    with transaction.atomic():
        TrendMonth.objects.filter(area_code=area_code).delete()
        TrendMonth.objects.bulk_create(
            TrendMonth(area_code=area_code, month=p.month, covered=p.covered) for p in points)
        TrendState.objects.filter(area_code=area_code).update(computed_at=now, through=today)
        current = TrendState.objects.filter(area_code=area_code, generation=seen).update(
            stale=False) == 1
    return StoredTrend(points, now, current)


def trend_for(area_code: str, *, today: dt.date | None = None) -> StoredTrend:
    """The area's trend as stored; counted now if the area has none yet. A stale or outdated
    trend is returned as it is (with ``current`` false) and its recount queued."""
    today = today or timezone.localdate()
    state = TrendState.objects.filter(area_code=area_code).first()
    if state is None:
        return recount_trend(area_code, today=today)
    points = [TrendPoint(m.month, m.covered) for m in
              TrendMonth.objects.filter(area_code=area_code, month__lte=today).order_by("month")]
    current = not state.stale and state.through >= today
    # Outdated by the calendar: the first reader to notice queues the recount (a stale trend's
    # recount was queued by the write that made it stale).
    if not current and not state.stale and TrendState.objects.filter(
            area_code=area_code, stale=False).update(stale=True):
        _queue_refresh()
    return StoredTrend(points, state.computed_at, current)


def mark_stale(desa_codes) -> int:
    """Mark the stored trends of every area containing one of ``desa_codes`` stale (inside the
    caller's transaction) and queue their recount after the commit; returns how many."""
    areas = {p for code in desa_codes for p in _prefixes(code)}
    if not areas:
        return 0
    n = TrendState.objects.filter(area_code__in=areas).update(
        stale=True, generation=F("generation") + 1)
    if n:
        _queue_refresh()
    return n


def _queue_refresh() -> None:
    from jamsos.coverage.tasks import refresh_trends

    transaction.on_commit(refresh_trends.enqueue)


def refresh_due(*, today: dt.date | None = None, ensure: tuple[str, ...] = ()) -> list[str]:
    """Recount every stored trend that is stale or was counted for an earlier day, and count
    the areas of ``ensure`` that have none yet (the deployment's own area, so its first visitor
    does not wait for the count); returns the areas counted. The worker's task and the
    periodic job both call this."""
    today = today or timezone.localdate()
    due = set(TrendState.objects.filter(stale=True).values_list("area_code", flat=True))
    due |= set(TrendState.objects.filter(through__lt=today).values_list("area_code", flat=True))
    due |= set(ensure) - set(TrendState.objects.filter(area_code__in=ensure)
                             .values_list("area_code", flat=True))
    for area in sorted(due):
        recount_trend(area, today=today)
    return sorted(due)
