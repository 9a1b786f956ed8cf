"""JHT: Jaminan Hari Tua (PP 46/2015 Pasal 22; Permenaker 4/2022)."""

from __future__ import annotations

from decimal import Decimal

from ._accumulate import estimate_balance
from ._benefit import BCtx, Outcome, waiting_until
from ._ctx import dec
from .model import InputError
from .money import pct, rp

EVENTS = (
    "retirement",
    "resignation",
    "termination",
    "contract_end",
    "leaving_indonesia",
    "total_disability",
    "death",
    "stop_working",
    "partial_withdrawal",
)
HUNDRED = Decimal(100)


def _balance(c: BCtx, out: Outcome) -> tuple[Decimal, str, list, bool]:
    """The balance (given or estimated), its basis, the parameters used, and whether some
    months were computed with stated (extrapolated) parameters."""
    f = c.facts
    if f.balance is not None:
        return Decimal(f.balance), f"saldo JHT {rp(f.balance)}", [], False
    months = c.months_paid()
    if months is None:
        raise InputError(
            "--balance", "saldo JHT (--balance) atau masa iur (--months-paid/--membership-start)"
        )
    used = []
    if f.crediting_rate is not None:
        rate = dec(f.crediting_rate)
    else:
        pv = c.get("jht.default_crediting_rate")
        rate = dec(pv.value)
        used.append(pv)
        out.notes.append(
            "saldo JHT ditaksir dengan asumsi hasil pengembangan "
            f"{pct(rate)}; berikan --balance atau --crediting-rate"
        )
    est = estimate_balance(
        c.params,
        program="jht",
        segment=f.segment,
        wage=f.wage,
        months=months,
        event_date=f.event_date,
        annual_rate=rate,
    )
    note = est.note("jht")
    if note is not None:
        out.notes.append(note)
    return est.exact, est.basis, used, note is not None


def compute(c: BCtx) -> Outcome:
    f = c.facts
    out = Outcome()
    ev = f.event
    if ev == "partial_withdrawal":
        pw = c.get("jht.partial_withdrawal")
        years_needed = pw.value["min_membership_years"]
        months = c.membership_months()
        if months is None:
            months = c.months_paid()
        if months is None:
            raise InputError("--membership-start", "diperlukan untuk pengambilan sebagian JHT")
        if months < years_needed * 12:
            out.reasons.append(
                f"kepesertaan {months} bulan, kurang dari {years_needed} tahun ({pw.citation})"
            )
        if f.prior_partial_withdrawal:
            out.reasons.append(
                f"pengambilan sebagian hanya sekali selama kepesertaan ({pw.citation})"
            )
        purpose = f.withdrawal_purpose or "other"
        if purpose not in ("housing", "other"):
            raise InputError("--purpose", "housing atau other")
        if out.reasons:
            return out
        percent = pw.value["housing_percent" if purpose == "housing" else "other_percent"]
        bal, bal_basis, used, stated = _balance(c, out)
        label = "kepemilikan rumah" if purpose == "housing" else "keperluan lain persiapan pensiun"
        out.items.append(
            c.item(
                "partial_withdrawal",
                Decimal(percent) / HUNDRED * bal,
                f"paling banyak {pct(percent)} ({label}) × {bal_basis}",
                [pw, *used],
                unconfirmed=stated,
            )
        )
        return out

    triggers = c.get("jht.payout_triggers")
    if ev not in triggers.value:
        out.reasons.append(f"peristiwa {ev} belum menjadi dasar pembayaran JHT pada tanggal itu")
        return out
    used_extra = [triggers]
    if ev == "retirement":
        if f.contract_retirement_age is not None:
            ret_age, ret_txt = f.contract_retirement_age, "usia pensiun PK/PP/PKB"
        else:
            pv = c.get("jht.retirement_age")
            ret_age, ret_txt = pv.value, f"usia pensiun {pv.value} tahun"
            used_extra.append(pv)
        age = c.age()
        if age < ret_age:
            out.reasons.append(f"usia {age} tahun belum mencapai {ret_txt} ({ret_age} tahun)")
            return out
    elif ev in ("resignation", "termination"):
        wait = c.get("jht.waiting_period_months")
        used_extra.append(wait)
        payable = waiting_until(f.event_date, wait.value)
        what = "pengunduran diri" if ev == "resignation" else "PHK"
        if f.claim_date is not None and f.claim_date < payable:
            out.reasons.append(
                f"masa tunggu {wait.value} bulan sejak {what} {f.event_date.isoformat()} belum "
                f"lewat: JHT dapat dibayar mulai {payable.isoformat()}"
            )
            return out
        if f.claim_date is None:
            out.notes.append(f"JHT dapat dibayar mulai {payable.isoformat()} (masa tunggu)")
    elif ev == "stop_working" and f.segment != "bpu":
        # Plain words: the reason is shown on pages too (the CLI's --event names are in --help).
        out.reasons.append("'berhenti bekerja' hanya untuk peserta BPU; peserta PU: "
                           "'mengundurkan diri' atau 'PHK'")
        return out
    bal, basis, used, stated = _balance(c, out)
    out.items.append(
        c.item(
            "jht_balance",
            bal,
            f"dibayar sekaligus: {basis}",
            [*used_extra, *used],
            unconfirmed=stated,
        )
    )
    return out
