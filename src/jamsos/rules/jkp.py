"""JKP: Jaminan Kehilangan Pekerjaan (PP 37/2021 as amended by PP 6/2025)."""

from __future__ import annotations

from decimal import Decimal

from ._benefit import BCtx, Outcome, waiting_until
from .money import pct, rp

EVENTS = ("job_loss",)
HUNDRED = Decimal(100)


def compute(c: BCtx) -> Outcome:
    f = c.facts
    out = Outcome()
    if f.segment != "pu":
        out.reasons.append("JKP hanya untuk pekerja penerima upah (PU)")
        return out
    schedule = c.opt("jkp.cash_benefit")
    if schedule is None:
        out.reasons.append(f"program JKP belum berlaku pada {f.event_date.isoformat()}")
        return out
    age_pv = c.get("jkp.max_registration_age")
    if f.registration_age is not None:
        if f.registration_age >= age_pv.value:
            out.reasons.append(
                f"usia saat mendaftar {f.registration_age} tahun, harus di bawah "
                f"{age_pv.value} tahun ({age_pv.citation})"
            )
    else:
        out.notes.append("usia saat mendaftar JKP tidak diberikan; syarat usia tidak diperiksa")
    q = c.get("jkp.qualifying")
    paid = c.months_paid()  # JKP months only (from jkp.first_contribution_month)
    # months of the window before the PHK month in which JKP existed and the member was in it
    available = c.possible_months(q.value["window_months"])
    in_window = (
        f.months_paid_24
        if f.months_paid_24 is not None
        else (min(paid, available) if paid is not None else None)
    )
    consecutive = f.consecutive_months if f.consecutive_months is not None else in_window
    if in_window is None:
        out.reasons.append(
            "riwayat iuran tidak diketahui (--months-paid-24/--consecutive-months/--months-paid)"
        )
    else:
        if in_window < q.value["min_months"]:
            out.reasons.append(
                f"iuran {in_window} bulan dalam {q.value['window_months']} bulan terakhir, "
                f"kurang dari {q.value['min_months']} bulan ({q.citation})"
            )
        if consecutive is not None and consecutive < q.value["min_consecutive"]:
            out.reasons.append(
                f"iuran berturut-turut sebelum PHK {consecutive} bulan, kurang dari "
                f"{q.value['min_consecutive']} bulan ({q.citation})"
            )
    if f.arrears_months > 0:
        bankrupt = c.opt("jkp.bankrupt_employer_max_arrears_months")
        if f.employer_bankrupt and bankrupt is not None and f.arrears_months <= bankrupt.value:
            out.notes.append(
                f"pemberi kerja pailit/tutup dan menunggak {f.arrears_months} bulan (<= "
                f"{bankrupt.value}): JKP tetap dibayar ({bankrupt.citation})"
            )
        else:
            out.reasons.append(f"pemberi kerja menunggak iuran {f.arrears_months} bulan")
    if f.new_job:
        out.reasons.append("hak atas JKP hilang: peserta sudah bekerja kembali")
    deadline = c.get("jkp.claim_deadline_months")
    last_day = waiting_until(f.event_date, deadline.value)
    if f.claim_date is not None and f.claim_date > last_day:
        out.reasons.append(
            f"pengajuan {f.claim_date.isoformat()} melewati batas {deadline.value} bulan sejak "
            f"PHK ({last_day.isoformat()}; {deadline.citation})"
        )
    elif f.claim_date is None:
        out.notes.append(f"manfaat harus diajukan paling lambat {last_day.isoformat()}")
    if out.reasons:
        return out
    cap = c.get("jkp.wage_cap")
    base = min(f.wage, cap.value)
    base_txt = (
        f"batas upah {rp(cap.value)} (upah {rp(f.wage)})"
        if f.wage > cap.value
        else f"upah {rp(f.wage)}"
    )
    exact = Decimal(0)
    parts = []
    for months, percent in schedule.value:
        exact += months * Decimal(percent) / HUNDRED * base
        parts.append(f"{months} bln × {pct(percent)}")
    out.items.append(
        c.item(
            "cash_benefit",
            exact,
            f"({' + '.join(parts)}) × {base_txt}",
            [schedule, cap if f.wage > cap.value else None],
        )
    )
    return out
