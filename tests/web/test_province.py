"""The province pages (issue 16): the ranking of kabupaten/kota and the province map, for
province-level users only."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from jamsos.coverage.maps import kecamatan_shapes
from jamsos.coverage.selectors import kabupaten_ranking
from jamsos.registry.services import set_target
from tests.factories import PASSWORD, PEOPLE, TEBING_SULUH, import_rows, user
from tests.web.test_plain_words import choice_values, code_tokens

pytestmark = pytest.mark.django_db

OKU_DESA = "16.01.07.2001"
OKU_ROW = f"1601071708850004;Ani;P;17-08-1985;{OKU_DESA};d;Ketua RT"


@pytest.fixture
def province(settings, client):
    settings.JAMSOS_AREA = "16"
    import_rows(PEOPLE[0], PEOPLE[1], OKU_ROW)
    set_target(region_code=TEBING_SULUH, category="rt_rw", headcount=4)
    set_target(region_code=OKU_DESA, category="rt_rw", headcount=1)
    return client


def signed_in(client, role: str, area: str):
    user("u", role, area)
    assert client.login(username="u", password=PASSWORD)
    return client


@pytest.mark.parametrize("role", ["pimpinan", "bpjs", "operator", "admin", "auditor"])
def test_province_users_see_the_ranking_in_their_menu(province, role):
    client = signed_in(province, role, "16")
    home = client.get(reverse("web:home")).content.decode()
    assert 'data-menu="ranking"' in home
    page = client.get(reverse("web:ranking"))
    assert page.status_code == 200


def test_the_ranking_lists_every_kabupaten_highest_first_with_bars_and_money(province):
    client = signed_in(province, "pimpinan", "16")
    html = client.get(reverse("web:ranking")).content.decode()
    table = html[html.index('id="ranking"'):html.index("</table>", html.index('id="ranking"'))]
    order = re.findall(r'<tr data-code="([\d.]+)"', table)
    assert order == [r.code for r in kabupaten_ranking("16")]
    assert order[:2] == ["16.01", "16.02"] and len(order) == 17
    assert table.count('class="hbar"') == 17
    assert 'id="money"' in html
    # The province map: one path per kabupaten/kota, each a link into its own dashboard.
    svg = html[html.index("<svg viewBox"):html.index("</svg>", html.index("<svg viewBox"))]
    assert svg.count('<a href="/cakupan/?wilayah=16.') == 17
    # Per category: ranked by that category's coverage.
    set_target(region_code=TEBING_SULUH, category="kelembagaan_desa", headcount=2)
    per_cat = client.get(reverse("web:ranking"), {"kategori": "kelembagaan_desa"}).content
    order = re.findall(r'<tr data-code="([\d.]+)"', per_cat.decode().split('id="money"')[0])
    assert order == [r.code for r in kabupaten_ranking("16", category="kelembagaan_desa")]
    assert order[0] == "16.02"  # Siti is OKI's only kader; OKU has none
    text = re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style|title)[^>]*>.*?</\1>", " ", html,
                                          flags=re.S))
    assert not code_tokens(text, choice_values())


def test_claims_and_santunan_per_kabupaten_equal_the_selectors(province):
    from jamsos.claims.selectors import paid_by_kabupaten
    from jamsos.registry.models import Person
    from tests.claims.helpers import paid_claim

    op = user("op", "operator", "16")
    siti = Person.objects.get(nik="1602135708900002")
    paid_claim(siti, "jkm", "death", dt.date(2025, 10, 5), paid_on=timezone.localdate(),
               amount=42_000_000, user=op)
    today = timezone.localdate()
    got = paid_by_kabupaten("16", dt.date(today.year, 1, 1), today)
    assert got == {"16.02": {"count": 1, "amount": 42_000_000}}
    client = signed_in(province, "bpjs", "16")
    html = client.get(reverse("web:ranking")).content.decode()
    money = html[html.index('id="money"'):]
    oki = re.search(r'<tr data-code="16.02">(.*?)</tr>', money, re.S).group(1)
    assert ">1<" in oki and "42" in oki


@pytest.mark.parametrize(("role", "area"), [("pimpinan", "16.02"), ("operator", "16.01"),
                                            ("camat", "16.02.13")])
def test_regency_users_have_no_ranking(province, role, area):
    client = signed_in(province, role, area)
    assert 'data-menu="ranking"' not in client.get(reverse("web:home")).content.decode()
    assert client.get(reverse("web:ranking")).status_code == 404


def test_the_map_drills_province_kabupaten_kecamatan_desa(province):
    client = signed_in(province, "pimpinan", "16")
    dashboard = reverse("coverage:dashboard")
    prov = client.get(dashboard, {"wilayah": "16"}).content.decode()
    assert prov.count("<path class=") == 17
    oku = client.get(dashboard, {"wilayah": "16.01"}).content.decode()
    oku_kec = [c for c in kecamatan_shapes() if c.startswith("16.01.")]
    assert oku.count("<path class=") == len(oku_kec) > 5
    # Below the kecamatan: desa boundaries only in OKI; elsewhere the page says so.
    oku_kecamatan = client.get(dashboard, {"wilayah": "16.01.07"}).content.decode()
    assert 'id="no-map"' in oku_kecamatan and "<path class=" not in oku_kecamatan
    oki_kecamatan = client.get(dashboard, {"wilayah": "16.02.13"}).content.decode()
    assert 'id="no-map"' not in oki_kecamatan and oki_kecamatan.count("<path class=") >= 10
    # The crumbs start at the province.
    assert 'href="?wilayah=16"' in oki_kecamatan
