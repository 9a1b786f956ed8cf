"""Estimated individual-account balances (JHT; JP lump sum) from a contribution history."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ._ctx import add_months, first_of_month
from .contributions import ContributionFacts, compute_contributions
from .money import num, pct, rp
from .params import MissingParameterError, ParameterSet

TWELVE = Decimal(12)
HUNDRED = Decimal(100)


def estimate_balance(
    params: ParameterSet | None,
    *,
    program: str,
    segment: str,
    wage: int,
    months: int,
    event_date: dt.date,
    annual_rate: Decimal,
) -> tuple[Decimal, str, int]:
    """Sum the monthly contributions of ``program`` for the ``months`` contribution months
    before the event month, crediting ``annual_rate`` % a year compounded monthly
    (balance × (1 + r/12) + contribution, each month).  Contributions are computed by the
    scalar contribution engine month by month, so caps and rates follow their dates.
    Months before the programme existed are skipped.  Returns (exact, basis, months used).
    """
    end = first_of_month(event_date)
    start = add_months(end, -months)
    monthly_rate = annual_rate / HUNDRED / TWELVE
    balance = Decimal(0)
    used = 0
    first_amount = last_amount = 0
    for k in range(months):
        month = add_months(start, k)
        facts = ContributionFacts(month, segment, wage, frozenset({program}))
        try:
            amount = compute_contributions(facts, params).total
        except MissingParameterError:
            continue  # before the programme started
        if used == 0:
            first_amount = amount
        last_amount = amount
        balance = balance * (1 + monthly_rate) + amount
        used += 1
    if first_amount == last_amount:
        contrib = f"{used} bulan × iuran {program.upper()} {rp(last_amount)}"
    else:
        contrib = (
            f"{used} bulan iuran {program.upper()} (dari {rp(first_amount)} hingga "
            f"{rp(last_amount)} per bulan)"
        )
    basis = (
        f"taksiran saldo: {contrib} atas upah {rp(wage)}, hasil pengembangan "
        f"{pct(annual_rate)} per tahun (bulanan {num(annual_rate)}%/12)"
    )
    return balance, basis, used
