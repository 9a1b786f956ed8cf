"""Coverage over time, from enrolment start and end dates (no stored history)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jamsos.coverage.selectors import coverage_trend
from jamsos.registry.models import Enrolment, Person
from tests.factories import TEBING_SULUH, ULAK_KAPAL

pytestmark = pytest.mark.django_db
D = dt.date


def person(nik: str, desa: str = TEBING_SULUH) -> Person:
    return Person.objects.create(nik=nik, name=nik, sex="L", birth_date=D(1980, 1, 1),
                                 desa_id=desa)


def enrol(p: Person, start, end=None, *, status="active", category="rt_rw",
          desa: str = TEBING_SULUH) -> None:
    Enrolment.objects.create(person=p, category=category, desa_id=desa, segment="BPU",
                             funding_source="APBD", start_date=start, end_date=end,
                             status=status if end is None else "ended")
    if status == "suspended":
        Enrolment.objects.filter(person=p).update(status="suspended")


@pytest.fixture
def history():
    enrol(person("1"), D(2025, 1, 15))                       # from mid-January, still in
    enrol(person("2"), D(2025, 2, 1), D(2025, 3, 10))        # February to 10 March
    c = person("3")                                          # two roles overlapping in Feb
    enrol(c, D(2025, 1, 1), D(2025, 2, 28), category="rt_rw")
    enrol(c, D(2025, 2, 1), category="kelembagaan_desa")
    enrol(person("4"), D(2025, 1, 1), status="suspended")    # suspended: never counted
    enrol(person("5", ULAK_KAPAL), D(2025, 4, 1), desa=ULAK_KAPAL)  # another kecamatan
    enrol(person("6"), D(2025, 9, 1))                        # starts after "today"


def test_each_month_counts_the_people_in_force_once(history):
    trend = coverage_trend(today=D(2025, 5, 20))
    assert [(p.month, p.covered) for p in trend] == [
        (D(2025, 1, 1), 2), (D(2025, 2, 1), 3), (D(2025, 3, 1), 3), (D(2025, 4, 1), 3),
        (D(2025, 5, 1), 3)]


def test_an_area_counts_only_its_own_people(history):
    trend = coverage_trend("16.02.13", today=D(2025, 5, 20))
    assert [p.covered for p in trend] == [2, 3, 3, 2, 2]
    assert coverage_trend("16.02.02", today=D(2025, 5, 20))[0].month == D(2025, 4, 1)
    assert coverage_trend("16.02.05", today=D(2025, 5, 20)) == []


def test_one_statement_for_all_months(history):
    with CaptureQueriesContext(connection) as queries:
        trend = coverage_trend(today=D(2027, 12, 31))
    assert len(trend) == 36
    assert len(queries) == 2  # the first month, then the whole series
