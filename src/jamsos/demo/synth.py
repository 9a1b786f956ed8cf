"""Synthetic, deterministic worker lists for Kabupaten Ogan Komering Ilir (16.02).

Pure Python + polars (no Django ORM): :func:`demo_workers` returns a frame in the **import file
format** (headers from :mod:`jamsos.registry.importing.columns`), :func:`demo_targets` the
desa-level targets that go with it. Same arguments → identical frames.

What the data look like (see ``shared/research/regions-and-nik.md`` §2, §4, §5):

* **Where.** The 327 desa/kelurahan of the kabupaten (catalog). Desa are weighted equally,
  with a random ±25 % size factor, and Lempuing (16.02.13) and Kayu Agung (16.02.05) scaled by
  1.6 (the two most populous kecamatan). Non-ASN staff concentrate in Kayu Agung (the capital):
  about half of the ``non_asn`` sub-category and a quarter of GTK live there. Perangkat desa,
  BPD and kepala desa exist only in desa, not in kelurahan (a lurah is an ASN): one kepala
  desa per desa, 5/7/9 BPD members (the legal odd sizes), the rest perangkat desa.
* **Who.** Malay/Palembang and Javanese names; Javanese (and a few Balinese) are the majority
  in the transmigration kecamatan (:data:`TRANSMIGRATION`). Sex ratio and age range depend on
  the role (:data:`FEMALE_SHARE`, :data:`AGE_RANGE`); pekerja rentan get an occupation that
  depends on the kecamatan (rubber everywhere, oil palm in the Mesuji/Lempuing belt, fishing on
  the rivers and coast, purun weaving in Pedamaran, swamp buffalo in Pampangan) and a sex that
  depends on the occupation.
* **Birth dates.** A few percent (more among older people) carry the registry placeholder
  dates 31-12, 01-07, 01-01 or the 15th of the month.
* **NIK.** Built with :func:`jamsos.regions.nik.generate_nik`, so date and sex agree with the
  row. About 90 % carry an OKI kecamatan prefix (mostly the person's own, sometimes a
  neighbouring or parent kecamatan: :data:`OKI_NEIGHBOURS`, **UNCONFIRMED** split history);
  about 10 % are migrants with a prefix from a real kecamatan elsewhere (Jawa Tengah 33, Jawa
  Timur 35, Lampung 18, Bali 51, other Sumatera Selatan…), matching the name's origin. Serials
  are small numbers; every NIK is unique per person.
* **Two roles.** About 300 people (:data:`DEFAULT_DOUBLES`) hold two roles in the same desa,
  e.g. a ketua RT who is also linmas: two rows, same NIK/name/birth date/sex/desa, different
  categories. The plan counts are per category, so ``rows = sum(plan)`` and
  ``people = rows - doubles``.
* **Other columns.** ``No HP`` about 70 % filled, ``KPJ`` (11 random digits, unique) for a few,
  ``Penghasilan`` PU: siltap/honorarium-like wages Rp 1.5–4.5 million, BPU: declared income
  Rp 1–2.5 million (often exactly 1,000,000); ``Sumber Dana`` APBD, except perangkat desa in
  about 15 % of desa (APBDes); ``Tanggal Mulai`` the first of a month of ``today``'s year up to
  ``today`` (mostly January), a few from the previous year.

Empty cells are ``null`` (written as empty cells by CSV/XLSX writers); every column is String,
as read from a file.
"""

from __future__ import annotations

import math
import random
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from itertools import accumulate
from types import MappingProxyType

import polars as pl

from jamsos.demo import names as nm
from jamsos.regions.catalog import VILLAGE_LEVELS, iter_regions, upper_regions
from jamsos.regions.nik import generate_nik
from jamsos.registry.categories import BY_KEY as CATEGORY_BY_KEY
from jamsos.registry.categories import CATEGORIES
from jamsos.registry.importing.columns import BY_KEY as COLUMN_BY_KEY

__all__ = [
    "DEFAULT_DOUBLES",
    "DEFAULT_PLAN",
    "DoubleRole",
    "demo_targets",
    "demo_workers",
    "output_headers",
]

#: Covered people (enrolments) per category for OKI.
DEFAULT_PLAN: Mapping[str, int] = MappingProxyType(
    {
        "non_asn": 4_798,
        "perangkat_desa": 5_302,
        "kelembagaan_desa": 29_161,
        "rt_rw": 5_232,
        "pekerja_rentan": 31_500,
    }
)

