"""Set-based parsers for the text cells of an import: dates, whole rupiah, phone numbers.

Each returns polars expressions (the value, and the masks of the ways a cell can be wrong) so
that a check is one filter over the whole file.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

EXCEL_EPOCH = dt.date(1899, 12, 30)
DATE_FORMATS = ("%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d")
_DATE_SHAPE = r"^(\d{1,2}[-/.]\d{1,2}[-/.]\d{4}|\d{4}-\d{1,2}-\d{1,2})$"


def parse_date(col: str) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    """(parsed date, recognised-but-impossible, unrecognised-format) for a text column.

    Accepted: ``DD-MM-YYYY``, ``DD/MM/YYYY``, ``DD.MM.YYYY``, ``YYYY-MM-DD`` (optionally with a
    midnight time, as spreadsheets export) and Excel serial day numbers.
    """
    s = pl.col(col).str.strip_suffix("T00:00:00").str.strip_suffix(" 00:00:00")
    serial = s.str.extract(r"^(\d{4,5})(?:\.0+)?$", 1).cast(pl.Int64, strict=False)
    parsed = pl.coalesce(
        *(s.str.strptime(pl.Date, fmt, strict=False) for fmt in DATE_FORMATS),
        pl.when(serial.is_between(1, 73050)).then(pl.lit(EXCEL_EPOCH) + pl.duration(days=serial)),
    )
    recognised = s.str.contains(_DATE_SHAPE) | serial.is_not_null()
    present = pl.col(col) != ""
    return parsed, present & recognised & parsed.is_null(), present & ~recognised


def parse_rupiah(col: str) -> tuple[pl.Expr, pl.Expr]:
    """(whole rupiah as Int64, invalid) from ``1500000``, ``1.500.000``, ``Rp 1.500.000,00``…

    Dots or commas grouping three digits are thousands separators; a final group of one or two
    digits is cents, which must be zero (amounts are whole rupiah).
    """
    s = pl.col(col).str.replace(r"^(?i:rp)\.?", "").str.replace_all(r"\s", "")
    cents = s.str.extract(r"[.,](\d{1,2})$", 1)
    whole = s.str.replace(r"[.,]\d{1,2}$", "").str.replace_all(r"[.,](\d{3})", "$1")
    value = whole.cast(pl.Int64, strict=False)
    invalid = (pl.col(col) != "") & (
        value.is_null() | (cents.is_not_null() & (cents != "0") & (cents != "00"))
    )
    return value, invalid


def normalise_phone(col: str) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    """(normalised ``08…`` number, invalid, leading-zero-lost) for a phone column."""
    s = pl.col(col).str.replace_all(r"[\s\-().]", "").str.replace(r"\.0$", "")
    s = s.str.replace(r"^\+?62", "0")
    lost_zero = s.str.contains(r"^8\d{8,11}$")
    s = pl.when(lost_zero).then(pl.lit("0") + s).otherwise(s)
    ok = s.str.contains(r"^0\d{8,12}$")
    present = pl.col(col) != ""
    return pl.when(present & ok).then(s).otherwise(pl.lit("")), present & ~ok, present & lost_zero

