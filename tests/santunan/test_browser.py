"""The whole path in a real browser: desa → kecamatan → Dinas Sosial → payment."""

from __future__ import annotations

import datetime as dt

import pytest

from jamsos.dtsen.importing import import_extract
from jamsos.santunan.models import Case
from tests.factories import PASSWORD, PEOPLE, TEBING_SULUH, import_rows, user
from tests.santunan.conftest import KK, PDF, dtsen_csv

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, username):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/akun/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_load_state()


def on_a_phone(browser, live_server, username):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, live_server, username)
    return context, page


def fill_case(page):
    """The proposal form, filled in for Budi (died 10-09-2025) and his heir Siti."""
    for label, value in (
            ("NIK almarhum/almarhumah", "1602131708850001"),
            ("Nama almarhum/almarhumah", "Budi Santoso"), ("Tanggal meninggal", "2025-09-10"),
            ("Tempat meninggal", "Rumah"), ("Nomor akta kematian", "1602-KM-0001"),
            ("No. KK", KK), ("NIK ahli waris", "1602135708900002"),
            ("Nama ahli waris", "Siti Aminah"), ("Bank", "Bank SumselBabel"),
            ("Nomor rekening", "1234567890"), ("Nama pemilik rekening", "Siti Aminah")):
        page.get_by_label(label, exact=label == "Bank").fill(value)


def upload_documents(page, pdf):
    for kind in ("Surat keterangan tidak mampu dari kepala desa", "Akta kematian"):
        page.get_by_label("Jenis dokumen").select_option(label=kind)
        page.get_by_label("Berkas (PDF").set_input_files(str(pdf))
        page.get_by_role("button", name="Unggah dokumen").click()
        page.get_by_text("Dokumen diunggah.").wait_for()


def test_desa_kecamatan_dinsos_payment(browser, live_server, oki_regions, tmp_path):
    import_rows(*PEOPLE)
    import_extract(dtsen_csv(f"1602131708850001;{KK};2"), "d.csv",
                   valid_from=dt.date(2025, 1, 1))
    user("kades", "kepala_desa", TEBING_SULUH)
    user("camat", "camat", "16.02.13")
    user("dinsos", "verifikator", "16.02")
    user("kadinsos", "verifikator", "16.02")  # the head of Dinas Sosial approves
    pdf = tmp_path / "sktm.pdf"
    pdf.write_bytes(PDF)
    context, page = on_a_phone(browser, live_server, "kades")  # the village uses a phone
    page.goto(f"{live_server.url}/santunan/")
    page.get_by_role("link", name="Usulan baru").click()
    fill_case(page)
    page.get_by_role("button", name="Simpan usulan").click()
    page.locator("#case-status").wait_for()
    assert page.locator("#case-status").inner_text() == "Menunggu pengiriman dari desa"
    assert page.locator("#amount").inner_text() == "Rp 1.000.000"
    upload_documents(page, pdf)
    assert page.evaluate("document.documentElement.scrollWidth") <= 400
    page.get_by_role("button", name="Kirim ke kecamatan").click()
    page.get_by_text("Menunggu pemeriksaan kecamatan").first.wait_for()
    case = Case.objects.get()
    # Kecamatan
    sign_in(page, live_server, "camat")
    page.goto(f"{live_server.url}/santunan/{case.pk}/")
    page.get_by_role("button", name="Teruskan ke Dinas Sosial").click()
    page.locator("#case-status", has_text="Menunggu verifikasi Dinas Sosial").wait_for()
    context.close()
    # Dinas Sosial on a desktop
    context = browser.new_context(locale="id-ID", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, live_server, "dinsos")
    page.goto(f"{live_server.url}/santunan/{case.pk}/")
    assert "Desil DTSEN 2" in page.locator("#checks").inner_text()
    page.get_by_role("button", name="Nyatakan lengkap dan terverifikasi").click()
    page.locator("#case-status", has_text="Terverifikasi, menunggu persetujuan").wait_for()
    assert "sisa 7 hari" in page.locator(".sla-left").first.inner_text()
    # Four eyes: who verified does not approve the payment.
    assert "prinsip empat mata" in page.locator("#four-eyes").inner_text()
    assert page.get_by_role("button", name="Setujui pembayaran").count() == 0
    sign_in(page, live_server, "kadinsos")
    page.goto(f"{live_server.url}/santunan/{case.pk}/")
    page.get_by_role("button", name="Setujui pembayaran").click()
    page.locator("#case-status", has_text="Disetujui").wait_for()
    page.goto(f"{live_server.url}/santunan/pembayaran/")
    page.get_by_role("button", name="Buat daftar transfer").click()
    page.get_by_role("heading", name="Daftar transfer TRF-").wait_for()
    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh berkas transfer (CSV)").click()
    sent = open(download.value.path(), encoding="utf-8-sig").read()
    case.refresh_from_db()
    assert case.transfer_reference in sent and "1234567890" in sent
    today = dt.date.today()
    result = tmp_path / "hasil.csv"
    result.write_text(f"Referensi;Status;Tanggal\n{case.transfer_reference};BERHASIL;"
                      f"{today:%d-%m-%Y}\n")
    page.get_by_label("Berkas hasil bank").set_input_files(str(result))
    page.get_by_role("button", name="Catat hasil transfer").click()
    page.get_by_text("Hasil bank dicatat: 1 dibayar, 0 gagal.").wait_for()
    case.refresh_from_db()
    assert case.status == "paid" and case.paid_on == today
    page.goto(f"{live_server.url}/santunan/{case.pk}/")
    assert "dibayar dalam 0 hari" in page.content()
    page.get_by_role("button", name="Tutup berkas").click()
    page.locator("#case-status", has_text="Selesai").wait_for()
    history = page.locator("#history").inner_text()
    for who in ("kades", "camat", "dinsos", "kadinsos"):
        assert who in history
    context.close()