#: Share of GTK (teachers and education staff) within ``non_asn``.
GTK_SHARE = 0.58
#: Sub-category shares (kelembagaan desa, RT/RW) per row.
SUB_SHARES: Mapping[str, tuple[tuple[str, float], ...]] = MappingProxyType(
    {
        "kelembagaan_desa": (
            ("kader_posyandu", 0.30),
            ("pkk", 0.24),
            ("linmas", 0.20),
            ("karang_taruna", 0.11),
            ("lpm", 0.08),
            ("lembaga_adat", 0.07),
        ),
        "rt_rw": (("ketua_rt", 0.87), ("ketua_rw", 0.13)),
    }
)
#: Ketua RW share in a kelurahan (RW are more common in town).
KELURAHAN_RW_SHARE = 0.22
#: Probabilities of a BPD of 5, 7 or 9 members.
BPD_SIZES: tuple[tuple[int, float], ...] = ((5, 0.45), (7, 0.40), (9, 0.15))
#: Share of desa that pay perangkat desa from APBDes instead of APBD.
APBDES_DESA_SHARE = 0.15

#: Kecamatan weight factors (the two most populous kecamatan; research note §5).
KECAMATAN_SCALE: Mapping[str, float] = MappingProxyType({"16.02.13": 1.6, "16.02.05": 1.6})
CAPITAL = "16.02.05"
#: Extra weight of the capital for the two non-ASN sub-categories.
CAPITAL_NON_ASN_FACTOR: Mapping[str, float] = MappingProxyType({"non_asn": 8.0, "gtk": 2.5})
#: Transmigration kecamatan: Mesuji, Mesuji Raya, Mesuji Makmur, Air Sugihan, Lempuing,
#: Lempuing Jaya, Sungai Menang.
TRANSMIGRATION = frozenset(
    {"16.02.04", "16.02.21", "16.02.20", "16.02.14", "16.02.13", "16.02.22", "16.02.15"}
)
#: Neighbouring OKI kecamatan, the probable parent (older) kecamatan first. The split history
#: is **UNCONFIRMED**; it only decides which other OKI prefix a NIK may carry.
OKI_NEIGHBOURS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "16.02.02": ("16.02.05", "16.02.23", "16.02.03"),
        "16.02.03": ("16.02.05", "16.02.24", "16.02.02"),
        "16.02.04": ("16.02.13", "16.02.20", "16.02.21", "16.02.15"),
        "16.02.05": ("16.02.08", "16.02.02", "16.02.03", "16.02.17"),
        "16.02.08": ("16.02.05", "16.02.17", "16.02.12"),
        "16.02.11": ("16.02.18", "16.02.14", "16.02.19"),
        "16.02.12": ("16.02.19", "16.02.08", "16.02.17"),
        "16.02.13": ("16.02.22", "16.02.21", "16.02.04"),
        "16.02.14": ("16.02.11", "16.02.19"),
        "16.02.15": ("16.02.04", "16.02.20", "16.02.18"),
        "16.02.17": ("16.02.08", "16.02.12", "16.02.05"),
        "16.02.18": ("16.02.11", "16.02.15"),
        "16.02.19": ("16.02.12", "16.02.11", "16.02.03"),
        "16.02.20": ("16.02.04", "16.02.21", "16.02.15"),
        "16.02.21": ("16.02.04", "16.02.13", "16.02.20"),
        "16.02.22": ("16.02.13", "16.02.21"),
        "16.02.23": ("16.02.02", "16.02.05"),
        "16.02.24": ("16.02.03", "16.02.02"),
    }
)
#: Share of NIKs (non-migrants) carrying another OKI kecamatan than the person's own.
OTHER_OKI_PREFIX_SHARE = 0.13

#: Ethnic mix (Melayu, Jawa, Bali) of the names.
ETHNIC_MIX_TRANSMIGRATION = (("melayu", 0.40), ("jawa", 0.55), ("bali", 0.05))
ETHNIC_MIX_CAPITAL = (("melayu", 0.80), ("jawa", 0.19), ("bali", 0.01))
ETHNIC_MIX_OTHER = (("melayu", 0.88), ("jawa", 0.12))
#: Probability that a person's NIK was first issued outside the kabupaten, by origin.
MIGRANT_SHARE: Mapping[str, float] = MappingProxyType(
    {"melayu": 0.03, "jawa": 0.24, "bali": 0.55}
)
#: Where migrants' NIKs come from: (province code or "16" = other Sumatera Selatan, weight).
MIGRANT_ORIGINS: Mapping[str, tuple[tuple[str, float], ...]] = MappingProxyType(
    {
        "melayu": (
            ("16", 0.55), ("18", 0.12), ("31", 0.08), ("15", 0.08), ("14", 0.05),
            ("12", 0.05), ("19", 0.04), ("17", 0.03),
        ),
        "jawa": (("33", 0.44), ("35", 0.34), ("18", 0.14), ("34", 0.04), ("32", 0.04)),
        "bali": (("51", 0.85), ("18", 0.10), ("52", 0.05)),
    }
)

