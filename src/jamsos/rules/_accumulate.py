"""Estimated individual-account balances (JHT; JP lump sum) from a contribution history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from weakref import WeakKeyDictionary

from ._ctx import add_months, first_of_month
from .bounds import EARLIEST_MEMBERSHIP, LATEST_DATE
from .contributions import ContributionFacts, compute_contributions
from .money import num, pct, rp
from .params import MissingParameterError, ParameterSet, default_parameters

TWELVE = Decimal(12)
HUNDRED = Decimal(100)


@dataclass
class Estimate:
    """An estimated balance.  ``stated`` lists the months whose contribution parameters are
    not in the data: each was computed with the parameters of the nearest month that has
    them (``stated_from``), and the item must be flagged unconfirmed (docs/rules.md,
    "Extrapolation policy")."""

    exact: Decimal
    basis: str
    months: int
    stated: list[dt.date] = field(default_factory=list)
    stated_from: dict[dt.date, dt.date] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)  # parameter names

    def note(self, program: str) -> str | None:
        if not self.stated:
            return None
        spans = _spans(self.stated)
        refs = sorted(set(self.stated_from.values()))
        ref_txt = " dan ".join(f"{r:%Y-%m}" for r in refs)
        return (
            f"iuran {program.upper()} bulan {spans} ({len(self.stated)} bulan): parameter "
            f"{', '.join(self.missing)} belum ada dalam data; dihitung dengan nilai bulan "
            f"{ref_txt} (belum dikonfirmasi)"
        )


def _spans(months: list[dt.date]) -> str:
    """``2027-03 s.d. 2027-05, 2027-08``."""
    out: list[str] = []
    start = prev = months[0]
    for m in [*months[1:], None]:
        if m is not None and m == add_months(prev, 1):
            prev = m
            continue
        out.append(f"{start:%Y-%m}" if start == prev else f"{start:%Y-%m} s.d. {prev:%Y-%m}")
        if m is not None:
            start = prev = m
    return ", ".join(out)


def _works(params: ParameterSet | None, program: str, segment: str, month: dt.date) -> bool:
    try:
        compute_contributions(ContributionFacts(month, segment, 0, frozenset({program})), params)
    except MissingParameterError:
        return False
    return True


def _first_month(params: ParameterSet | None, program: str, segment: str) -> dt.date | None:
    m = EARLIEST_MEMBERSHIP
    while m <= LATEST_DATE:
        if _works(params, program, segment, m):
            return m
        m = add_months(m, 1)
    return None


#: per parameter set and (programme, segment): the first month with parameters, and for
#: each month looked up the nearest earlier month that has them
_REFS: WeakKeyDictionary[ParameterSet, dict] = WeakKeyDictionary()


def _nearest_month(params: ParameterSet | None, program: str, segment: str, month: dt.date
                   ) -> dt.date | None:
    """The nearest month with the parameters of ``program``: the latest one before
    ``month``, or for months before the data the first one."""
    ps = params if params is not None else default_parameters()
    cache = _REFS.setdefault(ps, {}).setdefault((program, segment), {})
    if "first" not in cache:
        cache["first"] = _first_month(ps, program, segment)
    first = cache["first"]
    if first is None:
        return None
    if month < first:
        return first
    seen = []
    m = month
    while m not in cache:
        seen.append(m)
        m = add_months(m, -1)
        if _works(ps, program, segment, m):
            cache[m] = m
            break
    ref = cache[m]
    for k in seen:
        cache[k] = ref
    return ref


def _nearest(params: ParameterSet | None, program: str, segment: str, wage: int,
             month: dt.date) -> tuple[dt.date | None, int]:
    ref = _nearest_month(params, program, segment, month)
    if ref is None:
        return None, 0
    facts = ContributionFacts(ref, segment, wage, frozenset({program}))
    return ref, compute_contributions(facts, params).total


def estimate_balance(
    params: ParameterSet | None,
    *,
    program: str,
    segment: str,
    wage: int,
    months: int,
    event_date: dt.date,
    annual_rate: Decimal,
) -> Estimate:
    """Sum the monthly contributions of ``program`` for the ``months`` contribution months
    before the event month, crediting ``annual_rate`` % a year compounded monthly
    (balance × (1 + r/12) + contribution, each month).  Contributions are computed by the
    scalar contribution engine month by month, so caps and rates follow their dates.

    A month whose parameters are missing is never skipped: it is computed with the
    parameters of the nearest month that has them (the last one before it, or for months
    before the data starts the first one after it) and reported in ``Estimate.stated``.
    If no month has parameters, :class:`MissingParameterError` is raised.
    """
    end = first_of_month(event_date)
    start = add_months(end, -months)
    monthly_rate = annual_rate / HUNDRED / TWELVE
    month_list = [add_months(start, k) for k in range(months)]
    amounts: list[int | None] = []
    missing: dict[str, None] = {}
    first_error: MissingParameterError | None = None
    for month in month_list:
        facts = ContributionFacts(month, segment, wage, frozenset({program}))
        try:
            amounts.append(compute_contributions(facts, params).total)
        except MissingParameterError as exc:
            amounts.append(None)
            missing[exc.name] = None
            first_error = first_error or exc
    stated: list[dt.date] = []
    stated_from: dict[dt.date, dt.date] = {}
    for i, a in enumerate(amounts):
        if a is None:
            ref, amount = _nearest(params, program, segment, wage, month_list[i])
            if ref is None:
                assert first_error is not None
                raise first_error
            amounts[i] = amount
            stated.append(month_list[i])
            stated_from[month_list[i]] = ref
    balance = Decimal(0)
    for a in amounts:
        balance = balance * (1 + monthly_rate) + (a or 0)
    vals = [a for a in amounts if a is not None]
    first_amount = vals[0] if vals else 0
    last_amount = vals[-1] if vals else 0
    if first_amount == last_amount:
        contrib = f"{months} bulan × iuran {program.upper()} {rp(last_amount)}"
    else:
        contrib = (
            f"{months} bulan iuran {program.upper()} (dari {rp(first_amount)} hingga "
            f"{rp(last_amount)} per bulan)"
        )
    basis = (
        f"taksiran saldo: {contrib} atas upah {rp(wage)}, hasil pengembangan "
        f"{pct(annual_rate)} per tahun (bulanan {num(annual_rate)}%/12)"
    )
    return Estimate(balance, basis, months, stated, stated_from, list(missing))
