"""Vectorised contributions for whole-kabupaten runs (polars; never loops per person).

The scalar engine works in :class:`decimal.Decimal`; here every rate is turned once into an
exact fraction ``p/q`` and each column is computed with integer arithmetic, so the rounded
results are identical to the scalar engine (``half_up``: ``(2·w·p + q) // 2q``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from fractions import Fraction
from math import lcm

import polars as pl

from ._ctx import Ctx, dec, first_of_month
from .bounds import MAX_WAGE, check_date
from .contributions import BPU_PROGRAMS
from .model import PROGRAMS, InputError
from .params import ParameterSet

__all__ = ["contributions_batch"]

_PCT = Fraction(1, 100)
# Integer arithmetic stays far inside Int64 (w·2p with p < 10^6) up to the engine's wage
# bound (bounds.MAX_WAGE, the same bound as the scalar engine).


def _frac(v: object) -> Fraction:
    return Fraction(dec(v))


def _round(expr: pl.Expr, rate: Fraction, mode: str) -> pl.Expr:
    """``round(expr × rate)`` to whole rupiah, exactly, in Int64 arithmetic."""
    p, q = rate.numerator, rate.denominator
    if p == 0:
        return pl.lit(0, dtype=pl.Int64)
    if mode == "half_up":
        return (expr * (2 * p) + q) // (2 * q)
    if mode == "down":
        return (expr * p) // q
    raise InputError("rounding", f"mode {mode!r} is not supported by the batch engine")


def _class_rate(col: pl.Expr, rates: dict[int, Fraction], mode: str) -> pl.Expr:
    """Per-row rate chosen by risk class; common denominator so one integer formula works."""
    q = lcm(*(r.denominator for r in rates.values()))
    nums = {k: int(r * q) for k, r in rates.items()}
    p = col.replace_strict(nums, return_dtype=pl.Int64)
    w = pl.col("wage")
    if mode == "half_up":
        return (w * p * 2 + q) // (2 * q)
    if mode == "down":
        return (w * p) // q
    raise InputError("rounding", f"mode {mode!r} is not supported by the batch engine")


def _as_series(name: str, values: Iterable[object] | pl.Series, dtype: pl.DataType) -> pl.Series:
    if isinstance(values, pl.Series):
        return values.cast(dtype, strict=True).alias(name)
    return pl.Series(name, list(values) if not isinstance(values, Sequence) else values, dtype)


def contributions_batch(
    month: dt.date,
    segment: str,
    wages: Iterable[int] | pl.Series,
    risk_classes: Iterable[int] | pl.Series | int | None = None,
    programs: Iterable[str] | str = ("jkk", "jkm", "jht", "jp"),
    *,
    jkp_participant: bool | None = None,
    in_arrears: Iterable[bool] | pl.Series | bool = False,
    relief: bool = False,
    bpu_payer: str = "worker",
    params: ParameterSet | None = None,
) -> pl.DataFrame:
    """Contributions of many workers for one contribution month.

    Returns a DataFrame with ``wage`` (and ``risk_class``), one Int64 column per item code
    of :func:`jamsos.rules.contributions.compute_contributions` and ``total``.  Columns that
    are zero for every row because a share does not apply are still present, so the schema
    depends only on the arguments, not on the data.
    """
    progs = (
        {p.strip().lower() for p in programs.split(",") if p.strip()}
        if isinstance(programs, str)
        else set(programs)
    )
    if set(progs) - set(PROGRAMS) or not progs:
        raise InputError("programs", f"program tidak dikenal: {sorted(set(progs) - set(PROGRAMS))}")
    if segment not in ("pu", "bpu"):
        raise InputError("segment", "harus pu atau bpu")
    check_date(month, "month")
    c = Ctx(params, first_of_month(month))

    wage_s = _as_series("wage", wages, pl.Int64)
    cols: list[pl.Series] = [wage_s]
    n = len(wage_s)
    if wage_s.null_count() or (n and wage_s.min() < 0):  # type: ignore[operator]
        raise InputError("wages", "upah harus bilangan bulat >= 0, tanpa nilai kosong")
    if n and wage_s.max() > MAX_WAGE:  # type: ignore[operator]
        raise InputError(
            "wages", f"upah di luar batas wajar (paling banyak {MAX_WAGE:,})".replace(",", ".")
        )

    if segment == "bpu":
        extra = progs - BPU_PROGRAMS
        if extra:
            raise InputError("programs", f"{sorted(extra)} tidak tersedia untuk BPU")
        df = pl.DataFrame(cols)
        return _bpu(df, progs, c, bpu_payer)

    if "jkk" in progs:
        if risk_classes is None:
            raise InputError("risk_classes", "kelompok risiko JKK wajib untuk PU")
        if isinstance(risk_classes, int):
            rc = pl.Series("risk_class", [risk_classes] * n, pl.Int64)
        else:
            rc = _as_series("risk_class", risk_classes, pl.Int64)
        if len(rc) != n:
            raise InputError("risk_classes", "panjang kolom berbeda dengan wages")
        bad = rc.is_null().any() or not rc.is_between(1, 5).all()
        if bad:
            raise InputError("risk_classes", "kelompok risiko JKK harus 1..5")
        cols.append(rc)
    if isinstance(in_arrears, bool):
        arr = pl.Series("in_arrears", [in_arrears] * n, pl.Boolean)
    else:
        arr = _as_series("in_arrears", in_arrears, pl.Boolean)
    cols.append(arr)
    df = pl.DataFrame(cols)
    out = _pu(df, progs, c, jkp_participant, relief)
    return out.drop("in_arrears")


def _pu(
    df: pl.DataFrame, progs: set[str], c: Ctx, jkp_participant: bool | None, relief: bool
) -> pl.DataFrame:
    w = pl.col("wage")
    jkp_member = jkp_participant if jkp_participant is not None else "jkp" in progs
    recomp = (~pl.col("in_arrears")) if jkp_member else pl.lit(False)
    exprs: list[pl.Expr] = []
    names: list[str] = []

    if "jkk" in progs:
        mode = c.rounding("jkk").value
        base = {int(k): _frac(v) * _PCT for k, v in c.get("jkk.rate_pu").value.items()}
        disc = c.opt("jkk.relief_discount") if relief else None
        factor = 1 - _frac(disc.value) * _PCT if disc is not None else Fraction(1)
        share = c.opt("jkk.jkp_share") if jkp_member else None
        s = _frac(share.value) * _PCT if share is not None else Fraction(0)
        full = _class_rate(pl.col("risk_class"), {k: r * factor for k, r in base.items()}, mode)
        if s > 0:
            part = _class_rate(
                pl.col("risk_class"), {k: (r - s) * factor for k, r in base.items()}, mode
            )
            exprs += [
                pl.when(recomp).then(part).otherwise(full).alias("jkk_employer"),
                pl.when(recomp)
                .then(_round(w, s * factor, mode))
                .otherwise(0)
                .alias("jkp_from_jkk"),
            ]
            names += ["jkk_employer", "jkp_from_jkk"]
        else:
            exprs.append(full.alias("jkk_employer"))
            names.append("jkk_employer")

    if "jkm" in progs:
        mode = c.rounding("jkm").value
        rate = _frac(c.get("jkm.rate_pu").value) * _PCT
        disc = c.opt("jkm.relief_discount") if relief else None
        factor = 1 - _frac(disc.value) * _PCT if disc is not None else Fraction(1)
        share = c.opt("jkm.jkp_share") if jkp_member else None
        s = _frac(share.value) * _PCT if share is not None else Fraction(0)
        full = _round(w, rate * factor, mode)
        if s > 0:
            exprs += [
                pl.when(recomp)
                .then(_round(w, (rate - s) * factor, mode))
                .otherwise(full)
                .alias("jkm_employer"),
                pl.when(recomp)
                .then(_round(w, s * factor, mode))
                .otherwise(0)
                .alias("jkp_from_jkm"),
            ]
            names += ["jkm_employer", "jkp_from_jkm"]
        else:
            exprs.append(full.alias("jkm_employer"))
            names.append("jkm_employer")

    if "jkp" in progs and jkp_member:
        mode = c.rounding("jkp").value
        gov = _frac(c.get("jkp.rate_government").value) * _PCT
        cap = int(c.get("jkp.contribution_wage_cap").value)
        exprs.append(
            pl.when(recomp)
            .then(_round(pl.min_horizontal(w, pl.lit(cap)), gov, mode))
            .otherwise(0)
            .alias("jkp_government")
        )
        names.append("jkp_government")

    if "jht" in progs:
        mode = c.rounding("jht").value
        rates = c.get("jht.rate_pu").value
        for payer in ("employer", "worker"):
            exprs.append(_round(w, _frac(rates[payer]) * _PCT, mode).alias(f"jht_{payer}"))
            names.append(f"jht_{payer}")

    if "jp" in progs:
        mode = c.rounding("jp").value
        rates = c.get("jp.rate").value
        cap = int(c.get("jp.wage_cap").value)
        base_w = pl.min_horizontal(w, pl.lit(cap))
        for payer in ("employer", "worker"):
            exprs.append(_round(base_w, _frac(rates[payer]) * _PCT, mode).alias(f"jp_{payer}"))
            names.append(f"jp_{payer}")

    out = df.with_columns([e.cast(pl.Int64) for e in exprs])
    return out.with_columns(pl.sum_horizontal(names).cast(pl.Int64).alias("total"))


def _bpu(df: pl.DataFrame, progs: set[str], c: Ctx, payer: str) -> pl.DataFrame:
    if payer not in ("worker", "government"):
        raise InputError("bpu_payer", "worker atau government")
    w = pl.col("wage")
    exprs: list[pl.Expr] = []
    if "jkk" in progs:
        mode = c.rounding("jkk").value
        rate = _frac(c.get("bpu.jkk_rate").value) * _PCT
        lo, hi = int(c.get("bpu.jkk_min").value), int(c.get("bpu.jkk_max").value)
        # clamp on the exact value (as the scalar engine does), then round
        exact_lo = w * rate.numerator < lo * rate.denominator
        exact_hi = w * rate.numerator > hi * rate.denominator
        exprs.append(
            pl.when(exact_lo)
            .then(pl.lit(lo))
            .when(exact_hi)
            .then(pl.lit(hi))
            .otherwise(_round(w, rate, mode))
            .alias(f"jkk_{payer}")
        )
    if "jkm" in progs:
        exprs.append(pl.lit(int(c.get("bpu.jkm_amount").value)).alias(f"jkm_{payer}"))
    if "jht" in progs:
        rate = _frac(c.get("bpu.jht_rate").value) * _PCT
        exprs.append(_round(w, rate, c.rounding("jht").value).alias(f"jht_{payer}"))
    names = [e.meta.output_name() for e in exprs]
    out = df.with_columns([e.cast(pl.Int64) for e in exprs])
    return out.with_columns(pl.sum_horizontal(names).cast(pl.Int64).alias("total"))
