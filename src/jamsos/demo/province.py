"""The province demo's other kabupaten/kota (``jamsos demo --area 16``, issue 16): synthetic
workers and targets at a small, stated scale, each regency with its own coverage level.

Pure Python + polars (no Django ORM), deterministic: same code, size and seed → identical
frames. The workers come from :func:`jamsos.demo.synth.demo_workers` (names, NIKs, dates,
occupations as for OKI) with a plan sized to the regency and a category mix that varies; the
targets from :func:`jamsos.demo.synth.demo_targets` with coverage rates drawn per regency, so
that the province ranking has a top and a bottom. **None of these figures is real.**
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import polars as pl

from jamsos.demo.synth import (
    DEFAULT_DOUBLES,
    DEFAULT_PLAN,
    DoubleRole,
    _villages,
    demo_targets,
    demo_workers,
)
from jamsos.registry.importing.columns import BY_KEY as COLUMN_BY_KEY

__all__ = [
    "DEFAULT_SIZE",
    "RegencyPlan",
    "mean_village_count",
    "regency_plan",
    "size_for_total",
    "synthetic_regency",
]

#: Average enrolments per synthetic kabupaten/kota (scaled by its number of desa/kelurahan).
DEFAULT_SIZE = 2_000
#: Bounds of a regency's size relative to the average.
SIZE_BOUNDS = (0.4, 2.5)
#: At most this many perangkat desa, kepala desa and BPD members per desa (OKI: about 17).
PERANGKAT_PER_DESA = 17
#: Coverage level of a regency (covered / target over all categories, before the mix).
LEVEL_RANGE = (0.30, 0.95)
_OKI_ROWS = sum(DEFAULT_PLAN.values())


@dataclass(frozen=True, slots=True)
class RegencyPlan:
    kabupaten_code: str
    plan: Mapping[str, int]
    doubles: tuple[DoubleRole, ...]
    #: Per category (mean, standard deviation, min, max) of covered / target.
    coverage: Mapping[str, tuple[float, float, float, float]]
    level: float


def _rate(mean: float) -> tuple[float, float, float, float]:
    mean = min(mean, 1.0)
    return (mean, 0.04, max(0.05, mean - 0.15), min(1.0, mean + 0.10))


def regency_plan(kabupaten_code: str, *, size: int = DEFAULT_SIZE, seed: int = 2025,
                 mean_villages: float | None = None) -> RegencyPlan:
    """How many workers of each category a synthetic regency has and how well it is covered.

    ``size`` is the average number of enrolments per regency; a regency gets ``size`` × its
    number of desa/kelurahan / ``mean_villages`` (bounded by :data:`SIZE_BOUNDS`). Perangkat
    desa only where there are desa (a kota of kelurahan has none)."""
    rng = random.Random(f"jamsos-demo-province:{kabupaten_code}:{seed}")
    villages = _villages(kabupaten_code)
    n_desa = sum(v.level == "desa" for v in villages)
    scale = len(villages) / mean_villages if mean_villages else 1.0
    total = round(size * min(max(scale, SIZE_BOUNDS[0]), SIZE_BOUNDS[1]))
    perangkat = min(round(total * rng.uniform(0.08, 0.18)), n_desa * PERANGKAT_PER_DESA)
    rest = total - perangkat
    non_asn = round(rest * 0.08 * rng.uniform(0.7, 1.3))
    lembaga = round(rest * 0.42 * rng.uniform(0.6, 1.3))
    rt_rw = round(rest * 0.08 * rng.uniform(0.7, 1.3))
    plan = {"non_asn": non_asn, "perangkat_desa": perangkat, "kelembagaan_desa": lembaga,
            "rt_rw": rt_rw, "pekerja_rentan": max(rest - non_asn - lembaga - rt_rw, 0)}
    share = total / _OKI_ROWS
    doubles = tuple(DoubleRole(d.first, d.second, d.sex, round(d.count * share))
                    for d in DEFAULT_DOUBLES)
    level = rng.uniform(*LEVEL_RANGE)
    coverage = {
        "non_asn": _rate(level + rng.uniform(0.10, 0.35)),
        "perangkat_desa": _rate(level + rng.uniform(0.15, 0.40)),
        "kelembagaan_desa": _rate(level * rng.uniform(0.80, 1.05)),
        "rt_rw": _rate(level + rng.uniform(0.0, 0.25)),
        "pekerja_rentan": _rate(level * rng.uniform(0.35, 0.65)),
    }
    return RegencyPlan(kabupaten_code, plan, doubles, coverage, level)


def mean_village_count(codes: Iterable[str]) -> float:
    counts = [len(_villages(c)) for c in codes]
    return sum(counts) / len(counts) if counts else 1.0


def synthetic_regency(plan: RegencyPlan, *, seed: int = 2025,
                      taken: set[str] | None = None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The workers (import file format) and desa targets of one synthetic regency.

    ``taken`` holds the NIKs already used by the other regencies of the demo; a NIK of this
    regency that is in it gets another serial (a migrant's NIK from another kecamatan of the
    province could otherwise meet a NIK generated there). ``taken`` is updated."""
    workers = demo_workers(kabupaten_code=plan.kabupaten_code, seed=seed, plan=plan.plan,
                           doubles=plan.doubles)
    if taken is not None:
        workers = _unique_niks(workers, taken)
    targets = demo_targets(workers, seed=seed, kabupaten_code=plan.kabupaten_code,
                           coverage=plan.coverage)
    return workers, targets


def _unique_niks(workers: pl.DataFrame, taken: set[str]) -> pl.DataFrame:
    col = COLUMN_BY_KEY["nik"].header
    own = set(workers[col].unique().to_list())
    clash = own & taken
    if clash:
        used = taken | own
        remap: dict[str, str] = {}
        for nik in sorted(clash):
            serial = int(nik[12:])
            new = nik
            while new in used:
                serial = serial % 9999 + 1
                new = f"{nik[:12]}{serial:04d}"
            used.add(new)
            remap[nik] = new
        workers = workers.with_columns(pl.col(col).replace(remap))
        own = set(workers[col].unique().to_list())
    taken |= own
    return workers


def size_for_total(total: int, codes: Iterable[str]) -> int:
    """The ``size`` (average per regency) that gives ``codes`` about ``total`` enrolments in
    all (each regency's share follows its desa count, bounded: :func:`regency_plan`)."""
    mean = mean_village_count(codes)
    factors = sum(min(max(len(_villages(c)) / mean, SIZE_BOUNDS[0]), SIZE_BOUNDS[1])
                  for c in codes)
    return max(1, round(total / factors)) if factors else 1
