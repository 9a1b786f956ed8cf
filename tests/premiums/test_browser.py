"""The monthly cycle in a real browser: run billing → see the invoice → pay → see it paid."""

from __future__ import annotations

import pytest

from jamsos.registry.models import Enrolment
from tests.factories import PASSWORD, PEOPLE, import_rows, user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_monthly_cycle(page, live_server, oki_regions):
    import_rows(*PEOPLE)
    Enrolment.objects.update(wage=None)
    user("operator", "operator", "16.02")
    page.goto(f"{live_server.url}/akun/masuk/?next=/iuran/")
    page.get_by_label("Nama pengguna").fill("operator")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url("**/iuran/")
    page.get_by_label("Bulan iuran (YYYY-MM)").fill("2025-09")
    page.get_by_role("button", name="Jalankan penagihan").click()
    page.wait_for_url("**/iuran/tagihan/2025-09/")
    # 2 × BPU 16.800 + PU at the UMK (JKK 8.836 + JKM 11.045) = 53.481
    assert page.locator("#run-due").inner_text() == "Rp 53.481"
    page.get_by_role("link", name="202509-00001").click()
    assert page.locator("#invoice-status").inner_text() == "Menunggu pembayaran"
    page.get_by_label("Jumlah (Rp)").fill("53481")
    page.get_by_label("Tanggal bayar").fill("2025-10-10")
    page.get_by_label("Nomor referensi (SP2D/bukti transfer)").fill("SP2D-0001")
    page.get_by_role("button", name="Simpan pembayaran").click()
    page.locator("#invoice-status").wait_for()
    assert page.locator("#invoice-status").inner_text() == "Lunas"
    assert "SP2D-0001" in page.content()
    assert page.locator("#lines").inner_text().count("10 Okt 2025") == 3
