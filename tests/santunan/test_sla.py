"""SLA arithmetic with a fixed clock: calendar and working days, holidays."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jamsos.santunan.sla import Clock, percentile

FRI = dt.date(2025, 9, 12)
HOLIDAYS = frozenset({dt.date(2025, 9, 5), dt.date(2025, 12, 25), dt.date(2025, 12, 26)})
CAL = Clock("calendar")
WORK = Clock("working", HOLIDAYS)


def test_calendar_days():
    assert CAL.elapsed(FRI, dt.date(2025, 9, 15)) == 3
    assert CAL.due(FRI, 7) == dt.date(2025, 9, 19)
    assert CAL.days_left(FRI, dt.date(2025, 9, 19), 7) == 0
    assert CAL.days_left(FRI, dt.date(2025, 9, 21), 7) == -2
    assert CAL.within(FRI, dt.date(2025, 9, 19), 7) and not CAL.within(FRI, dt.date(2025, 9, 20), 7)


def test_working_days_skip_weekends_and_holidays():
    assert WORK.elapsed(FRI, dt.date(2025, 9, 15)) == 1  # Friday → Monday
    assert WORK.due(FRI, 7) == dt.date(2025, 9, 23)  # Mon..Fri + Mon, Tue
    # Verified Tue 23 Dec: 24 (Wed) counts, 25-26 are holidays, 27-28 weekend.
    # 24, 29, 30, 31 Dec, 1, 2, 5 Jan (1 Jan is not in this test's holiday list).
    assert WORK.due(dt.date(2025, 12, 23), 7) == dt.date(2026, 1, 5)
    assert WORK.elapsed(dt.date(2025, 12, 23), dt.date(2025, 12, 29)) == 2
    # A holiday on a Saturday changes nothing.
    assert Clock("working", {dt.date(2025, 9, 13)}).elapsed(FRI, dt.date(2025, 9, 15)) == 1


def test_shipped_holidays_are_used_in_working_mode(settings):
    from jamsos.santunan import conf

    settings.JAMSOS_SANTUNAN_SLA_DAYS = "working"
    settings.JAMSOS_SANTUNAN_EXTRA_HOLIDAYS = ["2025-09-16"]
    clock = conf.clock()
    assert clock.mode == "working"
    assert dt.date(2025, 8, 18) in clock.holidays and dt.date(2025, 9, 16) in clock.holidays
    assert clock.elapsed(FRI, dt.date(2025, 9, 17)) == 2


def test_unknown_mode_is_refused():
    with pytest.raises(ValueError):
        Clock("lunar")


def test_percentile():
    assert percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9) == pytest.approx(9.1)
    assert percentile([4.0], 0.5) == 4.0 and percentile([], 0.5) is None


dates = st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2027, 12, 31))
holidays = st.frozensets(dates, max_size=30)


@given(start=dates, n=st.integers(0, 60), hol=holidays)
def test_due_is_exactly_n_counted_days_later(start, n, hol):
    for clock in (Clock("calendar"), Clock("working", hol)):
        due = clock.due(start, n)
        assert clock.elapsed(start, due) == n
        assert n == 0 or clock.counts(due)
        assert clock.days_left(start, due, n) == 0


@given(a=dates, b=dates, c=dates, hol=holidays)
def test_elapsed_adds_up_and_never_exceeds_calendar_days(a, b, c, hol):
    work = Clock("working", hol)
    assert work.elapsed(a, c) == work.elapsed(a, b) + work.elapsed(b, c)
    assert abs(work.elapsed(a, b)) <= abs(Clock().elapsed(a, b))
    naive = sum(1 for i in range(1, (b - a).days + 1)
                if work.counts(a + dt.timedelta(days=i))) if b >= a else None
    if naive is not None:
        assert work.elapsed(a, b) == naive
