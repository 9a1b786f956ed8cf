"""From a claim's facts to the regulation engine and back (no database writes here).

The figures come from ``jamsos.rules`` (``compute_benefit`` and its dated parameters); the
claims app's own data (document checklists, default wages) live in ``data/claims.toml``.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

from jamsos.rules import (
    CaseFacts,
    Child,
    InputError,
    MissingParameterError,
    compute_benefit,
    default_parameters,
)

DATA = Path(__file__).parent / "data" / "claims.toml"
#: Facts a claim may carry besides wage/date/membership (CaseFacts field → type).
FACT_FIELDS = {
    "treatment_cost": int, "home_care_cost": int, "incapacity_months": int,
    "disability_percent": Decimal, "disability_part": str, "function_loss_percent": Decimal,
    "balance": int, "months_paid": int, "arrears_months": int, "claim_date": dt.date,
    "withdrawal_purpose": str, "prior_partial_withdrawal": bool, "survivor": str,
    "average_wage": int, "registration_age": int, "months_paid_24": int,
    "consecutive_months": int, "new_job": bool, "employer_bankrupt": bool,
    "transport_costs": list,
}
LEVEL_ORDER = ("tk", "sd", "smp", "sma", "pt")


@cache
def _data() -> dict:
    with DATA.open("rb") as fh:
        return tomllib.load(fh)


@dataclass(frozen=True)
class Document:
    code: str
    label: str


@dataclass(frozen=True)
class Checklist:
    documents: tuple[Document, ...]
    citation: str
    unconfirmed: bool


def checklist(program: str, event: str) -> Checklist:
    table = _data()["checklist"]
    raw = table.get(f"{program}.{event}") or table[program]
    return Checklist(tuple(Document(d["code"], d["label"]) for d in raw["documents"]),
                     raw["citation"], bool(raw.get("unconfirmed", False)))


@dataclass(frozen=True)
class Figure:
    value: int
    citation: str
    unconfirmed: bool


def default_wage(segment: str, on: dt.date) -> Figure:
    """The wage assumed when the registry holds none (UMK for PU, Rp1 jt for BPU)."""
    versions = _data()["default_wage"][segment.lower() or "pu"]["versions"]
    chosen = None
    for v in sorted(versions, key=lambda v: v["from"]):
        if v["from"] <= on and (v.get("to") is None or on <= v["to"]):
            chosen = v
    if chosen is None:
        chosen = min(versions, key=lambda v: v["from"])
    return Figure(chosen["value"], chosen["citation"], bool(chosen.get("unconfirmed")))


def facts_from(raw: dict) -> dict:
    """JSON-stored facts → CaseFacts keyword arguments (unknown keys are refused)."""
    out: dict = {}
    for key, value in (raw or {}).items():
        kind = FACT_FIELDS.get(key)
        if kind is None:
            raise InputError(key, "fakta tidak dikenal")
        if value is None or value == "":
            continue
        if kind is dt.date:
            value = dt.date.fromisoformat(value) if isinstance(value, str) else value
        elif kind is Decimal:
            value = Decimal(str(value))
        elif kind is list:
            value = tuple((str(m), int(c)) for m, c in value)
            key = "transport_costs"
        else:
            value = kind(value)
        out[key] = value
    return out


@dataclass(frozen=True)
class Computed:
    eligible: bool
    items: list[dict]
    reasons: list[str]
    notes: list[str]
    entitlement: int | None
    scholarship: int
    estimated: bool


def compute(*, program: str, event: str, event_date: dt.date, wage: int, segment: str,
            membership_start: dt.date | None, birth_date: dt.date | None,
            facts: dict | None = None, children: tuple[Child, ...] = (),
            wage_note: str = "") -> Computed:
    """Run the engine for one claim. Input errors become a non-eligible answer with reasons."""
    kwargs = facts_from(facts or {})
    try:
        result = compute_benefit(CaseFacts(
            program, event, event_date, int(wage), segment=(segment or "pu").lower(),
            membership_start=membership_start, birth_date=birth_date, children=children,
            **kwargs))
    except (InputError, MissingParameterError) as exc:
        return Computed(False, [], [str(exc)], [], None, 0, False)
    items = [i.as_dict() for i in result.items]
    notes = list(result.notes) + ([wage_note] if wage_note else [])
    scholarship = sum(i["amount"] for i in items if i["code"] == "scholarship")
    payable = [i for i in items if i["code"] != "scholarship"]
    # Treatment-type JKK claims without known costs, and claims with nothing computed, have
    # no entitlement the engine can state.
    entitlement = sum(i["amount"] for i in payable) if payable and result.eligible else None
    if not result.eligible:
        entitlement = 0
    estimated = program in ("jht", "jp") and "balance" not in kwargs
    return Computed(result.eligible, items, list(result.reasons), notes, entitlement,
                    scholarship, estimated)


def child_shares(*, program: str, event: str, event_date: dt.date, wage: int, segment: str,
                 membership_start: dt.date | None, birth_date: dt.date | None,
                 facts: dict | None, children: list[Child]) -> list[tuple[int, dict | None]]:
    """Each child's own scholarship entitlement, in the engine's order and limits.

    The engine reports one total for all children; a child's share is the increase of that
    total when the child is added (so the engine's maximum number of children applies).
    Returns ``(amount, item)`` per child (``item`` carries basis and citation).
    """
    out: list[tuple[int, dict | None]] = []
    previous = 0
    for k in range(1, len(children) + 1):
        r = compute(program=program, event=event, event_date=event_date, wage=wage,
                    segment=segment, membership_start=membership_start, birth_date=birth_date,
                    facts=facts, children=tuple(children[:k]))
        item = next((i for i in r.items if i["code"] == "scholarship"), None)
        out.append((r.scholarship - previous, item))
        previous = r.scholarship
    return out


# --- scholarships year by year -----------------------------------------------------------


def level_table(on: dt.date):
    """The scholarship level table in force on ``on``: ``({level: {per_year, years}}, pv)``."""
    pv = default_parameters().get("scholarship.levels", on)
    return pv.value, pv


def max_age(on: dt.date) -> int:
    return default_parameters().get("scholarship.max_age", on).value


def school_year_of(day: dt.date) -> int:
    """Indonesian school years start in July: 2025-08-01 → 2025 (2025/2026)."""
    return day.year if day.month >= 7 else day.year - 1


def level_in_year(level: str, years_done: int, first_year: int, school_year: int,
                  table: dict) -> str | None:
    """The level a child is in during ``school_year``, progressing normally from the level
    recorded at the event (``first_year`` = the school year of the event). None when the
    levels are exhausted (or before school)."""
    if level == "belum_sekolah":
        return None
    idx = LEVEL_ORDER.index(level)
    offset = years_done + (school_year - first_year)
    if offset < 0:
        return None
    for lv in LEVEL_ORDER[idx:]:
        years = table[lv]["years"]
        if offset < years:
            return lv
        offset -= years
    return None


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
