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


def test_an_admin_adds_a_umk_version_and_the_allocation(page, live_server, oki_regions):
    """Pengaturan iuran (issue 16): every error at once, then a new UMK and the pagu."""
    user("admin", "admin", "16.02")
    page.goto(f"{live_server.url}/akun/masuk/?next=/iuran/pengaturan/")
    page.get_by_label("Nama pengguna").fill("admin")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url("**/iuran/pengaturan/")
    assert "Rp 3.681.571" in page.locator("#versions").inner_text()  # seeded UMK 2025
    page.get_by_text("Tambah versi baru").click()
    page.get_by_label("Kelompok risiko JKK pekerja PU").select_option("2")
    page.get_by_role("button", name="Simpan versi").first.click()
    summary = page.locator(".error-summary")
    summary.first.wait_for()
    text = summary.first.inner_text()
    assert "Tanggal berlaku wajib diisi" in text and "Dasar (peraturan, SK UMK, DPA)" in text
    page.get_by_label("Berlaku mulai").first.fill("2026-01-01")
    page.get_by_label("Upah dasar PU bila upah peserta kosong (UMK, Rp/bulan)").fill("4000000")
    page.get_by_label("Dasar (SK UMK, DPA, keputusan)").fill("SK Gubernur UMK 2026")
    page.get_by_role("button", name="Simpan versi").first.click()
    page.wait_for_url("**/iuran/pengaturan/?kabupaten=16.02")
    assert "Rp 4.000.000" in page.locator("#versions").inner_text()
    page.get_by_label("Pagu (Rp)").fill("900000000")
    page.get_by_label("Dasar (nomor DPA)").fill("DPA 2027")
    page.get_by_role("button", name="Simpan pagu").click()
    page.wait_for_url("**/iuran/pengaturan/?kabupaten=16.02")
    assert "900.000.000" in page.locator("#allocations").inner_text()
