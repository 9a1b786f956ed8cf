"""Facts in, itemised results out.  Plain dataclasses, no Django."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .money import to_rupiah
from .params import ParamValue

PROGRAMS = ("jkk", "jkm", "jht", "jp", "jkp")
SEGMENTS = ("pu", "bpu")
PAYERS = ("employer", "worker", "government")
SCHOOL_LEVELS = ("belum_sekolah", "tk", "sd", "smp", "sma", "pt")


class InputError(ValueError):
    """Facts that cannot be evaluated.  ``option`` names the offending input."""

    def __init__(self, option: str, message: str) -> None:
        self.option = option
        super().__init__(f"{option}: {message}")


@dataclass(frozen=True, slots=True)
class Child:
    """A child of the participant (for scholarships and survivor pensions).

    ``level`` is one of :data:`SCHOOL_LEVELS` or ``None`` when unknown (treated as not yet
    at school: the full entitlement).  ``years_done`` is the number of years of the current
    level already completed.
    """

    birth_date: dt.date | None = None
    level: str | None = None
    years_done: int = 0
    married: bool = False
    working: bool = False


@dataclass(frozen=True, slots=True)
class CaseFacts:
    """Everything the benefit engine may need; only the fields of the event are read."""

    program: str
    event: str
    event_date: dt.date
    wage: int  # upah sebulan (PU) or declared income (BPU), whole rupiah
    segment: str = "pu"
    membership_start: dt.date | None = None
    membership_end: dt.date | None = None
    months_paid: int | None = None  # masa iur; derived from membership_start if None
    arrears_months: int = 0  # months in arrears on the event date
    birth_date: dt.date | None = None
    age: int | None = None  # age on the event date (if birth_date unknown)
    children: tuple[Child, ...] = ()
    # JKK
    incapacity_months: int = 0
    disability_percent: Decimal | None = None
    disability_part: str | None = None
    function_loss_percent: Decimal | None = None  # None = anatomical loss
    treatment_cost: int = 0
    transport_costs: tuple[tuple[str, int], ...] = ()  # (land|sea|air, cost)
    home_care_cost: int = 0
    # JHT / JP
    claim_date: dt.date | None = None
    balance: int | None = None  # known JHT (or JP lump-sum) balance
    crediting_rate: Decimal | None = None  # annual %, for estimated balances
    withdrawal_purpose: str | None = None  # housing | other
    prior_partial_withdrawal: bool = False
    contract_retirement_age: int | None = None
    average_wage: int | None = None  # JP: average indexed monthly wage
    wage_history: tuple[tuple[int, int], ...] = ()  # JP: (year, monthly wage)
    survivor: str = "spouse"  # JP survivor: spouse | child | parent
    index_to: dt.date | None = None  # JP: index the benefit up to this date
    # JKP
    registration_age: int | None = None
    months_paid_24: int | None = None
    consecutive_months: int | None = None
    new_job: bool = False
    employer_bankrupt: bool = False


@dataclass(frozen=True, slots=True)
class Item:
    code: str
    amount: int
    basis: str
    citation: str
    unconfirmed: bool = False
    program: str | None = None
    payer: str | None = None

    def as_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {}
        if self.program is not None:
            d["program"] = self.program
        if self.payer is not None:
            d["payer"] = self.payer
        d.update(
            code=self.code,
            amount=self.amount,
            basis=self.basis,
            citation=self.citation,
            unconfirmed=self.unconfirmed,
        )
        return d


@dataclass(frozen=True, slots=True)
class Result:
    eligible: bool
    items: tuple[Item, ...] = ()
    reasons: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    program: str = ""
    event: str = ""

    @property
    def total(self) -> int:
        return sum(i.amount for i in self.items)

    @property
    def unconfirmed(self) -> bool:
        return any(i.unconfirmed for i in self.items)

    def item(self, code: str) -> Item:
        for i in self.items:
            if i.code == code:
                return i
        raise KeyError(code)

    def amounts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for i in self.items:
            out[i.code] = out.get(i.code, 0) + i.amount
        return out

    def as_dict(self) -> dict[str, Any]:
        return {
            "program": self.program,
            "event": self.event,
            "eligible": self.eligible,
            "reasons": list(self.reasons),
            "notes": list(self.notes),
            "items": [i.as_dict() for i in self.items],
            "total": self.total,
            "unconfirmed": self.unconfirmed,
        }


@dataclass(slots=True)
class Trace:
    """Collects the parameters one item used, to cite them and propagate flags."""

    used: list[ParamValue] = field(default_factory=list)
    unconfirmed: bool = False

    def add(self, *pvs: ParamValue | None) -> None:
        self.used.extend(p for p in pvs if p is not None)

    def extend(self, pvs: Iterable[ParamValue]) -> None:
        self.used.extend(pvs)


def make_item(
    code: str,
    exact: Decimal | int,
    basis: str,
    used: Iterable[ParamValue | None],
    rounding: ParamValue,
    *,
    program: str | None = None,
    payer: str | None = None,
    unconfirmed: bool = False,
) -> Item:
    """Round ``exact`` with the regulation's rounding rule and attach provenance.

    The rounding convention is itself unconfirmed; it taints an item only when it
    actually changed the amount (the exact value had a fraction of a rupiah).
    """
    pvs = [p for p in used if p is not None]
    amount = to_rupiah(exact, rounding.value)
    flag = unconfirmed or any(p.unconfirmed for p in pvs)
    if Decimal(amount) != Decimal(exact):
        pvs.append(rounding)
        flag = flag or rounding.unconfirmed
    pieces = (piece.strip() for p in pvs for piece in p.citation.split(";"))
    citation = "; ".join(dict.fromkeys(piece for piece in pieces if piece))
    if amount < 0:  # pragma: no cover - guarded by input validation
        raise ValueError(f"negative amount for {code}: {amount}")
    return Item(code, amount, basis, citation, flag, program, payer)
