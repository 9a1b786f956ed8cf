"""In Chromium, on a desktop and on a phone: every role signs in, finds its own home and opens
every item of its menu; the leader's overview shows the launch figures, the trend and the map;
a kepala desa's home stays light; no page shows an internal code as the browser renders it
(the same checker as the crawl in ``test_plain_words``)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from jamsos.accounts.models import ROLE_MENUS
from jamsos.claims.selectors import claim_report
from jamsos.core.numbers import rupiah_short as rupiah_short_text
from tests.factories import PASSWORD
from tests.web import homes_demo
from tests.web.test_plain_words import choice_values, code_tokens

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: What a kepala desa's phone may download on the first load of their home (HTML, CSS, all).
KADES_BUDGET_BYTES = 150_000


def sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/akun/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(f"{live_server.url}/")


def open_every_menu_item(page, live_server, role, *, phone: bool):
    values = choice_values()
    for key in ROLE_MENUS[role]:
        page.goto(f"{live_server.url}/")
        nav = page.locator("details.menu-phone nav" if phone else "nav.menu-wide")
        if phone:
            assert not nav.is_visible()  # the menu is closed until its button is pressed
            page.locator("details.menu-phone summary").click()
        link = nav.locator(f'a[data-menu="{key}"]')
        assert link.is_visible(), (role, key)
        box = link.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"], key
        with page.expect_navigation() as nav_info:
            link.click()
        response = nav_info.value
        assert response is not None and response.status == 200, (role, key, response.status)
        assert page.evaluate("document.documentElement.scrollWidth") <= (
            page.viewport_size["width"] + (0 if phone else 40)), (role, key)
        # What the user sees (innerText: rendered, visible text only) names no internal code.
        assert not code_tokens(page.locator("body").inner_text(), values), (role, key, page.url)


def check_leader_overview(page):
    launch = claim_report("16.02", dt.date(2025, 1, 1), dt.date(2025, 8, 31))
    assert page.locator("#claims-all-n").inner_text() == str(launch.claims) == "660"
    assert page.locator("#claims-all-amount").inner_text() == rupiah_short_text(launch.amount)
    assert page.locator("#claims-all-amount .rp").get_attribute("title") == "Rp 8.330.000.000"
    assert page.locator("#scholarship-children").inner_text() == "6"
    assert page.locator("#scholarship-amount").inner_text() == "Rp 522 juta"
    assert page.locator("svg.trend polyline.line").is_visible()
    assert page.locator("svg.map a path").count() == 18
    assert page.locator("#data-per").inner_text().startswith("Data per")
    # Printed: one A4 landscape page, with the exact amounts.
    pdf = page.pdf(prefer_css_page_size=True)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1
    page.emulate_media(media="print")
    assert page.locator("#claims-all-amount").inner_text() == "Rp 8.330.000.000"
    page.emulate_media(media="screen")
    # The map drills down to the desa of a kecamatan.
    page.locator('svg.map path[data-code="16.02.13"]').click()
    page.wait_for_url("**/cakupan/?wilayah=16.02.13")
    assert page.locator("svg.map path").count() >= 10


def test_every_role_on_a_desktop_and_a_phone(browser, live_server, oki_regions):
    users = homes_demo.build()
    for width, phone in ((1280, False), (390, True)):
        for username, role in users.items():
            context = browser.new_context(viewport={"width": width, "height": 900},
                                          locale="id-ID")
            page = context.new_page()
            page.set_default_timeout(30_000)
            sign_in(page, live_server, username)
            if role in ("pimpinan",) and not phone:
                check_leader_overview(page)
            open_every_menu_item(page, live_server, role, phone=phone)
            context.close()


def test_a_kepala_desa_home_on_a_360px_phone_is_light(browser, live_server, oki_regions):
    homes_demo.build()
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID")
    page = context.new_page()
    sign_in(page, live_server, "kades.tebingsuluh")
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})  # a first visit
    sizes: dict[str, int] = {}
    cdp.on("Network.loadingFinished",
           lambda e: sizes.__setitem__(e["requestId"], int(e["encodedDataLength"])))
    page.goto(f"{live_server.url}/")
    page.wait_for_load_state("networkidle")
    transferred = sum(sizes.values())
    assert 0 < transferred <= KADES_BUDGET_BYTES, transferred
    assert page.locator("#todo").is_visible()
    # "Santunan" is one tap away from the menu button.
    page.locator("details.menu-phone summary").click()
    page.locator('details.menu-phone a[data-menu="santunan"]').click()
    page.wait_for_url("**/santunan/")
    context.close()
