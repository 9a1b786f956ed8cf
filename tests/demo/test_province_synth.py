"""The province demo's synthetic regencies (jamsos.demo.province): sized, varied, unique NIKs."""

from __future__ import annotations

import pytest

from jamsos.demo.province import (
    SIZE_BOUNDS,
    mean_village_count,
    regency_plan,
    size_for_total,
    synthetic_regency,
)
from jamsos.registry.importing.columns import BY_KEY as COLUMN_BY_KEY

NIK = COLUMN_BY_KEY["nik"].header
DESA = COLUMN_BY_KEY["kode_desa"].header
CATEGORY = COLUMN_BY_KEY["kategori"].header
OTHERS = ["16.01", "16.03", "16.04", "16.05", "16.06", "16.07", "16.08", "16.09", "16.10",
          "16.11", "16.12", "16.13", "16.71", "16.72", "16.73", "16.74"]


def test_same_arguments_same_frames_and_the_plan_is_exact():
    plan = regency_plan("16.12", size=500)
    w1, t1 = synthetic_regency(plan)
    w2, t2 = synthetic_regency(regency_plan("16.12", size=500))
    assert w1.equals(w2) and t1.equals(t2)
    counts = dict(w1.group_by(CATEGORY).len().iter_rows())
    assert {k: v for k, v in plan.plan.items() if v} == counts
    assert all(code.startswith("16.12.") for code in w1[DESA].to_list())


def test_targets_cover_every_desa_and_never_fall_below_the_covered():
    plan = regency_plan("16.04", size=800)
    workers, targets = synthetic_regency(plan)
    covered = workers.group_by(DESA, CATEGORY).len().rename({DESA: "region_code",
                                                             CATEGORY: "category"})
    joined = targets.join(covered, on=["region_code", "category"], how="left").fill_null(0)
    assert (joined["headcount"] >= joined["len"]).all()
    assert joined["headcount"].sum() > joined["len"].sum()  # partly covered


def test_regencies_differ_in_coverage_and_size_follows_the_desa_count():
    mean = mean_village_count(OTHERS)
    plans = [regency_plan(c, size=1000, mean_villages=mean) for c in OTHERS]
    levels = [p.level for p in plans]
    assert max(levels) - min(levels) > 0.2
    totals = {p.kabupaten_code: sum(p.plan.values()) for p in plans}
    assert totals["16.04"] > totals["16.72"]  # Lahat (378 desa) > Pagar Alam (35)
    assert all(SIZE_BOUNDS[0] * 1000 - 1 <= t <= SIZE_BOUNDS[1] * 1000 + 1
               for t in totals.values())
    for p in plans:
        assert all(0 < mean <= 1 and lo <= mean <= hi <= 1
                   for mean, _sd, lo, hi in p.coverage.values())


@pytest.mark.parametrize("code", ["16.71", "16.72", "16.73"])
def test_a_kota_of_kelurahan_has_no_perangkat_desa(code):
    assert regency_plan(code).plan["perangkat_desa"] == 0


def test_niks_stay_unique_across_the_province():
    plan = regency_plan("16.04", size=8000)
    first, _ = synthetic_regency(plan)
    own = set(first[NIK].to_list())
    # every NIK already taken (as if another regency had generated the same ones)
    taken = set(own)
    again, _ = synthetic_regency(plan, taken=taken)
    new = set(again[NIK].to_list())
    assert len(new) == len(own) and not new & own
    assert taken == own | new  # taken is updated for the next regency
    # two-role people keep one NIK for their two rows
    assert again.height - again[NIK].n_unique() == first.height - first[NIK].n_unique() > 0
    # the renumbered NIK keeps its region, birth date and sex (only the serial moves)
    assert sorted(n[:12] for n in new) == sorted(n[:12] for n in own)


@pytest.mark.parametrize("total", [20_000, 2_000_000])
def test_the_benchmark_size_gives_about_the_asked_total(total):
    size = size_for_total(total, OTHERS)
    mean = mean_village_count(OTHERS)
    planned = sum(sum(regency_plan(c, size=size, mean_villages=mean).plan.values())
                  for c in OTHERS)
    assert abs(planned - total) <= len(OTHERS) * 2  # rounding per regency and category
