"""Plausibility bounds on every input of the engine: the one place they are defined.

The CLI, the web calculator, the API and every import use these constants (directly or
through :func:`check_case` / :func:`check_contribution`, which :func:`compute_benefit` and
:func:`compute_contributions` call).  Each bound is cited or reasoned in docs/rules.md
("Plausibility bounds").  A value outside a bound is refused with an :class:`InputError`
in Bahasa Indonesia that names the option; it is never computed.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from .model import InputError
from .money import rp

if TYPE_CHECKING:  # pragma: no cover
    from .contributions import ContributionFacts
    from .model import CaseFacts

#: Monthly wage (PU) or declared income (BPU): about 270 × UMK OKI 2025 (Rp 3.681.571).
#: Anything larger is a typing error (extra zeros); the same bound as the worker import.
MAX_WAGE = 1_000_000_000
#: A single cost (treatment, transport, home care): far above any hospital bill in Indonesia.
MAX_COST = 10_000_000_000
#: A JHT balance or JP accumulated contributions: 5,7% × MAX_WAGE × MAX_MONTHS ≈ Rp 41 miliar,
#: with generous returns well under Rp 1 triliun.
MAX_BALANCE = 1_000_000_000_000
#: Months of contributions / membership: a working life of 60 years.
MAX_MONTHS = 720
#: STMB months: paid until recovery, disability or death; ten years is the bound
#: (a case that long is decided as total disability).
MAX_INCAPACITY_MONTHS = 120
#: Children of one participant (the engine pays scholarships for at most 2).
MAX_CHILDREN = 20
#: Years of a school level already done (the longest level, SD, has 6).
MAX_YEARS_DONE = 6
#: Age of a participant (UU 13/2003 Pasal 69: light work from 13 years).
AGE_RANGE = (13, 100)
#: Annual crediting rate for an estimated balance (%): no Indonesian deposit rate since
#: 2000 came near it.
MAX_CREDITING_RATE = Decimal(30)
#: Any date given to the engine.
EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2100, 12, 31)
#: Membership cannot start before ASTEK (PP 33/1977), the first workers' social insurance.
EARLIEST_MEMBERSHIP = dt.date(1977, 1, 1)
#: A child may be born after the event (conceived before it): about ten months.
POSTHUMOUS_DAYS = 300


def _int(v: object) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def check_amount(value: object, option: str, maximum: int, what: str) -> None:
    if not _int(value) or value < 0:  # type: ignore[operator]
        raise InputError(option, f"{what} harus bilangan bulat rupiah >= 0")
    if value > maximum:  # type: ignore[operator]
        raise InputError(
            option, f"{what} {rp(value)} di luar batas wajar (paling banyak {rp(maximum)})"  # type: ignore[arg-type]
        )


def check_wage(value: object, option: str = "--wage") -> None:
    check_amount(value, option, MAX_WAGE, "upah")


def check_count(value: object, option: str, maximum: int, what: str = "jumlah bulan") -> None:
    if not _int(value) or value < 0:  # type: ignore[operator]
        raise InputError(option, f"{what} harus bilangan bulat >= 0")
    if value > maximum:  # type: ignore[operator]
        raise InputError(option, f"{what} {value} di luar batas wajar (paling banyak {maximum})")


def check_date(value: object, option: str) -> None:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise InputError(option, "harus tanggal (YYYY-MM-DD)")
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise InputError(
            option,
            f"tanggal {value.isoformat()} di luar batas wajar ({EARLIEST_DATE.isoformat()} s.d. "
            f"{LATEST_DATE.isoformat()})",
        )


def check_percent(value: object, option: str, maximum: Decimal = Decimal(100)) -> None:
    if not isinstance(value, (int, float, Decimal)) or isinstance(value, bool):
        raise InputError(option, "harus angka persen")
    d = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    if not d.is_finite() or not 0 <= d <= maximum:
        raise InputError(option, f"persen harus antara 0 dan {maximum}")


def check_age(value: object, option: str) -> None:
    lo, hi = AGE_RANGE
    if not _int(value) or not lo <= value <= hi:  # type: ignore[operator]
        raise InputError(option, f"usia harus bilangan bulat {lo}–{hi} tahun")


def check_case(f: CaseFacts) -> None:
    """Bounds on the facts of a benefit case (types and ranges, not eligibility)."""
    check_date(f.event_date, "--event-date")
    check_wage(f.wage)
    for name, d in (
        ("--membership-start", f.membership_start),
        ("--membership-end", f.membership_end),
        ("--birth-date", f.birth_date),
        ("--claim-date", f.claim_date),
        ("--index-to", f.index_to),
    ):
        if d is not None:
            check_date(d, name)
    if f.membership_start is not None and f.membership_start < EARLIEST_MEMBERSHIP:
        raise InputError(
            "--membership-start",
            f"kepesertaan tidak mungkin dimulai sebelum {EARLIEST_MEMBERSHIP.year} (ASTEK)",
        )
    if f.birth_date is not None:
        if f.birth_date > f.event_date:
            raise InputError("--birth-date", "tanggal lahir sesudah tanggal kejadian")
        from ._ctx import age_on

        check_age(age_on(f.birth_date, f.event_date), "--birth-date")
    if f.age is not None:
        check_age(f.age, "--age")
    if f.claim_date is not None and f.claim_date < f.event_date:
        raise InputError("--claim-date", "tanggal pengajuan sebelum tanggal kejadian")
    for name, v in (("--months-paid", f.months_paid), ("--arrears-months", f.arrears_months)):
        if v is not None:
            check_count(v, name, MAX_MONTHS)
    check_count(f.incapacity_months, "--incapacity-months", MAX_INCAPACITY_MONTHS)
    for name, v in (("--months-paid-24", f.months_paid_24),
                    ("--consecutive-months", f.consecutive_months)):
        if v is not None:
            check_count(v, name, MAX_MONTHS)
    if f.months_paid_24 is not None and f.months_paid_24 > 24:
        raise InputError("--months-paid-24", "paling banyak 24 bulan dalam 24 bulan terakhir")
    for name, v in (("--registration-age", f.registration_age),
                    ("--contract-retirement-age", f.contract_retirement_age)):
        if v is not None:
            check_age(v, name)
    for name, v in (("--treatment-cost", f.treatment_cost),
                    ("--home-care-cost", f.home_care_cost)):
        check_amount(v, name, MAX_COST, "biaya")
    for _, cost in f.transport_costs:
        check_amount(cost, "--transport", MAX_COST, "biaya")
    if f.balance is not None:
        check_amount(f.balance, "--balance", MAX_BALANCE, "saldo")
    if f.average_wage is not None:
        check_wage(f.average_wage, "--average-wage")
    for year, monthly in f.wage_history:
        if not _int(year) or not 2015 <= year <= f.event_date.year:
            raise InputError("--wage-history", f"tahun {year} di luar masa program JP (2015–"
                             f"{f.event_date.year})")
        check_wage(monthly, "--wage-history")
    for name, p in (("--disability-percent", f.disability_percent),
                    ("--function-loss-percent", f.function_loss_percent)):
        if p is not None:
            check_percent(p, name)
    if f.crediting_rate is not None:
        check_percent(f.crediting_rate, "--crediting-rate", MAX_CREDITING_RATE)
    if len(f.children) > MAX_CHILDREN:
        raise InputError("--children", f"paling banyak {MAX_CHILDREN} anak")
    for ch in f.children:
        check_count(ch.years_done, "--child", MAX_YEARS_DONE, "tahun jenjang yang sudah dijalani")
        if ch.birth_date is not None:
            check_date(ch.birth_date, "--child")
            if ch.birth_date > f.event_date + dt.timedelta(days=POSTHUMOUS_DAYS):
                raise InputError("--child", "anak lahir lebih dari 10 bulan sesudah kejadian")
            if f.birth_date is not None and ch.birth_date <= f.birth_date:
                raise InputError("--child", "anak lahir sebelum peserta")


def check_contribution(f: ContributionFacts) -> None:
    check_wage(f.wage)
    check_date(f.month, "--month")
