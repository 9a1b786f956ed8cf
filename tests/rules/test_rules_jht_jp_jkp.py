"""JHT (§4), JP (§5) and JKP (§6) golden cases."""

from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import benefit, d

# --- JHT -------------------------------------------------------------------------------


def test_jht_resignation_estimated_balance_and_waiting_period():
    # 5,7% × 5.000.000 = 285.000 per month × 120 months = 34.200.000 (0% crediting)
    r = benefit(
        "jht", "resignation", "2025-09-15", 5_000_000, months_paid=120, claim_date=d("2025-10-15")
    )
    assert r.eligible
    assert r.amounts() == {"jht_balance": 34_200_000}
    assert r.item("jht_balance").unconfirmed  # default crediting-rate assumption
    # claimed before the 1-month wait ends
    early = benefit(
        "jht", "resignation", "2025-09-15", 5_000_000, months_paid=120, claim_date=d("2025-10-14")
    )
    assert not early.eligible
    assert "masa tunggu 1 bulan" in early.reasons[0]
    assert "2025-10-15" in early.reasons[0]


def test_jht_crediting_rate_compounds_monthly():
    # BPU JHT 2% × 5.000.000 = 100.000/month, 12 months, 12%/yr -> 1%/month:
    # FV = 100.000 × ((1,01^12 − 1) / 0,01) = 100.000 × 12,682503… = 1.268.250,30 -> 1.268.250
    r = benefit(
        "jht",
        "stop_working",
        "2025-01-10",
        5_000_000,
        segment="bpu",
        months_paid=12,
        crediting_rate=Decimal(12),
    )
    assert r.item("jht_balance").amount == 1_268_250
    assert not r.item("jht_balance").unconfirmed


@pytest.mark.parametrize(("purpose", "expected"), [("housing", 15_000_000), ("other", 5_000_000)])
def test_jht_partial_withdrawal(purpose, expected):
    # saldo 50 jt; >= 10 years: 30% = 15 jt (housing) or 10% = 5 jt
    r = benefit(
        "jht",
        "partial_withdrawal",
        "2025-09-15",
        balance=50_000_000,
        membership_start=d("2014-01-01"),
        withdrawal_purpose=purpose,
    )
    assert r.amounts() == {"partial_withdrawal": expected}


def test_jht_partial_withdrawal_rules():
    short = benefit(
        "jht",
        "partial_withdrawal",
        "2025-09-15",
        balance=50_000_000,
        membership_start=d("2018-01-01"),
    )
    assert not short.eligible and "kurang dari 10 tahun" in short.reasons[0]
    twice = benefit(
        "jht",
        "partial_withdrawal",
        "2025-09-15",
        balance=50_000_000,
        membership_start=d("2010-01-01"),
        prior_partial_withdrawal=True,
    )
    assert not twice.eligible


def test_jht_retirement_age():
    assert not benefit("jht", "retirement", "2025-09-15", balance=1, age=55).eligible
    assert benefit("jht", "retirement", "2025-09-15", balance=1, age=56).total == 1
    # contract (PKB) retirement age 55 allows payout at 55
    assert benefit(
        "jht", "retirement", "2025-09-15", balance=1, age=55, contract_retirement_age=55
    ).eligible


@pytest.mark.parametrize(
    "event", ["leaving_indonesia", "total_disability", "death", "contract_end", "termination"]
)
def test_jht_other_triggers(event):
    assert benefit("jht", event, "2025-09-15", balance=7_000_000).total == 7_000_000


# --- JP --------------------------------------------------------------------------------


def test_jp_old_age_pension():
    # 180 months of JP are possible from July 2030 only (JP began July 2015).
    # 1% × (180/12) × 5.000.000 = 750.000 per month; retirement age 61 in 2031.
    # The 2031 minimum/maximum are not in the data: not applied, flagged, date named.
    r = benefit("jp", "retirement", "2031-01-15", age=61, months_paid=180, average_wage=5_000_000)
    assert r.amounts() == {"old_age_pension": 750_000}
    assert r.item("old_age_pension").unconfirmed
    assert any("2031-01-15" in n and "minimum/maksimum" in n for n in r.notes)


def test_jp_pension_formula_with_credit_not_flagged_when_bounds_do_not_bind():
    # total disability after 60 months in 60 months of membership: credited 180 months
    # 1% × (180/12) × 5.000.000 = 750.000; 2025 min/max (derived) do not bind -> not flagged
    r = benefit(
        "jp",
        "total_disability",
        "2025-09-15",
        months_paid=60,
        membership_start=d("2020-09-15"),
        average_wage=5_000_000,
    )
    assert r.amounts() == {"disability_pension": 750_000}
    assert not r.item("disability_pension").unconfirmed


