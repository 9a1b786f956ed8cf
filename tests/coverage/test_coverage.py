"""Coverage figures, targets and the coverage command."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from jamsos.coverage.selectors import coverage_by_area, coverage_by_category
from jamsos.registry.services import set_target
from tests.factories import PEOPLE, TEBING_SULUH, import_rows

pytestmark = pytest.mark.django_db


def test_people_with_two_roles_count_once_in_the_total():
    import_rows(*PEOPLE, PEOPLE[0].replace(";d;Ketua RT", ";c;Hansip"))
    rows = {r.code: r for r in coverage_by_category()}
    assert rows["rt_rw"].covered == 1 and rows["kelembagaan_desa"].covered == 2
    assert rows["perangkat_desa"].covered == 1
    assert rows["_all"].covered == 3  # Budi holds two roles but is one person


def test_targets_roll_up_from_desa_unless_set_higher_up():
    import_rows(*PEOPLE)
    set_target(region_code=TEBING_SULUH, category="rt_rw", headcount=4)
    set_target(region_code="16.02.02.2001", category="rt_rw", headcount=6)
    rows = {r.code: r for r in coverage_by_category()}
    assert (rows["rt_rw"].target, rows["rt_rw"].covered, str(rows["rt_rw"].percent)) == (
        10, 1, "10.0")
    set_target(region_code="16.02", category="rt_rw", headcount=20)
    assert {r.code: r for r in coverage_by_category()}["rt_rw"].target == 20
    kec = {r.code: r for r in coverage_by_area(level="kecamatan", category="rt_rw")}
    assert (kec["16.02.13"].target, kec["16.02.13"].covered) == (4, 1)
    assert len(kec) == 18


def test_coverage_command_prints_json():
    import_rows(*PEOPLE)
    set_target(region_code=TEBING_SULUH, category="kelembagaan_desa", headcount=3)
    out = StringIO()
    call_command("coverage", by="desa", format="json", stdout=out)
    rows = {r["code"]: r for r in json.loads(out.getvalue())}
    assert len(rows) == 327
    assert rows[TEBING_SULUH] | {"name": None} == {"code": TEBING_SULUH, "name": None, "target": 3,
                                                  "covered": 2, "percent": 66.7}
    out = StringIO()
    call_command("coverage", by="category", format="json", stdout=out)
    cats = json.loads(out.getvalue())
    assert {"code", "name", "target", "covered", "percent"} <= set(cats[0])


def test_coverage_command_text_reads_the_indonesian_way():
    import_rows(*PEOPLE)
    set_target(region_code=TEBING_SULUH, category="kelembagaan_desa", headcount=1500)
    out = StringIO()
    call_command("coverage", by="category", stdout=out)
    line = next(x for x in out.getvalue().splitlines() if x.startswith("kelembagaan_desa"))
    assert line.split()[-5:] == ["1", "/", "1.500", "0,1", "%"]


def _counts() -> dict[tuple[str, str], tuple[int, object]]:
    from jamsos.coverage.models import CoverageCount

    return {(c.desa_id, c.category): (c.covered, c.as_of) for c in CoverageCount.objects.all()}


def test_an_import_recounts_only_the_desa_it_can_change():
    import datetime as dt

    from jamsos.coverage.models import CoverageCount
    from tests.factories import ULAK_KAPAL

    import_rows(*PEOPLE)
    # Mark every count as computed on an old day: an import must not touch desa it cannot
    # change, and must recount those it can.
    CoverageCount.objects.update(as_of=dt.date(2000, 1, 1))
    import_rows(PEOPLE[1].replace("Siti Aminah", "Siti Aminah Z"), today=dt.date(2025, 9, 3))
    counts = _counts()
    assert counts[(ULAK_KAPAL, "_all")] == (1, dt.date(2000, 1, 1))
    assert counts[(TEBING_SULUH, "_all")][0] == 2
    assert counts[(TEBING_SULUH, "_all")][1] != dt.date(2000, 1, 1)


def test_a_person_moving_desa_is_recounted_in_both():
    import datetime as dt

    from tests.factories import ULAK_KAPAL

    import_rows(*PEOPLE)
    moved = PEOPLE[2].replace(ULAK_KAPAL, TEBING_SULUH)  # Ahmad moves to Tebing Suluh
    import_rows(moved, today=dt.date(2025, 9, 3))
    counts = _counts()
    assert (ULAK_KAPAL, "_all") not in counts  # nobody left there
    assert counts[(TEBING_SULUH, "_all")][0] == 3
    assert counts[(TEBING_SULUH, "perangkat_desa")][0] == 1
    by_kec = {r.code: r.covered for r in coverage_by_area(level="kecamatan")}
    assert by_kec["16.02.13"] == 3 and by_kec["16.02.02"] == 0


def test_dry_run_leaves_the_counts_alone():
    import_rows(*PEOPLE)
    before = _counts()
    import_rows(PEOPLE[0].replace(";d;Ketua RT", ";c;Hansip"), dry_run=True)
    assert _counts() == before