#: Probability of being a woman, per sub-category.
FEMALE_SHARE: Mapping[str, float] = MappingProxyType(
    {
        "non_asn": 0.45,
        "gtk": 0.68,
        "kepala_desa": 0.05,
        "perangkat_desa": 0.27,
        "bpd": 0.18,
        "lpm": 0.20,
        "lembaga_adat": 0.08,
        "linmas": 0.06,
        "pkk": 0.97,
        "karang_taruna": 0.40,
        "kader_posyandu": 0.96,
        "ketua_rt": 0.08,
        "ketua_rw": 0.05,
    }
)
#: Age in years at ``today``: (low, high, mode) of a triangular distribution.
AGE_RANGE: Mapping[str, tuple[float, float, float]] = MappingProxyType(
    {
        "non_asn": (21, 56, 32),
        "gtk": (22, 58, 34),
        "kepala_desa": (30, 65, 46),
        "perangkat_desa": (21, 60, 38),
        "bpd": (25, 65, 44),
        "lpm": (28, 66, 46),
        "lembaga_adat": (35, 72, 55),
        "linmas": (20, 56, 38),
        "pkk": (22, 60, 40),
        "karang_taruna": (18, 40, 26),
        "kader_posyandu": (20, 60, 36),
        "ketua_rt": (27, 66, 46),
        "ketua_rw": (30, 66, 50),
        "": (18, 64, 38),  # pekerja rentan
    }
)
#: Registry placeholder dates (day, month; month 0 = keep the month, day 15) and weights.
PLACEHOLDER_DATES: tuple[tuple[tuple[int, int], float], ...] = (
    ((31, 12), 0.35),
    ((1, 7), 0.30),
    ((1, 1), 0.23),
    ((15, 0), 0.12),
)

#: Pekerja rentan occupations: (label, base weight, share of women).
OCCUPATIONS: tuple[tuple[str, float, float], ...] = (
    ("Petani karet", 20, 0.30),
    ("Petani sawit", 9, 0.18),
    ("Petani padi", 7, 0.30),
    ("Buruh harian lepas", 12, 0.22),
    ("Buruh tani", 7, 0.35),
    ("Buruh sadap karet", 5, 0.30),
    ("Buruh kebun sawit", 4, 0.18),
    ("Pedagang kecil", 9, 0.58),
    ("Pedagang keliling", 2, 0.35),
    ("Nelayan", 6, 0.03),
    ("Pembudidaya ikan", 2, 0.12),
    ("Tukang ojek", 4, 0.02),
    ("Tukang bangunan", 4, 0.01),
    ("Pengrajin purun", 2, 0.90),
    ("Peternak", 3, 0.20),
    ("Sopir angkutan", 1, 0.01),
    ("Penjahit", 1, 0.80),
    ("Asisten rumah tangga", 1, 0.95),
)
_LOCAL_OCCUPATION_FACTORS: dict[str, dict[str, float]] = {
    # Kayu Agung (town): trade, transport, construction.
    "16.02.05": {
        "Pedagang kecil": 2.2, "Pedagang keliling": 2.0, "Tukang ojek": 2.5,
        "Tukang bangunan": 1.8, "Sopir angkutan": 2.5, "Penjahit": 2.0,
        "Asisten rumah tangga": 2.0, "Petani karet": 0.4, "Petani sawit": 0.3,
        "Buruh kebun sawit": 0.3, "Petani padi": 0.5, "Buruh sadap karet": 0.4,
    },
    # Pedamaran, Pedamaran Timur: purun weaving.
    "16.02.03": {"Pengrajin purun": 8.0},
    "16.02.24": {"Pengrajin purun": 5.0},
    # Pampangan, Pangkalan Lampam: swamp buffalo, rice on lebak land, fishing.
    "16.02.12": {"Peternak": 3.0, "Petani padi": 2.0, "Nelayan": 2.0},
    "16.02.19": {"Peternak": 2.0, "Nelayan": 2.5, "Pembudidaya ikan": 2.0},
    # Coast and big rivers.
    "16.02.11": {"Nelayan": 3.5, "Petani sawit": 1.5},
    "16.02.18": {"Nelayan": 3.0, "Petani sawit": 1.8},
    "16.02.14": {"Petani padi": 3.0, "Nelayan": 2.0, "Petani karet": 0.4},
    "16.02.17": {"Nelayan": 2.0, "Pembudidaya ikan": 2.0},
    "16.02.08": {"Nelayan": 2.0, "Pembudidaya ikan": 1.5},
}
# Mesuji/Lempuing belt (inland transmigration areas): oil palm, some rice, little fishing.
_PALM_BELT = {
    "Petani sawit": 2.8, "Buruh kebun sawit": 3.0, "Petani padi": 1.3, "Nelayan": 0.3,
}
_INLAND = ("16.02.04", "16.02.13", "16.02.15", "16.02.20", "16.02.21", "16.02.22")
#: Occupation weight factors per kecamatan (1.0 where not listed).
OCCUPATION_FACTORS: Mapping[str, Mapping[str, float]] = MappingProxyType(
    {**_LOCAL_OCCUPATION_FACTORS, **dict.fromkeys(_INLAND, _PALM_BELT)}
)

