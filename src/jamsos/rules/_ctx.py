"""Small helpers shared by the rule modules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from .model import InputError
from .params import ParameterSet, ParamValue, default_parameters


class Ctx:
    """Parameter lookups for one date."""

    __slots__ = ("on", "params")

    def __init__(self, params: ParameterSet | None, on: dt.date) -> None:
        self.params = params if params is not None else default_parameters()
        self.on = on

    def get(self, name: str) -> ParamValue:
        return self.params.get(name, self.on)

    def opt(self, name: str) -> ParamValue | None:
        return self.params.get_optional(name, self.on)

    def rounding(self, program: str) -> ParamValue:
        return self.get(f"rounding.{program}")


def dec(v: object) -> Decimal:
    return v if isinstance(v, Decimal) else Decimal(str(v))


def add_months(d: dt.date, months: int) -> dt.date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    # clamp the day to the month's length
    for day in (d.day, 30, 29, 28):
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def months_between(start: dt.date, end: dt.date) -> int:
    """Completed months from ``start`` to ``end`` (0 if end < start + 1 month)."""
    n = (end.year - start.year) * 12 + (end.month - start.month)
    if end.day < start.day and add_months(start, n) > end:
        n -= 1
    return max(n, 0)


def age_on(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def first_of_month(d: dt.date) -> dt.date:
    return d.replace(day=1)


def require(cond: bool, option: str, message: str) -> None:
    if not cond:
        raise InputError(option, message)
