"""The regency's billing parameters (``data/billing.toml``), read with the engine's loader.

BPJS rates never come from here: they come from :mod:`jamsos.rules`. This file holds what the
regency decides or must assume: the default wage when an enrolment has none, the JKK risk class
and which OPD pays for which category.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

from jamsos.rules import ParameterSet, default_parameters

DATA_DIR = Path(__file__).parent / "data"


@cache
def billing_parameters() -> ParameterSet:
    return ParameterSet.from_directory(DATA_DIR)


def _latest(name: str, on: dt.date):
    """The version in force on ``on``; the latest one when ``on`` lies beyond the data."""
    params = billing_parameters()
    found = params.get_optional(name, on)
    if found is None:
        last = params.versions(name)[-1]
        if on >= last.start:
            return params.get(name, last.start)
        return params.get(name, on)  # raises MissingParameterError with the known periods
    return found


def default_wage(segment: str, month: dt.date) -> int:
    return int(_latest(f"default_wage.{segment.lower()}", month).value)


def risk_class(month: dt.date) -> int:
    return int(_latest("jkk_risk_class", month).value)


def paying_opd(month: dt.date) -> dict[str, str]:
    return dict(_latest("paying_opd", month).value)


def opd_names(month: dt.date) -> dict[str, str]:
    return dict(_latest("opd_names", month).value)


def bpu_lapse_months(on: dt.date) -> int:
    """Months of arrears after which a BPU member is not active (the engine's parameter)."""
    return int(default_parameters().get("eligibility.bpu_lapse_arrears_months", on).value)


def citations(month: dt.date) -> list[dict]:
    """What the billing assumed for a month, for the run's record and the docs."""
    out = []
    for name in ("default_wage.pu", "default_wage.bpu", "jkk_risk_class", "paying_opd"):
        v = _latest(name, month)
        out.append({"parameter": name, "value": v.value, "citation": v.citation,
                    "unconfirmed": v.unconfirmed})
    return out