#: Mobile number prefixes (Telkomsel, Indosat, XL/Axis, Tri, Smartfren).
PHONE_PREFIXES = (
    "0811", "0812", "0813", "0821", "0822", "0823", "0852", "0853", "0814", "0815", "0816",
    "0855", "0856", "0857", "0858", "0817", "0818", "0819", "0859", "0877", "0878", "0831",
    "0838", "0895", "0896", "0897", "0898", "0899", "0881", "0882", "0887",
)
PHONE_WEIGHTS = (
    9, 12, 10, 6, 7, 6, 8, 6, 2, 2, 2, 3, 5, 5, 3, 3, 3, 4, 2, 3, 3, 2, 2, 4, 4, 3, 3, 3, 1,
    1, 1,
)

#: Two-role people: the ``first`` role shapes the person (age), the ``second`` row reuses them.
@dataclass(frozen=True, slots=True)
class DoubleRole:
    first: tuple[str, str]  # (category, sub-category); "" = none (pekerja rentan)
    second: tuple[str, str]
    sex: str | None  # restrict to L or P, or None for either
    count: int


DEFAULT_DOUBLES: tuple[DoubleRole, ...] = (
    DoubleRole(("rt_rw", "ketua_rt"), ("kelembagaan_desa", "linmas"), "L", 80),
    DoubleRole(("rt_rw", "ketua_rt"), ("kelembagaan_desa", "kader_posyandu"), "P", 30),
    DoubleRole(("rt_rw", "ketua_rw"), ("kelembagaan_desa", "lpm"), None, 30),
    DoubleRole(("perangkat_desa", "bpd"), ("kelembagaan_desa", "lpm"), None, 40),
    DoubleRole(("perangkat_desa", "bpd"), ("kelembagaan_desa", "lembaga_adat"), "L", 20),
    DoubleRole(("kelembagaan_desa", "pkk"), ("pekerja_rentan", ""), "P", 50),
    DoubleRole(("kelembagaan_desa", "linmas"), ("pekerja_rentan", ""), "L", 50),
)

_OUTPUT_KEYS = (
    "nik", "nama", "jenis_kelamin", "tanggal_lahir", "kode_desa", "kategori", "sub_kategori",
    "pekerjaan", "no_hp", "kpj", "penghasilan", "sumber_dana", "tanggal_mulai",
)
_NAME_KEYS = ("kecamatan", "desa")


def output_headers(*, include_names: bool = False) -> list[str]:
    """Headers of :func:`demo_workers`' frame, in order (from the import column definitions)."""
    keys = list(_OUTPUT_KEYS)
    if include_names:
        keys[5:5] = _NAME_KEYS
    return [COLUMN_BY_KEY[k].header for k in keys]


# --- helpers ---------------------------------------------------------------------------------


class _Pick:
    """Weighted choice with precomputed cumulative weights (one ``random()`` per draw)."""

    __slots__ = ("cum", "items", "total")

    def __init__(self, pairs: Sequence[tuple[object, float]]) -> None:
        self.items = [p[0] for p in pairs]
        self.cum = list(accumulate(p[1] for p in pairs))
        self.total = self.cum[-1]

    def __call__(self, rng: random.Random):  # returns one of ``items``
        i = bisect_right(self.cum, rng.random() * self.total)
        return self.items[min(i, len(self.items) - 1)]


def _apportion(total: int, weights: Sequence[float]) -> list[int]:
    """Split ``total`` into integers proportional to ``weights`` (largest remainder)."""
    if total <= 0 or not weights:
        return [0] * len(weights)
    s = sum(weights)
    quotas = [total * w / s for w in weights]
    out = [int(q) for q in quotas]
    rest = total - sum(out)
    order = sorted(range(len(weights)), key=lambda i: (out[i] - quotas[i], i))
    for i in order[:rest]:
        out[i] += 1
    return out


@dataclass(frozen=True, slots=True)
class _Village:
    code: str
    level: str
    name: str
    kecamatan: str
    kecamatan_name: str


@cache
def _villages(kabupaten_code: str) -> tuple[_Village, ...]:
    prefix = kabupaten_code + "."
    upper = upper_regions()
    out = [
        _Village(r.code, r.level, r.name, r.parent_code or "", upper[r.parent_code or ""].name)
        for r in iter_regions()
        if r.level in VILLAGE_LEVELS and r.code.startswith(prefix)
    ]
    if not out:
        raise ValueError(f"no desa/kelurahan found for kabupaten {kabupaten_code!r}")
    return tuple(sorted(out, key=lambda v: v.code))


