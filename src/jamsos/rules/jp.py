"""JP: Jaminan Pensiun (PP 45/2015).  Pension items are MONTHLY amounts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ._accumulate import estimate_balance
from ._benefit import BCtx, Outcome
from ._ctx import add_months, dec, first_of_month
from .model import InputError, Item
from .money import num, pct, rp
from .params import ParamValue

EVENTS = ("retirement", "total_disability", "death")
HUNDRED = Decimal(100)
SURVIVORS = {"spouse": "janda/duda", "child": "anak", "parent": "orang tua"}


def _avg_wage(c: BCtx, out: Outcome) -> tuple[Decimal, str, list[ParamValue], bool]:
    f = c.facts
    if f.wage_history:
        total = Decimal(0)
        uncertain = False
        used: list[ParamValue] = []
        for year, monthly in f.wage_history:
            w = Decimal(monthly)
            for k in range(year + 1, f.event_date.year + 1):
                pv = c.params.get_optional("jp.indexation_percent", dt.date(k, 3, 1))
                if pv is None:
                    out.notes.append(f"faktor indeksasi untuk {k} tidak ada dalam data; dilewati")
                    uncertain = True
                    continue
                used.append(pv)
                w = w * (1 + dec(pv.value) / HUNDRED)
            total += w
        avg = total / len(f.wage_history)
        basis = (
            f"rata-rata upah tertimbang {len(f.wage_history)} tahun (diindeksasi inflasi) "
            f"{rp(avg.quantize(Decimal(1)))}"
        )
        return avg, basis, used, uncertain
    if f.average_wage is not None:
        return Decimal(f.average_wage), f"rata-rata upah tertimbang {rp(f.average_wage)}", [], False
    month = first_of_month(f.event_date)
    cap = c.params.get_optional("jp.wage_cap", month)
    stated = False
    if cap is None:
        cap = c.params.last_known("jp.wage_cap", month)
        if cap is not None:
            stated = True
            out.notes.append(
                f"batas upah JP untuk bulan {month:%Y-%m} belum ada dalam data; dipakai batas "
                f"bulan {cap.valid_from:%Y-%m} {rp(cap.value)} (belum dikonfirmasi)"
            )
    if cap is not None and f.wage > cap.value:
        return (
            Decimal(cap.value),
            f"rata-rata upah {rp(f.wage)} dibatasi upah batas atas JP {rp(cap.value)}",
            [cap],
            stated,
        )
    out.notes.append(
        "upah dipakai sebagai rata-rata upah tertimbang (riwayat upah tidak diberikan)"
    )
    return Decimal(f.wage), f"rata-rata upah tertimbang {rp(f.wage)}", [], stated


def _pension(
    c: BCtx,
    out: Outcome,
    code: str,
    months: int,
    *,
    share: ParamValue | None = None,
    credit_txt: str = "",
    extra: list[ParamValue] | None = None,
) -> Item:
    f = c.facts
    acc = c.get("jp.accrual_percent")
    avg, avg_basis, used, uncertain = _avg_wage(c, out)
    used = [acc, *used, *(extra or [])]
    exact = dec(acc.value) / HUNDRED * Decimal(months) / 12 * avg
    basis = f"{pct(acc.value)} × ({months} bln{credit_txt} / 12) × {avg_basis}"
    lo = c.params.get_optional("jp.benefit_min", f.event_date)
    hi = c.params.get_optional("jp.benefit_max", f.event_date)
    if lo is None or hi is None:
        out.notes.append(
            f"manfaat minimum/maksimum JP untuk {f.event_date.isoformat()} belum ada dalam data; "
            "tidak diterapkan (belum dikonfirmasi)"
        )
        uncertain = True
    if lo is not None and exact < lo.value:
        exact = Decimal(lo.value)
        basis += f", dinaikkan ke manfaat minimum {rp(lo.value)}"
        used.append(lo)
    if hi is not None and exact > hi.value:
        exact = Decimal(hi.value)
        basis += f", dibatasi manfaat maksimum {rp(hi.value)}"
        used.append(hi)
    if share is not None:
        key = f.survivor
        p = share.value[key]
        exact = Decimal(p) / HUNDRED * exact
        basis = f"{pct(p)} untuk {SURVIVORS[key]} × [{basis}]"
        used.append(share)
    if f.index_to is not None and f.index_to > f.event_date:
        years = 0
        while add_months(f.event_date, 12 * (years + 1)) <= f.index_to:
            years += 1
            pv = c.params.get_optional(
                "jp.indexation_percent", add_months(f.event_date, 12 * years)
            )
            if pv is None:
                out.notes.append(f"indeksasi tahun ke-{years} tidak ada dalam data; berhenti")
                break
            exact = exact * (1 + dec(pv.value) / HUNDRED)
            basis += f" × (1 + {pct(pv.value)})"
            used.append(pv)
        uncertain = True  # the definition of the factor (Pasal 17(4)) was not seen in full
    return c.item(code, exact, basis + " per bulan", used, unconfirmed=uncertain)


def _lump_sum(c: BCtx, out: Outcome, months: int | None, why: str) -> None:
    f = c.facts
    if f.balance is not None:
        basis_pv = c.get("jp.min_contribution_months")  # legal basis of the lump sum
        out.items.append(
            c.item(
                "lump_sum",
                f.balance,
                f"{why}: akumulasi iuran + hasil {rp(f.balance)}",
                [basis_pv],
            )
        )
        return
    if months is None:
        raise InputError("--months-paid", "masa iur JP diperlukan")
    used = []
    if f.crediting_rate is not None:
        rate = dec(f.crediting_rate)
    else:
        pv = c.get("jp.default_crediting_rate")
        rate, used = dec(pv.value), [pv]
    est = estimate_balance(
        c.params,
        program="jp",
        segment="pu",
        wage=f.wage,
        months=months,
        event_date=f.event_date,
        annual_rate=rate,
    )
    note = est.note("jp")
    if note is not None:
        out.notes.append(note)
    out.items.append(
        c.item("lump_sum", est.exact, f"{why}: {est.basis}", used, unconfirmed=note is not None)
    )


def _credited(c: BCtx, out: Outcome, months: int, rule_name: str) -> tuple[int | None, ParamValue]:
    """15-year credit for disability/death: density >= 80% and >= 1 month registered."""
    rule = c.get(rule_name)
    f = c.facts
    membership = c.membership_months()  # JP months only (from July 2015)
    if membership is None:
        raise InputError("--membership-start", "diperlukan untuk menilai kepadatan iur JP")
    density = Decimal(months) / membership * 100 if membership else Decimal(0)
    ok = (
        density >= rule.value["min_density_percent"]
        and membership >= rule.value["min_months_after_registration"]
    )
    if not ok:
        out.notes.append(
            f"masa iur {months} bln, kepadatan iur {num(density.quantize(Decimal('0.1')))}% "
            f"(syarat >= {rule.value['min_density_percent']}% dan kejadian >= "
            f"{rule.value['min_months_after_registration']} bln setelah terdaftar) tidak "
            f"terpenuhi: manfaat sekaligus ({rule.citation})"
        )
        return None, rule
    del f
    return rule.value["credited_months"], rule


def compute(c: BCtx) -> Outcome:
    f = c.facts
    out = Outcome()
    if f.segment != "pu":
        out.reasons.append("JP tidak tersedia untuk peserta BPU")
        return out
    months = c.months_paid()
    min_pv = c.get("jp.min_contribution_months")
    ret = c.get("jp.retirement_age")
    if f.event == "retirement":
        age = c.age()
        if age < ret.value:
            out.reasons.append(
                f"usia {age} tahun belum mencapai usia pensiun {ret.value} tahun ({ret.citation})"
            )
            return out
        if months is None:
            raise InputError("--months-paid", "masa iur JP diperlukan")
        if months >= min_pv.value:
            out.items.append(_pension(c, out, "old_age_pension", months, extra=[min_pv, ret]))
        else:
            _lump_sum(c, out, months, f"masa iur {months} bln < {min_pv.value} bln")
        return out
    if months is None:
        raise InputError("--months-paid", "masa iur JP diperlukan")
    if f.event == "total_disability":
        if (f.age is not None or f.birth_date is not None) and c.age() >= ret.value:
            out.reasons.append(
                f"cacat total setelah usia pensiun {ret.value} tahun: gunakan event retirement"
            )
            return out
        if months >= min_pv.value:
            out.items.append(_pension(c, out, "disability_pension", months, extra=[min_pv]))
            return out
        credit, rule = _credited(c, out, months, "jp.disability")
        if credit is None:
            _lump_sum(c, out, months, "pensiun cacat tidak memenuhi syarat")
        else:
            out.items.append(
                _pension(
                    c,
                    out,
                    "disability_pension",
                    credit,
                    credit_txt=f" (masa iur {months} bln dianggap {credit} bln)",
                    extra=[rule],
                )
            )
        return out
    # death
    if f.survivor not in SURVIVORS:
        raise InputError("--survivor", "spouse, child atau parent")
    share = c.get("jp.survivor_percent")
    if months >= min_pv.value:
        out.items.append(_pension(c, out, "survivor_pension", months, share=share, extra=[min_pv]))
        return out
    credit, rule = _credited(c, out, months, "jp.survivor_credit")
    if credit is None:
        _lump_sum(c, out, months, "ahli waris, masa iur kurang dari 15 tahun")
    else:
        out.items.append(
            _pension(
                c,
                out,
                "survivor_pension",
                credit,
                share=share,
                credit_txt=f" (masa iur {months} bln dianggap {credit} bln)",
                extra=[rule],
            )
        )
    return out
