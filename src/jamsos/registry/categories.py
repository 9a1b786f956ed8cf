"""Worker categories whose BPJS Ketenagakerjaan premiums a regency may pay.

The five groups follow Inpres 2/2021 and Pemkab OKI's own reporting (see
``shared/research/regulations.md`` §8). Each has sub-categories, a default BPJS segment
(PU = penerima upah, wage earner; BPU = bukan penerima upah, non-wage earner) and a default
funding source. The order is the order of precedence when one person holds several roles:
the first active role is the one that is insured and paid for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Category:
    key: str
    letter: str
    label: str
    short: str
    subcategories: dict[str, str]
    segment: str
    funding: str
    aliases: tuple[str, ...] = ()


CATEGORIES: tuple[Category, ...] = (
    Category(
        "non_asn", "a", _("Pegawai pemerintah non-ASN dan GTK"), _("Non-ASN & GTK"),
        {"non_asn": _("Pegawai pemerintah non-ASN"), "gtk": _("Guru dan tenaga kependidikan")},
        "PU", "APBD", ("nonasn", "pegawainonasn", "honorer", "gtk", "pppk"),
    ),
    Category(
        "perangkat_desa", "b", _("Perangkat desa dan BPD"), _("Perangkat desa & BPD"),
        {
            "kepala_desa": _("Kepala desa"),
            "perangkat_desa": _("Perangkat desa"),
            "bpd": _("Anggota BPD"),
        },
        "PU", "APBD", ("perangkat", "aparaturdesa", "bpd", "perangkatdesabpd"),
    ),
    Category(
        "kelembagaan_desa", "c", _("Kelembagaan desa"), _("Kelembagaan desa"),
        {
            "lpm": _("LPM"),
            "lembaga_adat": _("Lembaga adat"),
            "linmas": _("Hansip/Linmas"),
            "pkk": _("PKK"),
            "karang_taruna": _("Karang taruna"),
            "kader_posyandu": _("Kader posyandu"),
        },
        "BPU", "APBD", ("lembagadesa", "kelembagaan", "lembagakemasyarakatandesa"),
    ),
    Category(
        "rt_rw", "d", _("Ketua RT/RW"), _("RT/RW"),
        {"ketua_rt": _("Ketua RT"), "ketua_rw": _("Ketua RW")},
        "BPU", "APBD", ("rtrw", "ketuartrw", "rt", "rw"),
    ),
    Category(
        "pekerja_rentan", "e", _("Pekerja rentan"), _("Pekerja rentan"),
        {}, "BPU", "APBD", ("rentan", "pekerjarentan", "informal", "pekerjainformalrentan"),
    ),
)

BY_KEY: dict[str, Category] = {c.key: c for c in CATEGORIES}
ORDER: dict[str, int] = {c.key: i for i, c in enumerate(CATEGORIES)}
CHOICES = [(c.key, c.label) for c in CATEGORIES]
SUBCATEGORY_CHOICES = [(k, v) for c in CATEGORIES for k, v in c.subcategories.items()]

SEGMENTS = {"PU": _("Penerima upah (PU)"), "BPU": _("Bukan penerima upah (BPU)")}
FUNDING_SOURCES = {
    "APBD": _("APBD kabupaten"),
    "APBDES": _("APBDes"),
    "MANDIRI": _("Mandiri (dibayar sendiri)"),
}
PROGRAMS = ("jkk", "jkm", "jht", "jp", "jkp")
DEFAULT_PROGRAMS = ("jkk", "jkm")


def normalise_token(value: str) -> str:
    """Lower-case, keep letters and digits: ``"Kader Posyandu"`` → ``kaderposyandu``."""
    return re.sub(r"[^0-9a-z]", "", value.lower())


def category_lookup() -> dict[str, str]:
    """Every accepted spelling of a category (normalised) → its key."""
    table: dict[str, str] = {}
    for c in CATEGORIES:
        for spelling in (c.key, c.letter, str(c.label), str(c.short), *c.aliases):
            table[normalise_token(spelling)] = c.key
    return table


def subcategory_lookup() -> dict[str, tuple[str, str]]:
    """Every accepted spelling of a sub-category (normalised) → (category key, sub key)."""
    table: dict[str, tuple[str, str]] = {}
    extra = {
        "linmas": ("hansip", "hansiplinmas", "satlinmas"),
        "kader_posyandu": ("posyandu", "kader"),
        "karang_taruna": ("karangtaruna",),
        "lembaga_adat": ("adat",),
        "perangkat_desa": ("perangkat", "sekdes", "kasi", "kaur", "kadus", "kepaladusun"),
        "kepala_desa": ("kades", "kepaladesa"),
        "ketua_rt": ("rt",),
        "ketua_rw": ("rw",),
        "gtk": ("guru", "tenagakependidikan", "gurudantenagakependidikan"),
        "non_asn": ("nonasn", "honorer", "pppkparuhwaktu"),
    }
    for c in CATEGORIES:
        for key, label in c.subcategories.items():
            for spelling in (key, str(label), *extra.get(key, ())):
                table[normalise_token(spelling)] = (c.key, key)
    return table
