"""In a real browser: an operator records a JKM claim from the death to the payment."""

from __future__ import annotations

import pytest

from jamsos.claims.models import Claim, FollowUp
from tests.claims.helpers import workers
from tests.factories import PASSWORD, user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/akun/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()


def test_jkm_claim_from_death_to_payment(page, live_server, oki_regions):
    workers()
    user("operator", "operator", "16.02")
    sign_in(page, live_server, "operator")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/klaim/")
    page.get_by_role("link", name="Laporkan klaim").click()
    page.get_by_label("NIK atau KPJ peserta").fill("1602131708850001")
    page.get_by_label("Program dan jenis kejadian").select_option("jkm:death")
    page.get_by_label("Tanggal kejadian").fill("2025-06-10")
    page.get_by_label("Tanggal lapor").fill("2025-06-11")
    page.get_by_role("button", name="Simpan klaim").click()
    page.wait_for_url("**/klaim/*/")
    assert page.locator("#entitlement").inner_text() == "Rp 42.000.000"
    assert "PP 44/2015 Pasal 34 jo. PP 82/2019" in page.locator("#items").inner_text()
    assert page.locator("#status").inner_text() == "Menunggu berkas lengkap"
    # The death is in the registry and the heirs' follow-up is filed by this claim.
    assert "Klaim diajukan" in page.content()
    for box in page.locator("#documents input[type=checkbox]").all():
        box.check()
    page.get_by_role("button", name="Simpan dokumen").click()
    page.get_by_role("button", name="Ubah ke: Berkas lengkap").click()
    assert page.locator("#status").inner_text() == "Menunggu pengajuan ke BPJS"
    page.get_by_role("button", name="Ubah ke: Diajukan ke BPJS").click()
    assert page.locator("#status").inner_text() == "Menunggu keputusan BPJS"
    page.locator("#move-paid input[name=paid_amount]").fill("42000000")
    page.get_by_role("button", name="Ubah ke: Dibayar").click()
    assert page.locator("#status").inner_text() == "Dibayar"
    assert page.locator("#paid").inner_text().startswith("Rp 42.000.000")
    assert page.locator("#difference").count() == 0  # paid as entitled
    steps = page.locator("#steps li").all_inner_texts()
    assert [s.split(" — ")[0] for s in steps] == ["Dilaporkan", "Berkas lengkap",
                                                  "Diajukan ke BPJS", "Dibayar"]
    claim = Claim.objects.get()
    assert (claim.status, claim.paid_amount, claim.person.died_on.isoformat()) == (
        "paid", 42_000_000, "2025-06-10")
    assert FollowUp.objects.get().claim_id == claim.pk


def test_report_on_a_phone(browser, live_server, oki_regions):
    workers()
    user("bupati", "pimpinan", "16.02")
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID")
    page = context.new_page()
    sign_in(page, live_server, "bupati")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/klaim/laporan/?dari=2025-01-01&sampai=2025-08-31")
    assert page.locator("#n-claims").inner_text() == "0"
    width = page.evaluate("document.body.scrollWidth")
    assert width <= 400, width
    context.close()
