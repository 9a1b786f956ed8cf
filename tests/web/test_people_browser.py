"""The people list on a phone (issue 13 items 6 and 7): at 360 and 390 px the name, desa and
status stay visible without sideways scrolling; the filters submit and stay in the links."""

from __future__ import annotations

import pytest

from tests.factories import PASSWORD, PEOPLE, import_rows, user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [360, 390])
def test_the_people_list_keeps_name_desa_and_status_on_a_phone(browser, live_server,
                                                                oki_regions, width):
    import_rows(*PEOPLE)
    user("op", "operator", "16.02")
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="id-ID")
    page = context.new_page()
    page.goto(f"{live_server.url}/akun/masuk/?next=/registri/orang/")
    page.get_by_label("Nama pengguna").fill("op")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url("**/registri/orang/")
    page.get_by_label("Kecamatan").select_option(label="Lempuing")
    page.get_by_role("button", name="Terapkan").click()
    page.wait_for_url("**kecamatan=16.02.13**")
    assert "2 orang" in page.locator("#jumlah").inner_text()
    table = page.locator("table.people-list")
    visible = [h.inner_text().strip(" ▲▼") for h in table.locator("thead th").all()
               if h.is_visible()]
    assert visible == ["Nama", "Desa domisili", "Status"]
    row = table.locator("tbody tr").first
    for text in ("Budi Santoso", "Tebing Suluh", "Terlindungi"):
        assert row.get_by_text(text, exact=True).is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # Sorting keeps the filter.
    table.get_by_role("link", name="Nama").click()
    page.wait_for_url("**urut=-nama**")
    assert "kecamatan=16.02.13" in page.url
    assert table.locator("tbody tr").first.inner_text().startswith("Siti Aminah")
    context.close()
