"""JKM: Jaminan Kematian (death not caused by a work accident; PP 44/2015 Pasal 34)."""

from __future__ import annotations

from ._benefit import BCtx, Outcome, periodic_item, scholarship
from .money import rp

EVENTS = ("death",)


def compute(c: BCtx) -> Outcome:
    out = Outcome()
    early = c.opt("jkm.early_death")
    if early is not None:
        months = c.membership_months()
        limit = early.value["min_membership_months"]
        if months is None:
            out.notes.append(
                f"tanggal mulai kepesertaan tidak diketahui: aturan masa kepesertaan minimal "
                f"{limit} bulan ({early.citation}) tidak diperiksa"
            )
        elif months < limit:
            amount = early.value["funeral"]
            out.notes.append(
                f"meninggal dalam {limit} bulan pertama kepesertaan ({months} bulan penuh): "
                f"hanya {rp(amount)}"
            )
            out.items.append(
                c.item(
                    "funeral",
                    amount,
                    f"kepesertaan {months} bulan (< {limit} bulan): hanya {rp(amount)} "
                    "(biaya pemakaman; pembagian santunan/pemakaman belum pasti)",
                    [early],
                )
            )
            return out
    pv = c.get("jkm.death_lump_sum")
    out.items.append(c.item("death_lump_sum", pv.value, f"santunan kematian {rp(pv.value)}", [pv]))
    out.items.append(periodic_item(c, "jkm.periodic_benefit"))
    pv = c.get("jkm.funeral")
    out.items.append(c.item("funeral", pv.value, f"biaya pemakaman {rp(pv.value)}", [pv]))
    scholarship(
        c,
        out,
        min_months_name="jkm.scholarship_min_contribution_months",
        scheme_name="jkm.scholarship",
    )
    return out
