"""The columns of a worker file, with the header spellings we accept."""

from __future__ import annotations

from dataclasses import dataclass

from jamsos.core.importing.reader import normalise_header


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # as written in the template
    required: bool
    aliases: tuple[str, ...] = ()
    example: str = ""
    note: str = ""


COLUMNS: tuple[Column, ...] = (
    Column("nik", "NIK", True, ("noktp", "nomorindukkependudukan", "noinduk"),
           "1602131708850001", "16 digit; format kolom sebagai Teks"),
    Column("nama", "Nama", True, ("namalengkap", "namapeserta"), "Siti Aminah"),
    Column("jenis_kelamin", "Jenis Kelamin", True, ("jk", "lp", "kelamin", "sex"), "P",
           "L atau P"),
    Column("tanggal_lahir", "Tanggal Lahir", True, ("tgllahir", "tgllhr", "tanggallhr"),
           "17-08-1985", "DD-MM-YYYY, DD/MM/YYYY atau YYYY-MM-DD"),
    Column("kode_desa", "Kode Desa", False, ("kodewilayah", "kodedesakelurahan", "kodekel"),
           "16.02.13.2005", "kode Kemendagri; atau isi Kecamatan + Desa"),
    Column("kecamatan", "Kecamatan", False, ("kec",), "Lempuing"),
    Column("desa", "Desa", False, ("desakelurahan", "kelurahan", "namadesa"), "Tebing Suluh"),
    Column("kategori", "Kategori", True, ("kategoripekerja", "kelompok"), "Kelembagaan desa",
           "a–e atau nama kategori"),
    Column("sub_kategori", "Sub Kategori", False, ("subkategori", "jabatan", "lembaga"),
           "Kader posyandu"),
    Column("pekerjaan", "Pekerjaan", False, ("profesi", "jenispekerjaan"), "",
           "untuk pekerja rentan"),
    Column("no_hp", "No HP", False, ("nohp", "nomorhp", "hp", "telepon", "notelp", "nowa"),
           "081234567890"),
    Column("kpj", "KPJ", False, ("nokpj", "nomorkpj", "nokartu"), "", "11 karakter"),
    Column("penghasilan", "Penghasilan", False, ("upah", "gaji", "penghasilanbulanan"),
           "1000000", "rupiah per bulan, tanpa desimal"),
    Column("sumber_dana", "Sumber Dana", False, ("sumberpendanaan", "dana"), "APBD",
           "APBD, APBDes atau Mandiri"),
    Column("tanggal_mulai", "Tanggal Mulai", False, ("tmt", "mulai", "tglmulai"), "01-09-2025"),
)
BY_KEY = {c.key: c for c in COLUMNS}


def header_lookup() -> dict[str, str]:
    table = {}
    for col in COLUMNS:
        for spelling in (col.key, col.header, *col.aliases):
            table[normalise_header(spelling)] = col.key
    return table
