"""Coverage maps drawn on the server as SVG: no JavaScript, no tiles, printable.

The boundaries (``data/boundaries``, MIT, see its README) are read once per process. Points are
projected equirectangularly with the longitude scaled by cos(latitude) (true enough 3° south of
the equator), fitted to a fixed width and thinned to whole-pixel steps so a phone gets a few
kilobytes of path data.
"""

from __future__ import annotations

import gzip
import json
import math
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data" / "boundaries"
WIDTH = 600
#: Lower bounds of the colour classes m2…m7, in percent of target (m1 below the first).
BINS = (25, 50, 60, 70, 80, 90)

Ring = list[tuple[float, float]]


@dataclass(frozen=True)
class Shape:
    code: str
    name: str
    polygons: list[list[Ring]]  # each polygon: outer ring, then holes
    label: tuple[float, float]


@dataclass
class MapArea:
    code: str
    name: str
    d: str
    css: str              # colour class m0 (no target) … m5
    percent: Decimal | None
    covered: int
    target: int
    href: str | None
    x: str   # label point, unlocalised SVG coordinates
    y: str


@dataclass
class CoverageMap:
    width: int
    height: int
    areas: list[MapArea]
    legend: list[tuple[str, str]]  # (css class, label)

    @property
    def path_bytes(self) -> int:
        return sum(len(a.d) for a in self.areas)


def _shapes(features: list[dict]) -> dict[str, Shape]:
    out = {}
    for f in features:
        g, p = f["geometry"], f["properties"]
        polys = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
        out[p["code"]] = Shape(p["code"], p["name"],
                               [[[tuple(pt) for pt in ring] for ring in poly] for poly in polys],
                               tuple(p["label_point"]))
    return out


def _read(name: str) -> dict[str, Shape]:
    with gzip.open(DATA / name, "rt", encoding="utf-8") as f:
        return _shapes(json.load(f)["features"])


@lru_cache(maxsize=1)
def kabupaten_shapes() -> dict[str, Shape]:
    """The kabupaten/kota of Sumatera Selatan."""
    return _read("sumsel_kabupaten.geojson.gz")


@lru_cache(maxsize=1)
def kecamatan_shapes() -> dict[str, Shape]:
    """Every kecamatan of Sumatera Selatan."""
    return _read("sumsel_kecamatan.geojson.gz")


@lru_cache(maxsize=1)
def desa_shapes() -> dict[str, Shape]:
    """The desa/kelurahan of OKI (the only kabupaten with desa boundaries so far)."""
    return _read("oki_desa.geojson.gz")


def shapes_in(area_code: str) -> dict[str, Shape]:
    """The kabupaten/kota of a province, the kecamatan of a kabupaten, or the desa of a
    kecamatan; {} where no boundaries are shipped (desa outside OKI, other provinces)."""
    depth = area_code.count(".")
    if depth == 0:
        source = kabupaten_shapes()
    elif depth == 1:
        source = kecamatan_shapes()
    elif depth == 2:
        source = desa_shapes()
    else:
        return {}
    return {c: s for c, s in source.items() if c.startswith(area_code + ".")}


def colour_class(percent) -> str:
    if percent is None:
        return "m0"
    return f"m{1 + sum(1 for b in BINS if percent >= b)}"


def legend() -> list[tuple[str, str]]:
    edges = [0, *BINS]
    items = [(f"m{i + 1}", f"{lo}–{hi} %") for i, (lo, hi) in enumerate(zip(edges, BINS,
                                                                             strict=False))]
    return [*items, (f"m{len(BINS) + 1}", f"≥ {BINS[-1]} %")]


def _fmt(v: float) -> str:
    return f"{v:.1f}".rstrip("0").rstrip(".")


def coverage_map(area_code: str, rows, href=None) -> CoverageMap | None:
    """A map of the units of ``area_code`` coloured by their coverage row (``code``, ``name``,
    ``percent``, ``covered``, ``target``); ``href(code)`` makes a unit a link."""
    shapes = shapes_in(area_code)
    if not shapes:
        return None
    points = [pt for s in shapes.values() for poly in s.polygons for ring in poly for pt in ring]
    lon0, lon1 = min(p[0] for p in points), max(p[0] for p in points)
    lat0, lat1 = min(p[1] for p in points), max(p[1] for p in points)
    kx = math.cos(math.radians((lat0 + lat1) / 2))
    scale = (WIDTH - 4) / ((lon1 - lon0) * kx)
    height = math.ceil((lat1 - lat0) * scale) + 4

    def xy(pt) -> tuple[float, float]:
        return ((pt[0] - lon0) * kx * scale + 2, (lat1 - pt[1]) * scale + 2)

    def path(shape: Shape) -> str:
        parts = []
        for poly in shape.polygons:
            for ring in poly:
                kept: list[tuple[float, float]] = []
                for pt in ring:
                    x, y = xy(pt)
                    if not kept or abs(x - kept[-1][0]) + abs(y - kept[-1][1]) >= 1.0:
                        kept.append((round(x, 1), round(y, 1)))
                if len(kept) >= 3:
                    parts.append("M" + " ".join(f"{_fmt(x)} {_fmt(y)}" for x, y in kept) + "Z")
        return "".join(parts)

    by_code = {r.code: r for r in rows}
    areas = []
    for code, shape in sorted(shapes.items()):
        row = by_code.get(code)
        pct = row.percent if row else None
        lx, ly = xy(shape.label)
        areas.append(MapArea(code, row.name if row else shape.name, path(shape),
                             colour_class(pct), pct, row.covered if row else 0,
                             row.target if row else 0, href(code) if href else None,
                             _fmt(lx), _fmt(ly)))
    return CoverageMap(WIDTH, height, areas, legend())
