"""JKK golden cases (regulations.md §1b).  PP 82/2019 believed in force 2019-12-02."""

from __future__ import annotations

import pytest

from conftest import UMK_OKI_2025, benefit
from jamsos.rules import Child, InputError


def test_work_accident_death_2025_umk_oki():
    # 48 × 3.681.571 = 176.715.408 (60% × 80 × upah); > JKM santunan 20 jt
    # santunan berkala 24 × 500.000 = 12.000.000 ; pemakaman 10.000.000
    # beasiswa 2 anak, jenjang belum diketahui: 2 × 87.000.000 = 174.000.000
    #   (1,5 jt × 2 TK + 1,5 jt × 6 SD + 2 jt × 3 + 3 jt × 3 + 12 jt × 5 = 87 jt)
    r = benefit("jkk", "work_accident_death", "2025-09-15", children=(Child(), Child()))
    assert r.eligible
    assert r.amounts() == {
        "death_lump_sum": 176_715_408,
        "periodic_benefit": 12_000_000,
        "funeral": 10_000_000,
        "scholarship": 174_000_000,
    }
    assert r.total == 372_715_408
    item = r.item("death_lump_sum")
    assert item.basis == "60% × 80 × upah Rp 3.681.571 = 48 × upah"
    assert item.citation == "PP 44/2015 Lampiran III"
    assert not item.unconfirmed
    assert r.item("scholarship").unconfirmed  # "no minimum membership" is UNCONFIRMED


def test_work_accident_death_before_pp82_2019():
    # 2019-06-01, upah 3.000.000: 48 × 3.000.000 = 144.000.000 ; berkala 24 × 200.000 =
    # 4.800.000 ; pemakaman 3.000.000 ; beasiswa Rp12 jt for ONE child only
    r = benefit("jkk", "work_accident_death", "2019-06-01", 3_000_000, children=(Child(), Child()))
    assert r.amounts() == {
        "death_lump_sum": 144_000_000,
        "periodic_benefit": 4_800_000,
        "funeral": 3_000_000,
        "scholarship": 12_000_000,
    }
    assert any("paling banyak 1 anak" in n for n in r.notes)


def test_pp82_boundary_window_is_flagged():
    # 2019-12-15 lies between 2 Dec 2019 (believed) and 2 Jan 2020 (Kompas): new amounts,
    # flagged because the promulgation date is UNCONFIRMED.
    r = benefit("jkk", "work_accident_death", "2019-12-15", 3_000_000)
    assert r.item("funeral").amount == 10_000_000
    assert r.item("funeral").unconfirmed
    # after the window: not flagged
    assert (
        not benefit("jkk", "work_accident_death", "2020-02-01", 3_000_000)
        .item("funeral")
        .unconfirmed
    )


@pytest.mark.parametrize(
    ("date", "wage", "expected"),
    [
        ("2025-09-15", 400_000, 20_000_000),  # 48 × 400.000 = 19.200.000 < JKM 20 jt
        ("2019-06-01", 300_000, 16_200_000),  # 48 × 300.000 = 14.400.000 < JKM 16,2 jt
        ("2025-09-15", 420_000, 20_160_000),  # 48 × 420.000 = 20.160.000 > 20 jt
    ],
)
def test_death_at_least_jkm_santunan(date, wage, expected):
    r = benefit("jkk", "work_accident_death", date, wage)
    assert r.item("death_lump_sum").amount == expected


def test_total_disability():
    # 70% × 80 = 56 × 3.681.571 = 206.167.976 ; berkala 12.000.000
    r = benefit("jkk", "total_disability", "2025-09-15")
    assert r.amounts() == {"disability_lump_sum": 206_167_976, "periodic_benefit": 12_000_000}
    assert "56 × upah" in r.item("disability_lump_sum").basis


def test_partial_anatomical_disability_from_table():
    # satu mata 35% × 80 × 3.681.571 = 28 × 3.681.571 = 103.083.988
    r = benefit("jkk", "partial_disability", "2025-09-15", disability_part="one_eye")
    assert r.amounts() == {"disability_lump_sum": 103_083_988}
    assert "35% (satu mata) × 80 × upah Rp 3.681.571" in r.item("disability_lump_sum").basis


