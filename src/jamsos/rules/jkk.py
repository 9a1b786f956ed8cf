"""JKK: Jaminan Kecelakaan Kerja benefits (PP 44/2015 Lampiran III, as amended by PP 82/2019)."""

from __future__ import annotations

from decimal import Decimal

from ._benefit import BCtx, Outcome, periodic_item, scholarship
from ._ctx import dec
from .model import InputError
from .money import num, pct, rp

EVENTS = (
    "work_accident",
    "temporary_incapacity",
    "partial_disability",
    "total_disability",
    "work_accident_death",
)
HUNDRED = Decimal(100)
TRANSPORT_MODES = {"land": "darat/sungai/danau", "sea": "laut", "air": "udara"}


def _medical(c: BCtx, out: Outcome) -> None:
    f = c.facts
    if f.treatment_cost:
        pv = c.get("jkk.treatment")
        out.items.append(
            c.item(
                "treatment",
                f.treatment_cost,
                f"biaya perawatan sesuai kebutuhan medis ({pv.value}): {rp(f.treatment_cost)}",
                [pv],
            )
        )
    if f.transport_costs:
        pv = c.get("jkk.transport_ceiling")
        total = 0
        parts = []
        for mode, cost in f.transport_costs:
            if mode not in pv.value:
                raise InputError("--transport", f"moda {mode!r} tidak dikenal (land|sea|air)")
            cap = pv.value[mode]
            paid = min(cost, cap)
            total += paid
            parts.append(
                f"{TRANSPORT_MODES[mode]} {rp(cost)}"
                + (f" dibatasi {rp(cap)}" if cost > cap else f" (batas {rp(cap)})")
            )
        out.items.append(c.item("transport", total, "; ".join(parts), [pv]))
    if f.home_care_cost:
        pv = c.opt("jkk.home_care")
        if pv is None:
            out.notes.append("perawatan di rumah (homecare) belum diatur pada tanggal kejadian")
        else:
            cap = pv.value["per_year"] * pv.value["years"]
            out.items.append(
                c.item(
                    "home_care",
                    min(f.home_care_cost, cap),
                    f"biaya homecare {rp(f.home_care_cost)}, paling banyak "
                    f"{rp(pv.value['per_year'])} per tahun selama {pv.value['years']} tahun",
                    [pv],
                )
            )


def _stmb(c: BCtx, out: Outcome) -> None:
    f = c.facts
    months = f.incapacity_months
    if months <= 0:
        return
    pv = c.get("jkk.stmb_schedule")
    left = months
    exact = Decimal(0)
    parts = []
    for tranche_months, percent in pv.value:
        n = left if tranche_months == 0 else min(left, tranche_months)
        if n <= 0:
            break
        exact += n * Decimal(percent) / HUNDRED * f.wage
        parts.append(f"{n} bln × {pct(percent)}")
        left -= n
    if left > 0:  # pragma: no cover - schedules end with an open tranche
        raise InputError("--incapacity-months", "jadwal STMB tidak mencakup seluruh bulan")
    basis = f"({' + '.join(parts)}) × upah {rp(f.wage)}"
    out.items.append(c.item("temporary_incapacity", exact, basis, [pv]))


def _partial(c: BCtx, out: Outcome) -> None:
    f = c.facts
    factor = c.get("jkk.disability_factor")
    used = [factor]
    if f.disability_part is not None:
        table = c.get("jkk.disability_table")
        used.append(table)
        if f.disability_part not in table.value:
            raise InputError(
                "--disability-part",
                f"bagian {f.disability_part!r} tidak ada dalam tabel (tersedia: "
                f"{', '.join(sorted(table.value))}; atau gunakan --disability-percent)",
            )
        percent = Decimal(table.value[f.disability_part])
        labels = c.params.meta("jkk.disability_table").get("labels", {})
        what = f" ({labels.get(f.disability_part, f.disability_part)})"
    elif f.disability_percent is not None:
        percent = dec(f.disability_percent)
        what = ""
    else:
        raise InputError(
            "--disability-percent", "cacat sebagian memerlukan --disability-part atau persentase"
        )
    if not 0 < percent <= 100:
        raise InputError("--disability-percent", "persentase cacat harus 0 < p <= 100")
    exact = percent / HUNDRED * factor.value * f.wage
    basis = f"{pct(percent)}{what} × {factor.value} × upah {rp(f.wage)}"
    if f.function_loss_percent is not None:
        loss = dec(f.function_loss_percent)
        if not 0 < loss <= 100:
            raise InputError("--function-loss-percent", "harus 0 < p <= 100")
        exact = exact * loss / HUNDRED
        basis = f"{pct(loss)} kehilangan fungsi × {basis} (cacat sebagian fungsi)"
    else:
        basis += " (cacat sebagian anatomis)"
    out.items.append(c.item("disability_lump_sum", exact, basis, used))


def _total(c: BCtx, out: Outcome) -> None:
    f = c.facts
    factor, p = c.get("jkk.disability_factor"), c.get("jkk.total_disability_percent")
    mult = Decimal(p.value) / HUNDRED * factor.value
    out.items.append(
        c.item(
            "disability_lump_sum",
            mult * f.wage,
            f"{pct(p.value)} × {factor.value} × upah {rp(f.wage)} = {num(mult)} × upah "
            "(cacat total tetap)",
            [p, factor],
        )
    )


def _death(c: BCtx, out: Outcome) -> None:
    f = c.facts
    factor, p = c.get("jkk.death_percent"), c.get("jkk.disability_factor")
    mult = Decimal(factor.value) / HUNDRED * p.value
    exact = mult * f.wage
    floor_pv = c.get("jkm.death_lump_sum")
    basis = f"{pct(factor.value)} × {p.value} × upah {rp(f.wage)} = {num(mult)} × upah"
    used = [factor, p]
    if exact < floor_pv.value:
        exact = Decimal(floor_pv.value)
        basis += f" {rp(mult * f.wage)}, dinaikkan ke santunan kematian JKM {rp(floor_pv.value)}"
        used.append(floor_pv)
    out.items.append(c.item("death_lump_sum", exact, basis, used))


def compute(c: BCtx) -> Outcome:
    f = c.facts
    out = Outcome()
    ev = f.event
    if ev == "temporary_incapacity" and f.incapacity_months <= 0:
        raise InputError("--incapacity-months", "harus > 0 untuk temporary_incapacity")
    if ev == "partial_disability":
        _partial(c, out)
    elif ev == "total_disability":
        _total(c, out)
        out.items.append(periodic_item(c, "jkk.periodic_benefit"))
    elif ev == "work_accident_death":
        _death(c, out)
        out.items.append(periodic_item(c, "jkk.periodic_benefit"))
        pv = c.get("jkk.funeral")
        out.items.append(c.item("funeral", pv.value, f"biaya pemakaman {rp(pv.value)}", [pv]))
    _stmb(c, out)
    _medical(c, out)
    if ev in ("total_disability", "work_accident_death"):
        scholarship(
            c,
            out,
            min_months_name="jkk.scholarship_min_contribution_months",
            scheme_name="jkk.scholarship",
        )
    return out
