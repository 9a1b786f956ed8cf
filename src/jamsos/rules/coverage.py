"""Universal coverage (issue 17): who counts as of working age, and what covering one
pekerja rentan as BPU costs a year. Pure Python, like the rest of the engine."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ._ctx import add_months, first_of_month
from .contributions import ContributionFacts, compute_contributions
from .params import ParameterSet, ParamValue, default_parameters

#: Lowest declared income of a BPU member (JKK Rp10.000 + JKM Rp6.800 = Rp16.800 a month).
LOWEST_BPU_INCOME = 1_000_000


def years_before(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` earlier; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


@dataclass(frozen=True)
class WorkingAge:
    min_age: int
    max_age: int
    born_after: dt.date  # exclusive: older people are past the working age
    born_on_or_before: dt.date  # inclusive: younger people are not yet of working age
    param: ParamValue

    @property
    def unconfirmed(self) -> bool:
        return self.param.unconfirmed


def working_age(on: dt.date, params: ParameterSet | None = None) -> WorkingAge:
    """The working-age band on ``on`` and the birth dates it means: a person is of working
    age when ``born_after < birth_date <= born_on_or_before`` (age in full years, from the
    birthday; born 29 February: from 1 March in other years)."""
    params = params or default_parameters()
    pv = params.get("eligibility.working_age", on)
    lo, hi = int(pv.value["min"]), int(pv.value["max"])
    return WorkingAge(lo, hi, years_before(on, hi + 1), years_before(on, lo), pv)


def age_on(birth_date: dt.date, on: dt.date) -> int:
    """Full years of age on ``on`` (the scalar rule behind :func:`working_age`)."""
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


@dataclass(frozen=True)
class AnnualPremium:
    amount: int  # whole rupiah, 12 months from ``start``
    monthly: tuple[int, ...]
    citations: tuple[str, ...]
    unconfirmed: bool


def bpu_annual_premium(start: dt.date, income: int = LOWEST_BPU_INCOME,
                       params: ParameterSet | None = None) -> AnnualPremium:
    """JKK + JKM for one BPU member paid by the regency, 12 contribution months from the
    month of ``start``, at the declared ``income``: Rp16.800 × 12 = Rp201.600 at the lowest
    band under today's rates."""
    params = params or default_parameters()
    month = first_of_month(start)
    monthly, cites, unconfirmed = [], set(), False
    for i in range(12):
        result = compute_contributions(ContributionFacts(
            add_months(month, i), "bpu", income, frozenset({"jkk", "jkm"}),
            bpu_payer="government"), params)
        monthly.append(sum(item.amount for item in result.items))
        for item in result.items:
            cites.add(item.citation)
            unconfirmed = unconfirmed or item.unconfirmed
    return AnnualPremium(sum(monthly), tuple(monthly), tuple(sorted(cites)), unconfirmed)