@cache
def _kecamatan_codes(prefix: str) -> tuple[str, ...]:
    """Current kecamatan codes starting with ``prefix`` (a province code or ``PP.KK``)."""
    return tuple(
        sorted(
            c
            for c, r in upper_regions().items()
            if r.level == "kecamatan" and c.startswith(prefix + ".")
        )
    )


def _date_str(d: date) -> str:
    return f"{d.day:02d}-{d.month:02d}-{d.year:04d}"


# --- the generator ---------------------------------------------------------------------------


def demo_workers(
    *,
    kabupaten_code: str = "16.02",
    seed: int = 2025,
    today: date = date(2025, 9, 2),
    plan: Mapping[str, int] = DEFAULT_PLAN,
    doubles: Sequence[DoubleRole] = DEFAULT_DOUBLES,
    include_names: bool = False,
) -> pl.DataFrame:
    """Synthetic covered workers, one row per enrolment, in the import file format.

    ``plan`` maps category key → number of rows (enrolments) of that category; the counts
    are exact. ``doubles`` lists two-role people (each counts in both categories). With
    ``include_names`` the ``Kecamatan`` and ``Desa`` name columns are added after
    ``Kode Desa``. Every column is String; empty cells are null.
    """
    unknown = sorted(set(plan) - set(CATEGORY_BY_KEY))
    if unknown:
        raise ValueError(f"unknown categories in plan: {unknown}")
    rng = random.Random(f"jamsos-demo:{kabupaten_code}:{seed}")
    villages = _villages(kabupaten_code)
    nv = len(villages)
    size = [
        KECAMATAN_SCALE.get(v.kecamatan, 1.0) * rng.uniform(0.75, 1.25) for v in villages
    ]

    # 1. Row slots: village index, category, sub-category, sex, occupation.
    r_vil: list[int] = []
    r_cat: list[str] = []
    r_sub: list[str] = []
    r_sex: list[str] = []
    r_occ: list[str | None] = []

    def add(vi: int, cat: str, sub: str, sex: str, occ: str | None = None) -> None:
        r_vil.append(vi)
        r_cat.append(cat)
        r_sub.append(sub)
        r_sex.append(sex)
        r_occ.append(occ)

    def sex_for(sub: str) -> str:
        return "P" if rng.random() < FEMALE_SHARE[sub] else "L"

    def fill(cat: str, sub: str, counts: Sequence[int]) -> None:
        for vi, n in enumerate(counts):
            for _ in range(n):
                add(vi, cat, sub, sex_for(sub))

    total = plan.get("non_asn", 0)
    n_gtk = round(total * GTK_SHARE)
    for sub, n in (("non_asn", total - n_gtk), ("gtk", n_gtk)):
        w = [
            s * (CAPITAL_NON_ASN_FACTOR[sub] if v.kecamatan == CAPITAL else 1.0)
            for s, v in zip(size, villages, strict=True)
        ]
        fill("non_asn", sub, _apportion(n, w))

    total = plan.get("perangkat_desa", 0)
    if total:
        desa_idx = [i for i, v in enumerate(villages) if v.level == "desa"] or list(range(nv))
        n_kades = min(len(desa_idx), total)
        rest = total - n_kades
        bpd_pick = _Pick(BPD_SIZES)
        bpd = [bpd_pick(rng) for _ in desa_idx]
        if sum(bpd) > rest * 0.45:
            bpd = _apportion(round(rest * 0.38), bpd)
        perangkat = _apportion(rest - sum(bpd), [math.sqrt(size[i]) for i in desa_idx])
        for j, vi in enumerate(desa_idx):
            if j < n_kades:
                add(vi, "perangkat_desa", "kepala_desa", sex_for("kepala_desa"))
            for _ in range(perangkat[j]):
                add(vi, "perangkat_desa", "perangkat_desa", sex_for("perangkat_desa"))
            for _ in range(bpd[j]):
                add(vi, "perangkat_desa", "bpd", sex_for("bpd"))

    for cat in ("kelembagaan_desa", "rt_rw"):
        counts = _apportion(plan.get(cat, 0), size)
        pick = _Pick(SUB_SHARES[cat])
        rw = _Pick((("ketua_rt", 1 - KELURAHAN_RW_SHARE), ("ketua_rw", KELURAHAN_RW_SHARE)))
        for vi, n in enumerate(counts):
            kel = villages[vi].level == "kelurahan"
            for _ in range(n):
                sub = rw(rng) if cat == "rt_rw" and kel else pick(rng)
                add(vi, cat, sub, sex_for(sub))

    occ_female = {o: f for o, _, f in OCCUPATIONS}
    occ_pickers: dict[str, _Pick] = {}
    counts = _apportion(
        plan.get("pekerja_rentan", 0), [s * rng.uniform(0.6, 1.4) for s in size]
    )
    for vi, n in enumerate(counts):
        kec = villages[vi].kecamatan
        if kec not in occ_pickers:
            factors = OCCUPATION_FACTORS.get(kec, {})
            occ_pickers[kec] = _Pick([(o, w * factors.get(o, 1.0)) for o, w, _ in OCCUPATIONS])
        pick = occ_pickers[kec]
        for _ in range(n):
            occ = pick(rng)
            add(vi, "pekerja_rentan", "", "P" if rng.random() < occ_female[occ] else "L", occ)

    n_rows = len(r_cat)

    # 2. Two-role people: row ``b`` reuses the person of row ``a`` (same desa and sex).
    owner = list(range(n_rows))
    used = bytearray(n_rows)
    by_role: dict[tuple[str, str], list[int]] = {}
    for i in range(n_rows):
        by_role.setdefault((r_cat[i], r_sub[i]), []).append(i)
    for spec in doubles:
        firsts = [i for i in by_role.get(spec.first, []) if spec.sex in (None, r_sex[i])]
        rng.shuffle(firsts)
        seconds: dict[tuple[int, str], list[int]] = {}
        for i in by_role.get(spec.second, []):
            seconds.setdefault((r_vil[i], r_sex[i]), []).append(i)
        made = 0
        for a in firsts:
            if made >= spec.count:
                break
            if used[a]:
                continue
            pool = seconds.get((r_vil[a], r_sex[a]), [])
            while pool and used[pool[-1]]:
                pool.pop()
            if not pool:
                continue
            b = pool.pop()
            used[a] = used[b] = 1
            owner[b] = a
            made += 1

    # 3. People (one per owner row).
    today_ord = today.toordinal()
    eth_trans = _Pick(ETHNIC_MIX_TRANSMIGRATION)
    eth_capital = _Pick(ETHNIC_MIX_CAPITAL)
    eth_other = _Pick(ETHNIC_MIX_OTHER)
    origins = {k: _Pick(v) for k, v in MIGRANT_ORIGINS.items()}
    placeholder = _Pick(PLACEHOLDER_DATES)
    phone_prefix = _Pick(list(zip(PHONE_PREFIXES, PHONE_WEIGHTS, strict=True)))
    bali_order = list(zip(range(8), nm.BALINESE_ORDER_WEIGHTS, strict=True))
    bali_pick = _Pick(bali_order)
    kab_kec = _kecamatan_codes(kabupaten_code)
    other_sumsel = tuple(
        c for c in _kecamatan_codes("16") if not c.startswith(kabupaten_code + ".")
    )

    def name_for(eth: str, sex: str) -> str:
        female = sex == "P"
        if eth == "bali":
            order = (nm.BALINESE_ORDER_FEMALE if female else nm.BALINESE_ORDER_MALE)[
                bali_pick(rng)
            ]
            given = nm.BALINESE_FEMALE_GIVEN if female else nm.BALINESE_MALE_GIVEN
            return f"{order} {rng.choice(given)}"
        if eth == "jawa":
            first = rng.choice(nm.JAVANESE_FEMALE_FIRST if female else nm.JAVANESE_MALE_FIRST)
            second = nm.JAVANESE_FEMALE_SECOND if female else nm.JAVANESE_MALE_SECOND
            mono = 0.30
        else:
            first = rng.choice(nm.MALAY_FEMALE_FIRST if female else nm.MALAY_MALE_FIRST)
            second = nm.MALAY_FEMALE_SECOND if female else nm.MALAY_MALE_SECOND
            mono = 0.15
        if first in nm.ALWAYS_TWO_WORDS or rng.random() >= mono:
            other = rng.choice(second)
            name = first if other == first else f"{first} {other}"
        else:
            name = first
        if eth == "melayu" and rng.random() < 0.03:
            titles = nm.PALEMBANG_TITLES_FEMALE if female else nm.PALEMBANG_TITLES_MALE
            name = f"{rng.choice(titles)} {name}"
        return name

    def prefix_for(eth: str, kec: str) -> str:
        if rng.random() < MIGRANT_SHARE[eth]:
            origin = origins[eth](rng)
            pool = other_sumsel if origin == "16" else _kecamatan_codes(origin)
            if pool:
                return rng.choice(pool)
        if rng.random() < OTHER_OKI_PREFIX_SHARE:
            near = OKI_NEIGHBOURS.get(kec) or tuple(c for c in kab_kec if c != kec)
            if near:
                return near[0] if rng.random() < 0.5 else rng.choice(near)
        return kec

    p_nik: dict[int, str] = {}
    p_name: dict[int, str] = {}
    p_birth: dict[int, str] = {}
    p_phone: dict[int, str | None] = {}
    p_kpj: dict[int, str | None] = {}
    niks: set[str] = set()
    kpjs: set[str] = set()
    for i in range(n_rows):
        if owner[i] != i:
            continue
        v = villages[r_vil[i]]
        kec = v.kecamatan
        sex = r_sex[i]
        if kec in TRANSMIGRATION:
            eth = eth_trans(rng)
        elif kec == CAPITAL:
            eth = eth_capital(rng)
        else:
            eth = eth_other(rng)
        p_name[i] = name_for(eth, sex)

        lo, hi, mode = AGE_RANGE[r_sub[i]]
        age = rng.triangular(lo, hi, mode)
        birth = date.fromordinal(today_ord - int(age * 365.2425) - rng.randrange(0, 2))
        if rng.random() < (0.09 if birth.year < 1975 else 0.03):
            (day, month) = placeholder(rng)
            birth = date(birth.year, month or birth.month, day)
            if birth.toordinal() > today_ord:  # only possible for a tiny ``today``
                birth = date(birth.year - 1, birth.month, birth.day)
        p_birth[i] = _date_str(birth)

        prefix = prefix_for(eth, kec)
        serial = 1 + min(int(rng.expovariate(1 / 14)), 9000)
        nik = generate_nik(prefix, birth, sex, serial)
        while nik in niks:
            serial = serial % 9999 + 1
            nik = generate_nik(prefix, birth, sex, serial)
        niks.add(nik)
        p_nik[i] = nik

        pu = r_cat[i] in ("non_asn", "perangkat_desa")
        if rng.random() < (0.82 if pu else 0.66):
            digits = 7 if rng.random() < 0.25 else 8
            p_phone[i] = f"{phone_prefix(rng)}{rng.randrange(10**digits):0{digits}d}"
        else:
            p_phone[i] = None
        if rng.random() < (0.20 if pu else 0.04):
            kpj = f"{rng.randrange(10**10, 10**11)}"
            while kpj in kpjs:
                kpj = f"{rng.randrange(10**10, 10**11)}"
            kpjs.add(kpj)
            p_kpj[i] = kpj
        else:
            p_kpj[i] = None

    # 4. Row-level fields: income, funding source, start date.
    apbdes_villages = {vi for vi in range(nv) if rng.random() < APBDES_DESA_SHARE}
    months = list(range(1, today.month + 1))
    month_weights = [0.55 if m == 1 else 0.45 / max(len(months) - 1, 1) for m in months]
    start_pick = _Pick(list(zip(months, month_weights, strict=True)))
    batch_month: dict[tuple[int, str], int] = {}
    incomes: list[str] = []
    funding: list[str] = []
    starts: list[str] = []
    for i in range(n_rows):
        sub, cat, vi = r_sub[i], r_cat[i], r_vil[i]
        incomes.append(str(_income(rng, cat, sub)))
        funding.append("APBDes" if cat == "perangkat_desa" and vi in apbdes_villages else "APBD")
        key = (vi, cat)
        if key not in batch_month:
            batch_month[key] = start_pick(rng)
        u = rng.random()
        if u < 0.03:
            start = date(today.year - 1, rng.choice((1, 7, 10)), 1)
        elif u < 0.15:
            start = date(today.year, start_pick(rng), 1)
        else:
            start = date(today.year, batch_month[key], 1)
        starts.append(_date_str(start))

    # 5. Assemble, sorted by desa, category, sub-category.
    cat_order = {c.key: n for n, c in enumerate(CATEGORIES)}
    sub_order = {s: n for c in CATEGORIES for n, s in enumerate(c.subcategories)}
    own = owner
    data: dict[str, list] = {
        "nik": [p_nik[own[i]] for i in range(n_rows)],
        "nama": [p_name[own[i]] for i in range(n_rows)],
        "jenis_kelamin": r_sex,
        "tanggal_lahir": [p_birth[own[i]] for i in range(n_rows)],
        "kode_desa": [villages[vi].code for vi in r_vil],
        "kecamatan": [villages[vi].kecamatan_name for vi in r_vil],
        "desa": [villages[vi].name for vi in r_vil],
        "kategori": r_cat,
        "sub_kategori": [s or None for s in r_sub],
        "pekerjaan": r_occ,
        "no_hp": [p_phone[own[i]] for i in range(n_rows)],
        "kpj": [p_kpj[own[i]] for i in range(n_rows)],
        "penghasilan": incomes,
        "sumber_dana": funding,
        "tanggal_mulai": starts,
    }
    keys = list(_OUTPUT_KEYS)
    if include_names:
        keys[5:5] = _NAME_KEYS
    frame = pl.DataFrame(
        {
            **{COLUMN_BY_KEY[k].header: data[k] for k in keys},
            "__v": r_vil,
            "__c": [cat_order[c] for c in r_cat],
            "__s": [sub_order.get(s, 0) for s in r_sub],
        },
        schema={
            **{COLUMN_BY_KEY[k].header: pl.String for k in keys},
            "__v": pl.Int32,
            "__c": pl.Int8,
            "__s": pl.Int8,
        },
    )
    return frame.sort(["__v", "__c", "__s"], maintain_order=True).drop("__v", "__c", "__s")


