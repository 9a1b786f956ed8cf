"""A province's kabupaten/kota side by side (issue 16): the ranking and its CLI."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from jamsos.coverage.selectors import coverage_by_area, kabupaten_ranking
from jamsos.registry.services import set_target
from tests.factories import PEOPLE, TEBING_SULUH, import_rows

pytestmark = pytest.mark.django_db

OKU_DESA = "16.01.07.2001"
MUARA_ENIM_DESA = "16.03.01.2011"


@pytest.fixture
def province(settings):
    """OKI 2 of 4 (50 %), OKU 1 of 1 (100 %), Muara Enim 0 of 5 (0 %); the rest no target."""
    settings.JAMSOS_AREA = "16"
    import_rows(PEOPLE[0], PEOPLE[1], f"1601071708850004;Ani;P;17-08-1985;{OKU_DESA};d;Ketua RT")
    set_target(region_code=TEBING_SULUH, category="rt_rw", headcount=4)
    set_target(region_code=OKU_DESA, category="rt_rw", headcount=1)
    set_target(region_code=MUARA_ENIM_DESA, category="rt_rw", headcount=5)


def test_the_ranking_puts_the_highest_coverage_first(province):
    rows = kabupaten_ranking("16")
    assert len(rows) == 17
    assert [(r.code, r.covered, r.target) for r in rows[:3]] == [
        ("16.01", 1, 1), ("16.02", 2, 4), ("16.03", 0, 5)]
    assert [str(r.percent) for r in rows[:3]] == ["100.0", "50.0", "0.0"]
    assert all(r.percent is None for r in rows[3:])
    by_cat = {r.code: r for r in kabupaten_ranking("16", category="kelembagaan_desa")}
    assert (by_cat["16.02"].covered, by_cat["16.01"].covered) == (1, 0)


def test_a_kabupaten_target_set_on_the_regency_wins_over_its_desa(province):
    set_target(region_code="16.03", category="rt_rw", headcount=50)
    rows = {r.code: r for r in coverage_by_area("16", level="kabupaten", category="rt_rw")}
    assert rows["16.03"].target == 50 and rows["16.02"].target == 4


def test_coverage_by_kabupaten_prints_json_sorted_by_percent(province):
    out = StringIO()
    call_command("coverage", by="kabupaten", area="16", format="json", stdout=out)
    rows = json.loads(out.getvalue())
    assert len(rows) == 17
    assert set(rows[0]) == {"code", "name", "target", "covered", "percent"}
    assert rows[0] == {"code": "16.01", "name": rows[0]["name"], "target": 1, "covered": 1,
                       "percent": 100.0}
    assert "Ogan Komering Ulu" in rows[0]["name"]
    assert [r["code"] for r in rows[:3]] == ["16.01", "16.02", "16.03"]
    percents = [r["percent"] for r in rows if r["percent"] is not None]
    assert percents == sorted(percents, reverse=True)


def test_users_create_makes_a_province_user(settings):
    import sys

    from django.contrib.auth import get_user_model

    settings.JAMSOS_AREA = "16"
    stdin, sys.stdin = sys.stdin, StringIO("Sandi-Yang-Kuat-2025\n")
    try:
        call_command("users_create", "kanwil", role="bpjs", area="16", stdout=StringIO())
    finally:
        sys.stdin = stdin
    assert get_user_model().objects.get(username="kanwil").profile.area_id == "16"


def test_the_api_ranks_the_kabupaten_of_a_province_user_only(client, province):
    from tests.factories import PASSWORD, user

    for name, area in (("prov", "16"), ("oki", "16.02")):
        user(name, "pimpinan", area)
    tokens = {n: client.post("/api/v1/auth/token", {"username": n, "password": PASSWORD},
                             content_type="application/json").json()["token"]
              for n in ("prov", "oki")}
    got = client.get("/api/v1/coverage", {"by": "kabupaten"},
                     HTTP_AUTHORIZATION=f"Bearer {tokens['prov']}").json()
    assert got == [r.as_json() for r in kabupaten_ranking("16")]
    own = client.get("/api/v1/coverage", {"by": "kabupaten"},
                     HTTP_AUTHORIZATION=f"Bearer {tokens['oki']}").json()
    assert [r["code"] for r in own] == ["16.02"]
    assert client.get("/api/v1/coverage", {"by": "kabupaten", "area": "16"},
                      HTTP_AUTHORIZATION=f"Bearer {tokens['oki']}").status_code == 404
