"""Monthly contributions (iuran) for one worker: the scalar engine.

Parameters are looked up by the first day of the contribution month.  Every item has a
``program``, a ``payer`` (employer | worker | government) and a whole-rupiah ``amount``.
Item codes are ``<program>_<payer>`` plus ``jkp_from_jkk`` / ``jkp_from_jkm`` for the
JKK/JKM shares recomposed into JKP and ``jkp_government`` for the central-government part.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from ._ctx import Ctx, dec, first_of_month, require
from .model import PROGRAMS, SEGMENTS, InputError, Item, Result, make_item
from .money import pct, rp
from .params import ParameterSet, ParamValue

HUNDRED = Decimal(100)
BPU_PROGRAMS = frozenset({"jkk", "jkm", "jht"})


@dataclass(frozen=True, slots=True)
class ContributionFacts:
    month: dt.date  # any day of the contribution month
    segment: str
    wage: int  # upah sebulan (PU) or declared income (BPU)
    programs: frozenset[str] = frozenset({"jkk", "jkm", "jht", "jp"})
    risk_class: int | None = None  # 1..5, PU JKK only
    jkp_participant: bool | None = None  # default: "jkp" in programs
    in_arrears: bool = False  # recomposition into JKP does not apply while in arrears
    relief: bool = False  # employer meets the conditions of the temporary discount
    bpu_payer: str = "worker"  # who pays BPU contributions: worker | government (APBD)


def validate(f: ContributionFacts) -> None:
    from .bounds import check_contribution

    require(f.segment in SEGMENTS, "--segment", f"harus salah satu dari {', '.join(SEGMENTS)}")
    require(
        isinstance(f.wage, int) and not isinstance(f.wage, bool) and f.wage >= 0,
        "--wage",
        "upah harus bilangan bulat rupiah >= 0",
    )
    check_contribution(f)
    unknown = set(f.programs) - set(PROGRAMS)
    require(not unknown, "--programs", f"program tidak dikenal: {', '.join(sorted(unknown))}")
    require(bool(f.programs), "--programs", "minimal satu program")
    if f.segment == "pu" and "jkk" in f.programs:
        require(f.risk_class in (1, 2, 3, 4, 5), "--risk-class", "kelompok risiko JKK harus 1..5")
    if f.segment == "bpu":
        extra = set(f.programs) - BPU_PROGRAMS
        require(
            not extra,
            "--programs",
            f"{', '.join(sorted(p.upper() for p in extra))} tidak tersedia untuk peserta BPU",
        )
        require(f.bpu_payer in ("worker", "government"), "--bpu-payer", "worker atau government")


def _pu(f: ContributionFacts, c: Ctx) -> list[Item]:
    items: list[Item] = []
    wage = Decimal(f.wage)
    w = rp(f.wage)
    jkp_on = (f.jkp_participant if f.jkp_participant is not None else "jkp" in f.programs) and (
        not f.in_arrears
    )

    if "jkk" in f.programs:
        rate_pv = c.get("jkk.rate_pu")
        rnd = c.rounding("jkk")
        rate = dec(rate_pv.value[str(f.risk_class)])
        used: list[ParamValue | None] = [rate_pv]
        factor = Decimal(1)
        disc_txt = ""
        disc = c.opt("jkk.relief_discount") if f.relief else None
        if disc is not None:
            factor = (HUNDRED - dec(disc.value)) / HUNDRED
            disc_txt = f" × (100% − {pct(disc.value)} keringanan)"
            used.append(disc)
        share = c.opt("jkk.jkp_share") if jkp_on else None
        cls = f"kelompok risiko {'I II III IV V'.split()[f.risk_class - 1]}"  # type: ignore[operator]
        if share is not None and dec(share.value) > 0:
            s = dec(share.value)
            items.append(
                make_item(
                    "jkk_employer",
                    (rate - s) / HUNDRED * factor * wage,
                    f"({pct(rate)} {cls} − {pct(s)} dialihkan ke JKP){disc_txt} × upah {w}",
                    [*used, share],
                    rnd,
                    program="jkk",
                    payer="employer",
                    unconfirmed=disc is not None,  # split under a discount: not regulated
                )
            )
            items.append(
                make_item(
                    "jkp_from_jkk",
                    s / HUNDRED * factor * wage,
                    f"{pct(s)} rekomposisi dari iuran JKK{disc_txt} × upah {w}",
                    [*used, share],
                    rnd,
                    program="jkp",
                    payer="employer",
                    unconfirmed=disc is not None,
                )
            )
        else:
            items.append(
                make_item(
                    "jkk_employer",
                    rate / HUNDRED * factor * wage,
                    f"{pct(rate)} ({cls}){disc_txt} × upah {w}",
                    used,
                    rnd,
                    program="jkk",
                    payer="employer",
                )
            )

    if "jkm" in f.programs:
        rate_pv = c.get("jkm.rate_pu")
        rnd = c.rounding("jkm")
        rate = dec(rate_pv.value)
        used = [rate_pv]
        factor = Decimal(1)
        disc_txt = ""
        disc = c.opt("jkm.relief_discount") if f.relief else None
        if disc is not None:
            factor = (HUNDRED - dec(disc.value)) / HUNDRED
            disc_txt = f" × (100% − {pct(disc.value)} keringanan)"
            used.append(disc)
        share = c.opt("jkm.jkp_share") if jkp_on else None
        if share is not None:
            used.append(share)
        s = dec(share.value) if share is not None else Decimal(0)
        if s > 0:
            items.append(
                make_item(
                    "jkm_employer",
                    (rate - s) / HUNDRED * factor * wage,
                    f"({pct(rate)} − {pct(s)} dialihkan ke JKP){disc_txt} × upah {w}",
                    used,
                    rnd,
                    program="jkm",
                    payer="employer",
                )
            )
            items.append(
                make_item(
                    "jkp_from_jkm",
                    s / HUNDRED * factor * wage,
                    f"{pct(s)} rekomposisi dari iuran JKM{disc_txt} × upah {w}",
                    used,
                    rnd,
                    program="jkp",
                    payer="employer",
                )
            )
        else:
            items.append(
                make_item(
                    "jkm_employer",
                    rate / HUNDRED * factor * wage,
                    f"{pct(rate)}{disc_txt} × upah {w}",
                    used,
                    rnd,
                    program="jkm",
                    payer="employer",
                )
            )

    if "jkp" in f.programs and jkp_on:
        gov = c.get("jkp.rate_government")
        rnd = c.rounding("jkp")
        cap = c.get("jkp.contribution_wage_cap")
        capped = f.wage > cap.value
        base = min(f.wage, cap.value)
        base_txt = f"batas upah JKP {rp(cap.value)}" if capped else f"upah {w}"
        items.append(
            make_item(
                "jkp_government",
                dec(gov.value) / HUNDRED * base,
                f"{pct(gov.value)} × {base_txt} (dibayar Pemerintah Pusat)",
                [gov, cap if capped else None],
                rnd,
                program="jkp",
                payer="government",
            )
        )

    if "jht" in f.programs:
        pv = c.get("jht.rate_pu")
        rnd = c.rounding("jht")
        for payer in ("employer", "worker"):
            r = dec(pv.value[payer])
            items.append(
                make_item(
                    f"jht_{payer}",
                    r / HUNDRED * wage,
                    f"{pct(r)} × upah {w}",
                    [pv],
                    rnd,
                    program="jht",
                    payer=payer,
                )
            )

    if "jp" in f.programs:
        cap = c.get("jp.wage_cap")
        pv = c.get("jp.rate")
        rnd = c.rounding("jp")
        capped = f.wage > cap.value
        base = min(f.wage, cap.value)
        base_txt = (
            f"batas upah JP {rp(cap.value)} (upah {w} melebihi batas)" if capped else f"upah {w}"
        )
        for payer in ("employer", "worker"):
            r = dec(pv.value[payer])
            items.append(
                make_item(
                    f"jp_{payer}",
                    r / HUNDRED * base,
                    f"{pct(r)} × {base_txt}",
                    [pv, cap if capped else None],
                    rnd,
                    program="jp",
                    payer=payer,
                )
            )
    return items


def _bpu(f: ContributionFacts, c: Ctx) -> list[Item]:
    items: list[Item] = []
    payer = f.bpu_payer
    w = rp(f.wage)
    if "jkk" in f.programs:
        rate = c.get("bpu.jkk_rate")
        rnd = c.rounding("jkk")
        lo, hi = c.get("bpu.jkk_min"), c.get("bpu.jkk_max")
        exact = dec(rate.value) / HUNDRED * f.wage
        if exact < lo.value:
            amount, used = lo.value, [rate, lo]
            basis = f"{pct(rate.value)} × penghasilan {w}, paling sedikit {rp(lo.value)}"
        elif exact > hi.value:
            amount, used = hi.value, [rate, hi]
            basis = f"{pct(rate.value)} × penghasilan {w}, paling banyak {rp(hi.value)}"
        else:
            amount, used = exact, [rate]
            basis = f"{pct(rate.value)} × penghasilan {w}"
            if lo.value < exact < hi.value:
                used.append(c.get("bpu.income_band_table"))
                basis += " (tabel jenjang penghasilan BPU tidak ditemukan; dipakai apa adanya)"
        items.append(
            make_item("jkk_" + payer, amount, basis, used, rnd, program="jkk", payer=payer)
        )
    if "jkm" in f.programs:
        pv = c.get("bpu.jkm_amount")
        items.append(
            make_item(
                "jkm_" + payer,
                pv.value,
                f"iuran tetap {rp(pv.value)} per bulan",
                [pv],
                c.rounding("jkm"),
                program="jkm",
                payer=payer,
            )
        )
    if "jht" in f.programs:
        pv = c.get("bpu.jht_rate")
        items.append(
            make_item(
                "jht_" + payer,
                dec(pv.value) / HUNDRED * f.wage,
                f"{pct(pv.value)} × penghasilan {w} (JHT pilihan)",
                [pv],
                c.rounding("jht"),
                program="jht",
                payer=payer,
            )
        )
    return items


def compute_contributions(f: ContributionFacts, params: ParameterSet | None = None) -> Result:
    """Itemised contributions for one worker and one contribution month."""
    validate(f)
    c = Ctx(params, first_of_month(f.month))
    items = _pu(f, c) if f.segment == "pu" else _bpu(f, c)
    notes: list[str] = []
    if f.segment == "pu" and f.in_arrears and "jkp" in f.programs:
        notes.append("menunggak: rekomposisi iuran ke JKP tidak berlaku")
    return Result(True, tuple(items), (), tuple(notes), program="contribution", event="monthly")


def contribution_facts(
    month: dt.date,
    segment: str,
    wage: int,
    programs: str | frozenset[str] | set[str] | list[str] | tuple[str, ...],
    risk_class: int | None = None,
    **kw: object,
) -> ContributionFacts:
    """Convenience constructor accepting ``"jkk,jkm"`` style programme lists."""
    if isinstance(programs, str):
        progs = frozenset(p.strip().lower() for p in programs.split(",") if p.strip())
    else:
        progs = frozenset(programs)
    if not isinstance(month, dt.date):
        raise InputError("--month", "harus tanggal/bulan (YYYY-MM)")
    return ContributionFacts(month, segment, wage, progs, risk_class, **kw)  # type: ignore[arg-type]