def _income(rng: random.Random, cat: str, sub: str) -> int:
    """Monthly rupiah: PU wages (siltap, honorarium) or BPU declared income."""
    u = rng.random()
    if sub == "kepala_desa":  # siltap at least 120 % of PNS IIa basic pay (PP 11/2019)
        return 2_426_640 if u < 0.3 else int(round(rng.uniform(2_500_000, 4_500_000), -4))
    if sub == "perangkat_desa":  # sekdes 110 %, other perangkat 100 %
        if u < 0.5:
            return 2_022_200
        if u < 0.6:
            return 2_224_420
        return int(round(rng.uniform(2_000_000, 3_200_000), -4))
    if sub == "bpd":
        return int(round(rng.uniform(1_500_000, 2_500_000), -5 if u < 0.5 else -4))
    if sub == "gtk":
        return int(round(rng.triangular(1_500_000, 3_200_000, 1_800_000), -4 if u < 0.3 else -5))
    if cat == "non_asn":
        return int(round(rng.triangular(1_500_000, 3_800_000, 2_200_000), -4 if u < 0.3 else -5))
    # BPU: declared income, often the minimum bracket.
    if u < 0.42:
        return 1_000_000
    return 100_000 * rng.randint(10, 25)


# --- targets ---------------------------------------------------------------------------------