@pytest.mark.parametrize(
    ("date", "age", "eligible"),
    [
        ("2024-12-31", 58, True),
        ("2025-01-01", 58, False),
        ("2018-12-31", 56, True),
        ("2019-01-01", 56, False),
        ("2043-01-01", 64, False),
        ("2043-01-01", 65, True),
    ],
)
def test_jp_retirement_age_schedule(date, age, eligible):
    r = benefit("jp", "retirement", date, age=age, months_paid=24, average_wage=5_000_000)
    assert r.eligible is eligible


def test_jp_min_and_max():
    # Before 2030 no member has 180 months of JP: the 15-year credit of a disability
    # pension (60 months paid in 60 months of membership) reaches the bounds instead.
    credit = {"months_paid": 60, "membership_start": d("2018-06-01")}
    # 2023-06: min 383.400, max 4.598.100 (both confirmed)
    # 1% × 15 × 2.000.000 = 300.000 -> raised to 383.400
    lo = benefit("jp", "total_disability", "2023-06-01", average_wage=2_000_000, **credit)
    assert lo.item("disability_pension").amount == 383_400
    # 1% × 15 × 40.000.000 = 6.000.000 -> capped at 4.598.100
    hi = benefit("jp", "total_disability", "2023-06-01", average_wage=40_000_000, **credit)
    assert hi.item("disability_pension").amount == 4_598_100
    # 2025: derived (UNCONFIRMED) minimum binds -> flagged
    lo25 = benefit(
        "jp",
        "total_disability",
        "2025-06-01",
        average_wage=2_000_000,
        months_paid=60,
        membership_start=d("2020-06-01"),
    )
    assert lo25.item("disability_pension").amount == 399_700
    assert lo25.item("disability_pension").unconfirmed


def test_jp_lump_sum_under_15_years():
    # 24 months, 5.000.000 < cap: (2% + 1%) × 5.000.000 = 150.000 × 24 = 3.600.000
    r = benefit(
        "jp",
        "retirement",
        "2025-03-01",
        5_000_000,
        age=59,
        months_paid=24,
        crediting_rate=Decimal(0),
    )
    assert r.amounts() == {"lump_sum": 3_600_000}


def test_jp_lump_sum_follows_monthly_caps():
    # upah 12.000.000, 24 months 2024-01..2025-12:
    # 2024-01..02 cap 9.559.600: 191.192 + 95.596 = 286.788 × 2  =   573.576
    # 2024-03..2025-02 cap 10.042.300: 200.846 + 100.423 = 301.269 × 12 = 3.615.228
    # 2025-03..2025-12 cap 10.547.400: 210.948 + 105.474 = 316.422 × 10 = 3.164.220
    #                                                               total 7.353.024
    r = benefit(
        "jp",
        "retirement",
        "2026-01-01",
        12_000_000,
        age=59,
        months_paid=24,
        crediting_rate=Decimal(0),
    )
    assert r.item("lump_sum").amount == 7_353_024


def test_jp_disability_with_15_year_credit():
    # 60 months paid in 60 months of membership (density 100%) -> credited 180 months
    # 1% × 15 × 4.000.000 = 600.000
    r = benefit(
        "jp",
        "total_disability",
        "2025-01-01",
        months_paid=60,
        membership_start=d("2020-01-01"),
        average_wage=4_000_000,
    )
    assert r.amounts() == {"disability_pension": 600_000}
    # density 30/60 = 50% < 80% -> lump sum of contributions instead
    r2 = benefit(
        "jp",
        "total_disability",
        "2025-01-01",
        4_000_000,
        months_paid=30,
        membership_start=d("2020-01-01"),
        crediting_rate=Decimal(0),
    )
    assert list(r2.amounts()) == ["lump_sum"]


def test_jp_survivor_pension_unconfirmed_share():
    # 60 months paid in 60 months of membership: credited 180 months (UNCONFIRMED rule)
    # 50% (UNCONFIRMED) × 1% × 15 × 5.000.000 = 50% × 750.000 = 375.000
    credit = {"months_paid": 60, "membership_start": d("2018-06-01")}
    r = benefit("jp", "death", "2023-06-01", average_wage=5_000_000, **credit)
    assert r.amounts() == {"survivor_pension": 375_000}
    assert r.item("survivor_pension").unconfirmed
    # parent 20% × 750.000 = 150.000
    p = benefit(
        "jp", "death", "2023-06-01", average_wage=5_000_000, survivor="parent", **credit
    )
    assert p.total == 150_000


