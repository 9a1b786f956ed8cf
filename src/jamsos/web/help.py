"""A short help page per role, in plain Bahasa Indonesia (issue 13 item 8): what the role does
in jamsos, step by step. The menu names are the menu's own words."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

HELP: dict[str, tuple] = {
    "kepala_desa": (_("Kepala desa / operator desa"), [
        _("Buka Beranda: di sana tampil yang perlu Anda kerjakan (usulan santunan, berkas yang "
          "dikembalikan, warga yang belum terlindungi)."),
        _("Daftarkan atau perbarui pekerja di desa Anda lewat menu Pekerja atau Impor pekerja "
          "(berkas Excel/CSV dari desa)."),
        _("Ada warga meninggal? Pilih Santunan, lalu Usulan santunan. Isi data almarhum dan "
          "ahli waris; semua kesalahan ditampilkan sekaligus di atas formulir."),
        _("Unggah dokumen (akta kematian, SKTM, KTP ahli waris) dari halaman berkas; foto dari "
          "ponsel boleh."),
        _("Periksa kotak Pemeriksaan: tanda ✗ berarti syarat belum terpenuhi (mis. tidak ada di "
          "DTSEN). Perbaiki dulu bila bisa."),
        _("Tekan Kirim ke kecamatan. Anda mendapat notifikasi bila berkas dikembalikan atau "
          "santunan sudah ditransfer."),
    ]),
    "camat": (_("Camat / operator kecamatan"), [
        _("Buka Beranda: berkas santunan dari desa yang menunggu pemeriksaan Anda tampil di "
          "sana."),
        _("Buka berkas, baca data dan dokumen, lalu lihat kotak Pemeriksaan."),
        _("Semua tanda ✓: tekan Teruskan ke Dinas Sosial."),
        _("Ada tanda ✗: kembalikan ke desa dengan alasan yang jelas, atau tolak. Bila tetap "
          "diteruskan, tulis catatan alasannya; catatan itu dibaca Dinas Sosial."),
        _("Pantau cakupan kecamatan Anda di menu Cakupan dan bantu desa yang tertinggal."),
    ]),
    "verifikator": (_("Verifikator Dinas Sosial"), [
        _("Buka Beranda: berkas yang menunggu verifikasi tampil dengan sisa hari SLA."),
        _("Periksa berkas: dokumen, desil DTSEN, belum pernah dibayar, ahli waris dan rekening."),
        _("Semua syarat terpenuhi: tekan Nyatakan lengkap dan terverifikasi. Jam SLA mulai "
          "berjalan."),
        _("Petugas lain (bukan yang memverifikasi) menyetujui pembayaran."),
        _("Buat daftar transfer di Pembayaran santunan, kirim berkasnya ke bank, lalu unggah "
          "hasil dari bank."),
        _("Muat ekstrak DTSEN terbaru di menu DTSEN."),
    ]),
    "operator": (_("Operator OPD"), [
        _("Impor daftar pekerja dari desa dan instansi di menu Impor pekerja; baris yang ditolak "
          "dapat diunduh dan diperbaiki."),
        _("Jalankan tagihan iuran bulanan dan catat pembayarannya di menu Iuran."),
        _("Unggah tagihan BPJS di Rekonsiliasi dan selesaikan selisihnya."),
        _("Pantau Tunggakan dan Anggaran APBD."),
        _("Atur Target cakupan per kategori dan wilayah."),
    ]),
    "bpjs": (_("Petugas BPJS Ketenagakerjaan"), [
        _("Catat klaim peserta di menu Klaim, atau impor klaim dari berkas BPJS."),
        _("Tindaklanjuti ahli waris peserta yang meninggal di Tindak lanjut ahli waris."),
        _("Catat beasiswa anak peserta di menu Beasiswa."),
        _("Periksa hasilnya di Laporan klaim."),
        _("Hitung perkiraan manfaat dengan Kalkulator manfaat."),
    ]),
    "pimpinan": (_("Pimpinan (Bupati, Sekda, Bappeda)"), [
        _("Beranda menampilkan ringkasan: cakupan per kategori terhadap target, tren, peta "
          "kecamatan, klaim, santunan dan biaya APBD."),
        _("Klik kecamatan di peta untuk melihat desanya."),
        _("Laporan klaim, Laporan SLA santunan dan Anggaran memberi rincian yang dapat dicetak."),
        _("Pimpinan hanya melihat angka agregat, tidak melihat nama atau NIK warga."),
        _("Angka di setiap halaman menyebut waktu datanya (\"Data per …\")."),
    ]),
    "auditor": (_("Auditor"), [
        _("Buka Jejak audit: setiap perubahan data pribadi dan keuangan tercatat dengan pelaku, "
          "waktu dan alamat."),
        _("Saring menurut pengguna, tindakan, jenis data atau tanggal."),
        _("Laporan klaim dan Laporan SLA santunan dapat dibuka untuk pemeriksaan."),
        _("Rantai jejak audit diperiksa dengan perintah jamsos audit verify oleh administrator."),
        _("Auditor hanya membaca; tidak mengubah data."),
    ]),
    "admin": (_("Administrator"), [
        _("Buat pengguna di menu Pengguna: peran dan wilayah kerja sesuai tugasnya."),
        _("Pengguna lupa sandi? Tekan Buat tautan atur ulang sandi pada barisnya, lalu berikan "
          "tautannya (berlaku 24 jam, sekali pakai). Bila pengguna punya e-mail, tautan juga "
          "dikirim."),
        _("Akun terkunci karena salah sandi: tunggu 15 menit atau jalankan jamsos users "
          "unlock NAMA."),
        _("Nonaktifkan pengguna yang pindah tugas; token API-nya ikut berakhir."),
        _("Pastikan cadangan harian (jamsos backup) berjalan dan latihan pemulihan dilakukan "
          "tiap bulan."),
    ]),
}


def help_for(role: str | None):
    """(title, steps) for a role, or None."""
    return HELP.get(role or "")
