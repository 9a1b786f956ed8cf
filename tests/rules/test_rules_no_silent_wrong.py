"""Issue 11: no silent wrong rupiah.  Every amount is right, flagged with the months
concerned, or refused with an error naming the input (docs/rules.md, "Extrapolation
policy" and "Plausibility bounds").  Arithmetic by hand in the comments."""

from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import benefit, contrib, d
from jamsos.rules import InputError, MissingParameterError, bounds
from jamsos.rules._ctx import add_months

ZERO = Decimal(0)


# --- 1. no silent extrapolation: JP lump sum ---------------------------------------------


def test_jp_lump_sum_counts_every_month_and_flags_months_without_cap():
    # Issue example: retirement 2027-06-01 after 24 months at Rp 5.000.000.
    # Months 2025-06..2027-05; the JP wage cap is in the data up to 2027-02 (max_months),
    # 2027-03..2027-05 are computed with the 2027-02 figures (the cap does not bind).
    # 24 × (2% + 1%) × 5.000.000 = 24 × 150.000 = 3.600.000
    r = benefit("jp", "retirement", "2027-06-01", 5_000_000, age=60, months_paid=24,
                crediting_rate=ZERO)
    item = r.item("lump_sum")
    assert item.amount == 3_600_000
    assert item.unconfirmed
    note = next(n for n in r.notes if "jp.wage_cap" in n)
    assert "2027-03 s.d. 2027-05" in note and "3 bulan" in note and "2027-02" in note
    assert "24 bulan" in item.basis


def test_jp_lump_sum_inside_the_data_is_not_flagged():
    # the other side of the boundary: event 2027-03-01, months 2025-03..2027-02 all in data
    r = benefit("jp", "retirement", "2027-03-01", 5_000_000, age=60, months_paid=24,
                crediting_rate=ZERO)
    assert r.item("lump_sum").amount == 3_600_000
    assert not r.item("lump_sum").unconfirmed
    assert not any("belum ada dalam data" in n for n in r.notes)
    # one month later, exactly one month (2027-03) is stated
    r = benefit("jp", "retirement", "2027-04-01", 5_000_000, age=60, months_paid=24,
                crediting_rate=ZERO)
    assert r.item("lump_sum").amount == 3_600_000
    assert r.item("lump_sum").unconfirmed
    assert any("bulan 2027-03 (1 bulan)" in n for n in r.notes)


def test_jp_lump_sum_above_the_last_cap_uses_the_last_cap_and_says_so():
    # wage 20 jt > last cap 11.086.300 (from 2026-03): 3% × 11.086.300 = 332.589 a month
    # months 2026-03..2027-02 in data, 2027-03..2027-05 stated with the same cap:
    # 15 × 332.589 = 4.988.835, cap months 2025-06..2026-02 (10.547.400): 3% = 316.422 × 9
    # = 2.847.798  -> total 7.836.633
    r = benefit("jp", "retirement", "2027-06-01", 20_000_000, age=60, months_paid=24,
                crediting_rate=ZERO)
    assert r.item("lump_sum").amount == 15 * 332_589 + 9 * 316_422
    assert r.item("lump_sum").unconfirmed


def test_jp_months_beyond_the_programme_are_refused():
    # JP began July 2015: before 2025-07-01 the months 2015-07..2025-06 are 120
    # 120 × 150.000 = 18.000.000 (the 2015-07..2016-02 cap 7 jt does not bind)
    ok = benefit("jp", "retirement", "2025-07-01", 5_000_000, age=60, months_paid=120,
                 crediting_rate=ZERO)
    assert ok.item("lump_sum").amount == 120 * 150_000
    assert not ok.item("lump_sum").unconfirmed
    with pytest.raises(InputError) as e:
        benefit("jp", "retirement", "2025-07-01", 5_000_000, age=60, months_paid=121)
    assert e.value.option == "--months-paid"
    assert "2015-07" in str(e.value)
    # issue example: 200 months of JP by 2025
    with pytest.raises(InputError):
        benefit("jp", "retirement", "2025-06-01", age=60, months_paid=200)


def test_jp_months_count_from_july_2015_for_an_older_member():
    # member since 2010: JP months 2015-07-01 -> 2025-07-01 = 120 completed months,
    # 120 × 150.000 = 18.000.000 (the 2015-07..2016-02 cap 7 jt does not bind)
    r = benefit("jp", "retirement", "2025-07-01", 5_000_000, age=60,
                membership_start=d("2010-01-01"), crediting_rate=ZERO)
    assert r.item("lump_sum").amount == 120 * 150_000
    assert not r.item("lump_sum").unconfirmed


