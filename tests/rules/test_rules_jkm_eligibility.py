"""JKM golden cases (regulations.md §2) and shared eligibility (§3)."""

from __future__ import annotations

from conftest import benefit, d
from jamsos.rules import Child


def test_jkm_death_2025():
    # 20 jt + 24 × 500.000 + 10 jt = 42.000.000
    r = benefit("jkm", "death", "2025-09-15", membership_start=d("2020-01-01"))
    assert r.amounts() == {
        "death_lump_sum": 20_000_000,
        "periodic_benefit": 12_000_000,
        "funeral": 10_000_000,
    }
    assert r.total == 42_000_000
    assert not r.unconfirmed


def test_jkm_scholarship_needs_three_years():
    kids = (Child(), Child())
    # 2022-09-01 → 2025-09-15: 36 full months -> scholarship 2 × 87 jt = 174 jt
    ok = benefit("jkm", "death", "2025-09-15", membership_start=d("2022-09-01"), children=kids)
    assert ok.item("scholarship").amount == 174_000_000
    assert ok.total == 42_000_000 + 174_000_000
    # 35 months -> no scholarship, reason in notes
    short = benefit("jkm", "death", "2025-09-15", months_paid=35, children=kids)
    assert "scholarship" not in short.amounts()
    assert any("kurang dari 36 bulan" in n for n in short.notes)


def test_jkm_before_pp82_2019():
    # 16,2 jt + 24 × 200.000 (4,8 jt, UNCONFIRMED vs 6 jt) + 3 jt = 24.000.000
    # scholarship Rp12 jt, one child, 5-year minimum (UNCONFIRMED)
    r = benefit("jkm", "death", "2019-06-01", months_paid=72, children=(Child(), Child()))
    assert r.amounts() == {
        "death_lump_sum": 16_200_000,
        "periodic_benefit": 4_800_000,
        "funeral": 3_000_000,
        "scholarship": 12_000_000,
    }
    assert r.item("periodic_benefit").unconfirmed
    assert r.item("scholarship").unconfirmed


def test_jkm_death_in_first_three_months_2025_rule():
    # Permenaker 1/2025 (UNCONFIRMED details): membership 2025-08-01, death 2025-09-15
    # = 1 full month < 3 -> only Rp10.000.000
    r = benefit("jkm", "death", "2025-09-15", membership_start=d("2025-08-01"))
    assert r.eligible
    assert r.amounts() == {"funeral": 10_000_000}
    assert r.item("funeral").unconfirmed
    # exactly 3 months -> full 42 jt
    full = benefit("jkm", "death", "2025-11-01", membership_start=d("2025-08-01"))
    assert full.total == 42_000_000
    # in 2024 the rule was not yet in force -> full 42 jt after 1 month
    assert benefit("jkm", "death", "2024-09-15", membership_start=d("2024-08-01")).total == (
        42_000_000
    )


def test_bpu_lapse_after_three_months_arrears():
    r = benefit("jkm", "death", "2025-09-15", 1_000_000, segment="bpu", arrears_months=3)
    assert not r.eligible
    assert r.reasons == ("kepesertaan tidak aktif pada tanggal kejadian: menunggak 3 bulan",)
    assert r.items == ()
    assert r.total == 0


def test_bpu_two_months_arrears_still_covered_but_unconfirmed():
    r = benefit("jkm", "death", "2025-09-15", 1_000_000, segment="bpu", arrears_months=2)
    assert r.eligible and r.total == 42_000_000
    assert all(i.unconfirmed for i in r.items)


def test_event_before_membership_start():
    r = benefit("jkk", "work_accident_death", "2025-01-01", membership_start=d("2025-02-01"))
    assert not r.eligible
    assert "kepesertaan tidak aktif pada tanggal kejadian" in r.reasons[0]


def test_event_after_membership_end():
    r = benefit("jkm", "death", "2025-09-15", membership_end=d("2025-06-30"))
    assert not r.eligible