def test_partial_functional_disability():
    # 50% fungsi × 40% (lengan kanan dari bahu) × 80 × 3.681.571 = 16 × 3.681.571 = 58.905.136
    r = benefit(
        "jkk",
        "partial_disability",
        "2025-09-15",
        disability_part="right_arm_shoulder",
        function_loss_percent=50,
    )
    assert r.item("disability_lump_sum").amount == 58_905_136


def test_partial_disability_direct_percent():
    # 12,5% × 80 = 10 × 3.681.571 = 36.815.710
    r = benefit("jkk", "partial_disability", "2025-09-15", disability_percent=12.5)
    assert r.item("disability_lump_sum").amount == 36_815_710


def test_partial_disability_needs_percentage():
    with pytest.raises(InputError):
        benefit("jkk", "partial_disability", "2025-09-15")
    with pytest.raises(InputError) as e:
        benefit("jkk", "partial_disability", "2025-09-15", disability_part="tail")
    assert e.value.option == "--disability-part"


@pytest.mark.parametrize(
    ("date", "wage", "months", "expected", "unconfirmed"),
    [
        # after PP 82/2019: 12 × 100% + 2 × 50% = 13 × 3.681.571 = 47.860.423
        ("2025-09-15", UMK_OKI_2025, 14, 47_860_423, False),
        # 12 months: 12 × 3.681.571 = 44.178.852
        ("2025-09-15", UMK_OKI_2025, 12, 44_178_852, False),
        # before PP 82/2019 (UNCONFIRMED): 6 × 100% + 6 × 75% + 2 × 50% = 11,5 × 3.000.000
        ("2019-06-01", 3_000_000, 14, 34_500_000, True),
        # 12 months before: 6 + 4,5 = 10,5 × 3.000.000 = 31.500.000 (after: 36.000.000)
        ("2019-06-01", 3_000_000, 12, 31_500_000, True),
        ("2020-06-01", 3_000_000, 12, 36_000_000, False),
    ],
)
def test_temporary_incapacity_schedule(date, wage, months, expected, unconfirmed):
    r = benefit("jkk", "temporary_incapacity", date, wage, incapacity_months=months)
    assert r.amounts() == {"temporary_incapacity": expected}
    assert r.item("temporary_incapacity").unconfirmed is unconfirmed


def test_treatment_transport_home_care():
    # treatment: no ceiling -> 150.000.000
    # transport: land 7 jt capped at 5 jt + air 3 jt (cap 10 jt) = 8.000.000
    # home care 25 jt capped at 20 jt × 1 year
    r = benefit(
        "jkk",
        "work_accident",
        "2025-09-15",
        treatment_cost=150_000_000,
        transport_costs=(("land", 7_000_000), ("air", 3_000_000)),
        home_care_cost=25_000_000,
    )
    assert r.amounts() == {
        "treatment": 150_000_000,
        "transport": 8_000_000,
        "home_care": 20_000_000,
    }
    # before PP 82/2019: no home care; transport ceilings from memory (UNCONFIRMED)
    old = benefit(
        "jkk", "work_accident", "2019-06-01", home_care_cost=1, transport_costs=(("sea", 9),)
    )
    assert "home_care" not in old.amounts()
    assert old.item("transport").unconfirmed


def test_scholarship_by_level_two_children_max():
    # child 1: SMP with 1 year done: SMP 2 × 2 jt + SMA 3 × 3 jt + PT 5 × 12 jt = 73 jt
    # child 2: PT with 4 years done: 1 × 12 jt = 12 jt ; child 3 not counted (max 2)
    kids = (
        Child(level="smp", years_done=1),
        Child(level="pt", years_done=4),
        Child(level="sd"),
    )
    r = benefit("jkk", "total_disability", "2025-09-15", children=kids)
    assert r.item("scholarship").amount == 85_000_000
    assert any("anak 3 tidak dihitung" in n for n in r.notes)


def test_scholarship_child_aged_23_or_married_excluded():
    from conftest import d

    kids = (Child(birth_date=d("2000-01-01"), level="pt"), Child(married=True))
    r = benefit("jkk", "work_accident_death", "2025-09-15", children=kids)
    assert "scholarship" not in r.amounts()


def test_bpu_uses_declared_income():
    # BPU, penghasilan 1.000.000: 48 × 1.000.000 = 48.000.000
    r = benefit("jkk", "work_accident_death", "2025-09-15", 1_000_000, segment="bpu")
    assert r.item("death_lump_sum").amount == 48_000_000