#: Categories where every eligible person is covered (target = covered, per desa).
FULL_COVERAGE = ("non_asn", "perangkat_desa", "rt_rw")
#: Mean coverage rate (covered / target) and its spread between desa.
COVERAGE_RATE: Mapping[str, tuple[float, float, float, float]] = MappingProxyType(
    {  # mean, standard deviation, min, max
        "kelembagaan_desa": (0.86, 0.04, 0.74, 0.97),
        "pekerja_rentan": (0.42, 0.08, 0.22, 0.68),
    }
)


def demo_targets(
    workers: pl.DataFrame,
    *,
    seed: int = 2025,
    kabupaten_code: str = "16.02",
    coverage: Mapping[str, tuple[float, float, float, float]] = COVERAGE_RATE,
) -> pl.DataFrame:
    """Desa-level targets (``region_code``, ``category``, ``headcount``) for ``workers``.

    One row for every desa/kelurahan of ``kabupaten_code`` × every category (0 where a
    category has nobody, e.g. perangkat desa in a kelurahan). ``non_asn`` (kept at desa level,
    like the others), ``perangkat_desa`` and ``rt_rw`` have target = covered (100 %);
    ``kelembagaan_desa`` ≈ covered / 0.86 and ``pekerja_rentan`` ≈ covered / 0.42, with a per-desa
    rate drawn around those means (rounded up, so target ≥ covered). ``coverage`` replaces
    those rates (mean, standard deviation, min, max per category; categories not named have
    target = covered): the province demo's synthetic regencies each get their own.
    """
    desa_col = COLUMN_BY_KEY["kode_desa"].header
    cat_col = COLUMN_BY_KEY["kategori"].header
    covered: dict[tuple[str, str], int] = {
        (d, c): n
        for d, c, n in workers.group_by(desa_col, cat_col)
        .len()
        .select(desa_col, cat_col, "len")
        .iter_rows()
    }
    rng = random.Random(f"jamsos-demo-targets:{kabupaten_code}:{seed}")
    codes: list[str] = []
    cats: list[str] = []
    heads: list[int] = []
    for v in _villages(kabupaten_code):
        for c in CATEGORIES:
            n = covered.get((v.code, c.key), 0)
            if c.key in coverage:
                mean, sd, lo, hi = coverage[c.key]
                # Draw 1/rate (not rate) so that sum(covered) / sum(target) stays ≈ mean.
                inverse = min(max(rng.gauss(1 / mean, sd / mean**2), 1 / hi), 1 / lo)
                n = math.ceil(n * inverse)
            codes.append(v.code)
            cats.append(c.key)
            heads.append(n)
    return pl.DataFrame(
        {"region_code": codes, "category": cats, "headcount": heads},
        schema={"region_code": pl.String, "category": pl.String, "headcount": pl.Int64},
    )