def test_jp_disability_density_counts_jp_months_only():
    # member since 2010, 60 JP months paid by 2021-01-01: JP membership 2015-07..2021-01 =
    # 66 months -> density 90,9% >= 80% -> credit 180 (counting from 2010 it would be 45%)
    r = benefit("jp", "total_disability", "2021-01-01", months_paid=60,
                membership_start=d("2010-01-01"), average_wage=4_000_000)
    assert list(r.amounts()) == ["disability_pension"]


def test_jp_average_wage_cap_after_the_data_is_stated_and_flagged():
    # disability 2027-06-01, wage 20 jt, no wage history: the cap for 2027-06 is not in
    # the data; the 2026-03 cap (11.086.300) is used, flagged, and the note names the month.
    # 1% × 15 × 11.086.300 = 1.662.945
    kw = {"months_paid": 60, "membership_start": d("2022-06-01")}
    r = benefit("jp", "total_disability", "2027-06-01", 20_000_000, **kw)
    assert r.item("disability_pension").amount == 1_662_945
    assert r.item("disability_pension").unconfirmed
    assert any("2027-06" in n and "batas upah JP" in n for n in r.notes)
    # inside the data (2027-02): same cap, no such note
    r = benefit("jp", "total_disability", "2027-02-01", 20_000_000, months_paid=60,
                membership_start=d("2022-02-01"))
    assert not any("batas upah JP" in n for n in r.notes)


def test_contribution_of_a_month_without_parameters_is_refused():
    # a bill is never estimated: the contribution engine refuses 2027-03 (cap missing)
    assert contrib("2027-02", "pu", 5_000_000, "jp").total == 150_000
    with pytest.raises(MissingParameterError) as e:
        contrib("2027-03", "pu", 5_000_000, "jp")
    assert e.value.name == "jp.wage_cap"


# --- 1. no silent extrapolation: JHT before the data -------------------------------------


def test_jht_months_before_the_data_are_stated_with_the_july_2015_rate():
    # resignation 2015-09-01, 4 months 2015-05..2015-08; 2015-05 and 2015-06 are before the
    # data (JHT rates from 2015-07) and use the 2015-07 rate: 5,7% × 4.000.000 = 228.000
    # 4 × 228.000 = 912.000
    r = benefit("jht", "resignation", "2015-09-01", 4_000_000, months_paid=4,
                claim_date=d("2015-10-01"), crediting_rate=ZERO)
    assert r.item("jht_balance").amount == 912_000
    assert r.item("jht_balance").unconfirmed
    assert any("2015-05 s.d. 2015-06" in n and "2015-07" in n for n in r.notes)
    # the other side: 2 months (2015-07..2015-08) are all in the data
    r = benefit("jht", "resignation", "2015-09-01", 4_000_000, months_paid=2,
                claim_date=d("2015-10-01"), crediting_rate=ZERO)
    assert r.item("jht_balance").amount == 456_000
    assert not r.item("jht_balance").unconfirmed


# --- 2. eligibility counts the programme's own months -------------------------------------


def test_jkp_before_twelve_jkp_months_is_not_payable():
    # Issue example: PHK 2021-06-01, member since 2015.  JKP contributions began Feb 2021:
    # Feb..May 2021 = 4 months in the last 24 < 12.
    r = benefit("jkp", "job_loss", "2021-06-01", 4_000_000, membership_start=d("2015-01-01"),
                registration_age=30)
    assert not r.eligible
    assert any("iuran 4 bulan" in reason for reason in r.reasons)
    # months_paid is the masa iur of the case's programme: 4 JKP months are not enough,
    # 72 are impossible and refused
    r = benefit("jkp", "job_loss", "2021-06-01", 4_000_000, months_paid=4)
    assert not r.eligible
    with pytest.raises(InputError) as e:
        benefit("jkp", "job_loss", "2021-06-01", 4_000_000, months_paid=72)
    assert e.value.option == "--months-paid"


@pytest.mark.parametrize(("date", "eligible"), [("2022-01-31", False), ("2022-02-01", True)])
def test_jkp_first_possible_claim_boundary(date, eligible):
    # PHK 2022-02-01: Feb 2021..Jan 2022 = 12 JKP months -> payable; one day earlier: 11.
    # 45% × 3 × 4.000.000 + 25% × 3 × 4.000.000 = 5.400.000 + 3.000.000 = 8.400.000
    r = benefit("jkp", "job_loss", date, 4_000_000, membership_start=d("2015-01-01"),
                registration_age=30)
    assert r.eligible is eligible
    if eligible:
        assert r.total == 8_400_000