def test_jp_indexation_of_benefit():
    # 750.000 (2023-06) × 1,0261 (inflation 2023, in force 2024-03) = 769.575
    #                 × 1,0157 (inflation 2024, in force 2025-03) = 781.657,3275 -> 781.657
    # (disability pension with the 15-year credit: 180 months of JP are impossible in 2023)
    r = benefit(
        "jp",
        "total_disability",
        "2023-06-01",
        months_paid=60,
        membership_start=d("2018-06-01"),
        average_wage=5_000_000,
        index_to=d("2025-06-01"),
    )
    assert r.item("disability_pension").amount == 781_657
    assert r.item("disability_pension").unconfirmed


def test_jp_wage_history_is_indexed():
    # 2023 wage 4.000.000 indexed by inflation 2023 (2,61%) -> 4.104.400 ; 2024 wage
    # 4.104.400 not indexed (event 2024-06) -> average 4.104.400
    # 1% × (180/12) × 4.104.400 = 615.660
    # (disability pension with the 15-year credit: 180 months of JP are impossible in 2024)
    r = benefit(
        "jp",
        "total_disability",
        "2024-06-01",
        months_paid=60,
        membership_start=d("2019-06-01"),
        wage_history=((2023, 4_000_000), (2024, 4_104_400)),
    )
    assert r.item("disability_pension").amount == 615_660


def test_jp_not_for_bpu():
    r = benefit("jp", "retirement", "2025-06-01", segment="bpu", age=60, months_paid=200)
    assert not r.eligible


# --- JKP -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("date", "wage", "expected"),
    [
        # before 7 Feb 2025: (3 × 45% + 3 × 25%) × min(6 jt; 5 jt) = 2,1 × 5 jt = 10.500.000
        ("2025-01-15", 6_000_000, 10_500_000),
        ("2025-02-06", 6_000_000, 10_500_000),
        # from 7 Feb 2025: 6 × 60% × 5 jt = 18.000.000
        ("2025-02-07", 6_000_000, 18_000_000),
        # below the cap: 6 × 60% × 4 jt = 14.400.000 ; old 2,1 × 4 jt = 8.400.000
        ("2025-09-15", 4_000_000, 14_400_000),
        ("2024-09-15", 4_000_000, 8_400_000),
    ],
)
def test_jkp_cash_benefit(date, wage, expected):
    r = benefit(
        "jkp", "job_loss", date, wage, months_paid_24=20, consecutive_months=8, registration_age=40
    )
    assert r.eligible, r.reasons
    assert r.amounts() == {"cash_benefit": expected}


def test_jkp_qualifying_conditions():
    r = benefit(
        "jkp",
        "job_loss",
        "2025-09-15",
        months_paid_24=11,
        consecutive_months=5,
        registration_age=54,
    )
    assert not r.eligible
    text = " | ".join(r.reasons)
    assert "kurang dari 12 bulan" in text
    assert "kurang dari 6 bulan" in text
    assert "di bawah 54 tahun" in text


def test_jkp_claim_deadline_3_then_6_months():
    old = benefit("jkp", "job_loss", "2025-01-15", months_paid_24=24, claim_date=d("2025-04-16"))
    assert not old.eligible and "3 bulan" in old.reasons[0]
    new = benefit("jkp", "job_loss", "2025-03-01", months_paid_24=24, claim_date=d("2025-08-15"))
    assert new.eligible


def test_jkp_arrears_and_bankrupt_employer():
    base = {"months_paid_24": 24}
    assert not benefit("jkp", "job_loss", "2025-09-15", arrears_months=2, **base).eligible
    assert benefit(
        "jkp", "job_loss", "2025-09-15", arrears_months=2, employer_bankrupt=True, **base
    ).eligible
    assert not benefit(
        "jkp", "job_loss", "2025-09-15", arrears_months=7, employer_bankrupt=True, **base
    ).eligible


def test_jkp_not_for_bpu_nor_before_programme():
    assert not benefit("jkp", "job_loss", "2025-09-15", segment="bpu", months_paid_24=24).eligible
    r = benefit("jkp", "job_loss", "2020-06-01", months_paid_24=24)
    assert not r.eligible and "belum berlaku" in r.reasons[0]
