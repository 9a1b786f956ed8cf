"""SLA arithmetic: pure functions of dates (no clock, no database).

The clock starts on the day a case is declared complete and verified (day 0) and stops on
the day of payment. In ``calendar`` mode every day counts; in ``working`` mode only Monday to
Friday that are not holidays. ``elapsed(start, end)`` counts the counted days ``d`` with
``start < d <= end``, so a case verified on a Friday and paid the next Monday took 3 calendar
days or 1 working day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

CALENDAR = "calendar"
WORKING = "working"
MODES = (CALENDAR, WORKING)
_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Clock:
    """How days are counted: the mode and the holidays (only used in working mode)."""

    mode: str = CALENDAR
    holidays: Collection[dt.date] = frozenset()

    def __post_init__(self):
        if self.mode not in MODES:
            raise ValueError(f"mode SLA tidak dikenal: {self.mode!r} (calendar|working)")

    def counts(self, day: dt.date) -> bool:
        if self.mode == CALENDAR:
            return True
        return day.weekday() < 5 and day not in self.holidays

    def elapsed(self, start: dt.date, end: dt.date) -> int:
        """Counted days in ``(start, end]``; negative when ``end`` is before ``start``."""
        if end < start:
            return -self.elapsed(end, start)
        if self.mode == CALENDAR:
            return (end - start).days
        weeks, rest = divmod((end - start).days, 7)
        total = weeks * 5
        day = start + dt.timedelta(days=weeks * 7)
        for _ in range(rest):
            day += _DAY
            if day.weekday() < 5:
                total += 1
        return total - sum(1 for h in self.holidays if start < h <= end and h.weekday() < 5)

    def due(self, start: dt.date, days: int) -> dt.date:
        """The day on which ``days`` counted days have passed since ``start``."""
        if self.mode == CALENDAR:
            return start + dt.timedelta(days=days)
        day, n = start, 0
        while n < days:
            day += _DAY
            if self.counts(day):
                n += 1
        return day

    def days_left(self, start: dt.date, today: dt.date, days: int) -> int:
        """Counted days until the deadline; 0 on the last day, negative once overdue."""
        return days - self.elapsed(start, today)

    def within(self, start: dt.date, paid_on: dt.date, days: int) -> bool:
        return self.elapsed(start, paid_on) <= days


def percentile(values: list[float], q: float) -> float | None:
    """Linear-interpolation percentile (like ``numpy.percentile``'s default)."""
    if not values:
        return None
    xs = sorted(values)
    pos = (len(xs) - 1) * q
    lo = int(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)
