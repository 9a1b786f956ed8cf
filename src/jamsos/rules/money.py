"""Whole-rupiah rounding and Bahasa Indonesia formatting of amounts."""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

from .params import DataError

#: Rounding modes a ``rounding.*`` parameter may name.
ROUNDING_MODES = {
    "half_up": ROUND_HALF_UP,
    "half_even": ROUND_HALF_EVEN,
    "down": ROUND_DOWN,
}


def to_rupiah(amount: Decimal | int, mode: str) -> int:
    """Round ``amount`` to whole rupiah with the named mode."""
    if isinstance(amount, int):
        return amount
    try:
        rounding = ROUNDING_MODES[mode]
    except KeyError:
        raise DataError(
            f"unknown rounding mode {mode!r}; use one of {sorted(ROUNDING_MODES)}"
        ) from None
    return int(Decimal(amount).quantize(Decimal(1), rounding=rounding))


def _group(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def rp(amount: Decimal | int) -> str:
    """``Rp 3.681.571`` (decimals, if any, after a comma)."""
    if isinstance(amount, Decimal) and amount != amount.to_integral_value():
        whole = int(amount)
        frac = str(abs(amount - whole)).split(".")[1]
        sign = "-" if amount < 0 and whole == 0 else ""
        return f"Rp {sign}{_group(whole)},{frac}"
    return f"Rp {_group(int(amount))}"


def num(value: Decimal | int) -> str:
    """A number in Indonesian notation: ``0,445``, ``1.000``."""
    d = Decimal(value)
    if d == d.to_integral_value():
        return _group(int(d))
    s = format(d.normalize(), "f")
    whole, frac = s.split(".")
    return f"{_group(int(whole))},{frac}" if whole not in ("-0",) else f"-0,{frac}"


def pct(value: Decimal | int) -> str:
    """``0,24%``."""
    return f"{num(value)}%"
