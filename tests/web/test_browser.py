"""What a user does in a real browser: sign in, read the dashboard, import a file."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from jamsos.registry.models import Person
from jamsos.registry.services import set_target
from tests.factories import HEADER, PASSWORD, PEOPLE, TEBING_SULUH, import_rows, user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/akun/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()


def test_dashboard_drill_down_in_bahasa_indonesia(page, live_server, oki_regions):
    import_rows(*PEOPLE)
    set_target(region_code=TEBING_SULUH, category="kelembagaan_desa", headcount=4)
    user("operator", "operator", "16.02")
    sign_in(page, live_server, "operator")
    page.wait_for_url(f"{live_server.url}/")  # the operator's own start page
    page.get_by_role("link", name="Cakupan", exact=True).click()
    page.wait_for_url("**/cakupan/")
    assert page.locator("html").get_attribute("lang") == "id"
    page.get_by_role("heading", name="Cakupan BPJS Ketenagakerjaan — Kabupaten Ogan Komering Ilir")
    assert page.locator("#total-covered").inner_text() == "3"
    row = page.locator("tr[data-code='kelembagaan_desa']")
    assert "25,0 %" in row.inner_text() or "25.0 %" in row.inner_text()
    page.get_by_role("link", name="Lempuing", exact=True).click()
    page.get_by_role("heading", name="Cakupan BPJS Ketenagakerjaan — Lempuing").wait_for()
    page.get_by_role("link", name="Tebing Suluh", exact=True).click()
    page.get_by_role("link", name="Daftar belum terlindungi").click()
    page.get_by_role("heading", name="Belum terlindungi — Tebing Suluh").wait_for()
    assert "Kelembagaan desa" in page.locator("table").first.inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh XLSX").click()
    assert download.value.suggested_filename == f"belum-terlindungi-{TEBING_SULUH}.xlsx"
    # English is the second locale.
    page.get_by_label("Bahasa").select_option("en")
    page.get_by_role("heading", name="Not yet protected — Tebing Suluh").wait_for()


def test_web_import_with_progress_and_rejected_rows(page, live_server, oki_regions, tmp_path):
    user("operator", "operator", "16.02")
    good = f"1602135708910004;Rina Wati;P;17-08-1991;{TEBING_SULUH};c;PKK"
    bad = f"1602131708910005;Andi;L;31-02-1991;{TEBING_SULUH};x;"
    path = tmp_path / "daftar-desa.csv"
    path.write_text("\n".join([HEADER, good, bad]), encoding="utf-8")
    sign_in(page, live_server, "operator")
    menu = page.get_by_role("navigation", name="Menu utama")
    menu.get_by_role("link", name="Impor pekerja").click()
    page.get_by_label("Berkas").set_input_files(str(path))
    page.get_by_role("button", name="Unggah dan impor").click()
    page.wait_for_url("**/registri/impor/*/")
    assert page.locator("#import-progress").is_visible()
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)  # the worker
    page.locator("#import-summary").wait_for()  # the page polls and shows the result
    assert page.locator("#n-created").inner_text() == "1"
    assert page.locator("#n-rejected").inner_text() == "1"
    issues = page.locator("#issues").inner_text()
    assert "Tanggal Lahir" in issues and "Kategori" in issues
    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh baris yang ditolak (XLSX)").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    assert Person.objects.filter(nik="1602135708910004").exists()


def test_public_page_on_a_phone(browser, live_server, oki_regions):
    import_rows(*PEOPLE)
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID")
    page = context.new_page()
    page.goto(f"{live_server.url}/cakupan/publik/")
    assert page.locator("#total-covered").inner_text() == "3"
    assert "1602131708850001" not in page.content()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400  # no sideways scrolling on a phone
    context.close()
