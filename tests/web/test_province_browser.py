"""In Chromium: a province leader opens the ranking of kabupaten/kota from the menu, reads it
highest first, and drills the province map down to a kabupaten and a kecamatan (issue 16)."""

from __future__ import annotations

import pytest

from jamsos.coverage.maps import kecamatan_shapes
from jamsos.registry.services import set_target
from tests.factories import PASSWORD, PEOPLE, TEBING_SULUH, import_rows, user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OKU_DESA = "16.01.07.2001"


@pytest.fixture
def province_regions(transactional_db, settings):
    from jamsos.regions.models import Region
    from jamsos.regions.services import load_regions

    settings.JAMSOS_AREA = "16"
    if not Region.objects.filter(code="16.01").exists():
        load_regions(prefix="16")
    return Region.objects.get(code="16")


def test_the_province_ranking_and_map_drill_down(page, live_server, province_regions):
    import_rows(PEOPLE[0], PEOPLE[1], f"1601071708850004;Ani;P;17-08-1985;{OKU_DESA};d;Ketua RT")
    set_target(region_code=TEBING_SULUH, category="rt_rw", headcount=4)
    set_target(region_code=OKU_DESA, category="rt_rw", headcount=1)
    user("gubernur", "pimpinan", "16")
    page.goto(f"{live_server.url}/akun/masuk/")
    page.get_by_label("Nama pengguna").fill("gubernur")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(f"{live_server.url}/")
    page.locator('nav.menu-wide a[data-menu="ranking"]').click()
    page.wait_for_url("**/provinsi/peringkat/")
    page.get_by_role("heading", name="Peringkat kabupaten/kota — Sumatera Selatan").wait_for()
    rows = page.locator("#ranking tbody tr")
    assert rows.count() == 17
    assert "Ogan Komering Ulu" in rows.nth(0).inner_text()  # 1 of 1: 100 %
    assert "Ogan Komering Ilir" in rows.nth(1).inner_text()  # 2 of 4: 50 %
    assert rows.nth(0).locator("svg.hbar rect.fill").get_attribute("width") == "100.0"
    assert page.locator("#money tbody tr").count() == 18  # 17 and the total
    # Per category, without a button (the select submits itself).
    page.get_by_label("Kategori").select_option("rt_rw")
    page.wait_for_url("**kategori=rt_rw")
    # The province map: 17 kabupaten/kota; OKU drills down to its kecamatan.
    assert page.locator("svg.map a path").count() == 17
    page.locator('svg.map path[data-code="16.01"]').click()
    page.wait_for_url("**/cakupan/?wilayah=16.01")
    oku_kecamatan = sorted(c for c in kecamatan_shapes() if c.startswith("16.01."))
    assert page.locator("svg.map path").count() == len(oku_kecamatan)
    page.locator(f'svg.map path[data-code="{oku_kecamatan[0]}"]').click()
    page.wait_for_url(f"**/cakupan/?wilayah={oku_kecamatan[0]}")
    # No desa boundaries outside OKI: said plainly, the table stays.
    assert "batas desa baru ada untuk Kabupaten Ogan Komering Ilir" in page.locator(
        "#no-map").inner_text()
    assert page.locator("svg.map").count() == 0
    # Back at the province through the crumbs, then OKI down to its desa map.
    page.get_by_role("link", name="Sumatera Selatan", exact=True).click()
    page.locator('svg.map path[data-code="16.02"]').click()
    page.wait_for_url("**/cakupan/?wilayah=16.02")
    page.locator('svg.map path[data-code="16.02.13"]').click()
    page.wait_for_url("**/cakupan/?wilayah=16.02.13")
    assert page.locator("svg.map path").count() >= 10