def test_kepala_desa_sees_every_error_then_the_failing_dtsen_check_before_sending(
        browser, live_server, oki_regions, tmp_path):
    """Issue 13 item 5: all errors at once in a focused summary linking to the fields, input
    kept; a deceased not in the DTSEN extract shows a red ✗ on the draft, before "Kirim"."""
    import_rows(*PEOPLE)
    import_extract(dtsen_csv("1602021708800003;1602020101090009;2"), "d.csv",
                   valid_from=dt.date(2025, 1, 1))  # Budi's household is not in it
    user("kades", "kepala_desa", TEBING_SULUH)
    pdf = tmp_path / "akta.pdf"
    pdf.write_bytes(PDF)
    context, page = on_a_phone(browser, live_server, "kades")
    page.goto(f"{live_server.url}/santunan/baru/")
    page.get_by_label("NIK almarhum/almarhumah").fill("12345")
    page.get_by_label("Nama almarhum/almarhumah").fill("Budi Santoso")
    page.get_by_role("button", name="Simpan usulan").click()
    summary = page.locator("[data-error-summary]")
    summary.wait_for()
    assert summary.get_attribute("role") == "alert"
    assert "Ada masalah" in summary.inner_text()
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    assert summary.locator("li").count() >= 8  # every empty or wrong field at once
    assert page.get_by_label("Nama almarhum/almarhumah").input_value() == "Budi Santoso"
    summary.locator("a[href='#id_deceased_nik']").click()
    assert page.evaluate("document.activeElement.id") == "id_deceased_nik"
    fill_case(page)
    page.get_by_role("button", name="Simpan usulan").click()
    page.locator("#case-status").wait_for()
    upload_documents(page, pdf)
    dtsen = page.locator("#checks li[data-check='dtsen']")
    assert "✗" in dtsen.inner_text() and "DTSEN" in dtsen.inner_text()
    assert "belum memenuhi syarat" in page.locator("#checks-warning").inner_text()
    # The warning comes before the button, and the button says it sends anyway.
    assert page.get_by_role("button", name="Kirim ke kecamatan", exact=True).count() == 0
    assert page.get_by_role("button", name="Tetap kirim ke kecamatan").is_visible()
    checks_y = page.locator("#checks").bounding_box()["y"]
    assert checks_y < page.locator("#case-actions").bounding_box()["y"]
    context.close()


def test_an_administrator_adds_a_new_version_of_the_rules_on_a_phone(browser, live_server,
                                                                      oki_regions):
    """Issue 16: "Ketentuan santunan" from the menu; every fault at once; the version in force
    ends the day before the new one."""
    user("admin.oki", "admin", "16.02")
    context, page = on_a_phone(browser, live_server, "admin.oki")
    try:
        page.locator("details.menu-phone summary").click()
        page.locator('details.menu-phone a[data-menu="santunan_rules"]').click()
        rows = page.locator("#versions tbody tr")
        assert rows.count() == 1 and "Perbup OKI 17/2025" in rows.first.inner_text()
        page.get_by_label("Berlaku mulai").fill("2026-01-01")
        page.get_by_label("Jumlah santunan (Rp)").fill("sejuta")
        page.get_by_label("Desil DTSEN tertinggi").fill("5")
        page.get_by_label("Batas waktu pembayaran sejak").fill("7")
        page.get_by_label("Kepala dinas diberi tahu").fill("9")
        page.get_by_label("Akta kematian").check()
        page.get_by_label("Dasar hukum").fill("Tribun Sumsel")
        page.get_by_role("button", name="Simpan ketentuan baru").click()
        summary = page.locator(".error-summary")
        assert summary.locator("li").count() == 3, summary.inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.get_by_label("Jumlah santunan (Rp)").fill("1.250.000")
        page.get_by_label("Kepala dinas diberi tahu").fill("5")
        page.get_by_label("Dasar hukum").fill("Perbup OKI 3/2026 tentang Santunan Kematian")
        page.get_by_role("button", name="Simpan ketentuan baru").click()
        page.get_by_text("Ketentuan santunan disimpan.").wait_for()
        assert rows.count() == 2
        assert "31 Des 2025" in rows.first.inner_text(), rows.first.inner_text()
        assert "1.250.000" in rows.nth(1).inner_text()
    finally:
        context.close()