def test_jkp_months_given_beyond_the_programme_are_refused():
    with pytest.raises(InputError) as e:
        benefit("jkp", "job_loss", "2021-06-01", months_paid_24=20, consecutive_months=8)
    assert e.value.option == "--months-paid-24"
    assert "2021-02" in str(e.value)
    with pytest.raises(InputError) as e:
        benefit("jkp", "job_loss", "2021-12-01", months_paid_24=10, consecutive_months=11)
    assert e.value.option == "--consecutive-months"


def test_months_paid_cannot_exceed_membership():
    # member since 2025-01-15: months before the event month 2025-01..2025-05 = 5
    benefit("jht", "death", "2025-06-01", months_paid=5, membership_start=d("2025-01-15"))
    with pytest.raises(InputError) as e:
        benefit("jht", "death", "2025-06-01", months_paid=6, membership_start=d("2025-01-15"))
    assert e.value.option == "--months-paid"


def test_bpu_is_refused_where_the_programme_does_not_apply():
    assert not benefit("jp", "death", "2025-06-01", segment="bpu", months_paid=12).eligible
    r = benefit("jkp", "job_loss", "2025-06-01", segment="bpu", months_paid_24=24)
    assert not r.eligible


# --- 3. plausibility bounds ----------------------------------------------------------------


@pytest.mark.parametrize("wage", [10**15, 10**27, bounds.MAX_WAGE + 1])
def test_implausible_wage_is_refused(wage):
    with pytest.raises(InputError) as e:
        benefit("jkk", "work_accident_death", "2025-06-01", wage)
    assert e.value.option == "--wage"
    assert "batas wajar" in str(e.value)


def test_wage_at_the_bound_is_computed():
    # 48 × 1.000.000.000 = 48.000.000.000
    r = benefit("jkk", "work_accident_death", "2025-06-01", bounds.MAX_WAGE)
    assert r.item("death_lump_sum").amount == 48 * bounds.MAX_WAGE
    with pytest.raises(InputError):
        contrib("2025-06", "pu", bounds.MAX_WAGE + 1, "jht")
    assert contrib("2025-06", "pu", bounds.MAX_WAGE, "jht").total == 57_000_000


def test_incapacity_months_bound():
    r = benefit("jkk", "temporary_incapacity", "2025-06-01", 1_000_000,
                incapacity_months=bounds.MAX_INCAPACITY_MONTHS)
    # 12 × 100% + 108 × 50% = 66 × 1.000.000
    assert r.item("temporary_incapacity").amount == 66_000_000
    for months in (bounds.MAX_INCAPACITY_MONTHS + 1, 99_999_999):
        with pytest.raises(InputError) as e:
            benefit("jkk", "temporary_incapacity", "2025-06-01", incapacity_months=months)
        assert e.value.option == "--incapacity-months"


@pytest.mark.parametrize(
    ("kw", "option"),
    [
        ({"months_paid": bounds.MAX_MONTHS + 1}, "--months-paid"),
        ({"age": 12}, "--age"),
        ({"age": 101}, "--age"),
        ({"birth_date": d("2020-01-01")}, "--birth-date"),
        ({"balance": bounds.MAX_BALANCE + 1}, "--balance"),
        ({"crediting_rate": Decimal(31)}, "--crediting-rate"),
        ({"claim_date": d("2025-05-31")}, "--claim-date"),
        ({"membership_start": d("1970-01-01")}, "--membership-start"),
        ({"index_to": d("2101-01-01")}, "--index-to"),
    ],
)
def test_out_of_bound_facts_name_the_option(kw, option):
    with pytest.raises(InputError) as e:
        benefit("jht", "resignation", "2025-06-01", **kw)
    assert e.value.option == option


def test_event_date_bound():
    with pytest.raises(InputError) as e:
        benefit("jkm", "death", "2101-01-01")
    assert e.value.option == "--event-date"
    benefit("jkm", "death", "2100-12-31")


def test_months_paid_at_the_global_bound_is_accepted():
    benefit("jht", "death", "2075-06-01", 1_000_000, months_paid=bounds.MAX_MONTHS,
            crediting_rate=ZERO)


def test_children_bounds():
    from jamsos.rules import Child

    with pytest.raises(InputError) as e:
        benefit("jkm", "death", "2025-06-01", children=(Child(),) * (bounds.MAX_CHILDREN + 1))
    assert e.value.option == "--children"
    with pytest.raises(InputError):
        benefit("jkm", "death", "2025-06-01", months_paid=60,
                children=(Child(d("2015-01-01"), "sd", bounds.MAX_YEARS_DONE + 1),))
    # a child born within 10 months after the death counts; later is refused
    benefit("jkm", "death", "2025-06-01", months_paid=60,
            children=(Child(add_months(d("2025-06-01"), 9)),))
    with pytest.raises(InputError):
        benefit("jkm", "death", "2025-06-01", months_paid=60,
                children=(Child(add_months(d("2025-06-01"), 11)),))
