"""The kepala desa's candidates worklist and the enrol action in a real browser (issue 17)."""

from __future__ import annotations

import pytest

from jamsos.registry.models import Enrolment
from tests.coverage.test_candidates import load, nik, row
from tests.factories import PEOPLE, TEBING_SULUH, import_rows, user
from tests.santunan.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_kepala_desa_worklist_and_enrol_on_a_phone(browser, live_server, oki_regions):
    import_rows(*PEOPLE)
    load(row(nik(1), name="Rina Wati", sex="P"), row(nik(2), name="Joko Susilo"),
         row("1602131708850001"))  # Budi is covered already
    user("kades", "kepala_desa", TEBING_SULUH)
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, live_server, "kades")
    page.locator("#candidates").click()
    page.locator("#cand-summary").wait_for()
    assert "2 warga belum terlindungi" in page.locator("#cand-summary").inner_text()
    assert "Rp 403.200" in page.locator("#cand-summary").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 400
    page.get_by_label("Rina Wati").check()
    page.get_by_label("Sumber dana").select_option(label="APBDes")
    page.get_by_role("button", name="Daftarkan").click()
    page.get_by_text("1 orang didaftarkan sebagai pekerja rentan.").wait_for()
    assert "1 warga belum terlindungi" in page.locator("#cand-summary").inner_text()
    assert page.get_by_text("Rina Wati").count() == 0
    e = Enrolment.objects.get(person__nik=nik(1))
    assert (e.category, e.funding_source, e.desa_id) == ("pekerja_rentan", "APBDES",
                                                        TEBING_SULUH)
    context.close()
