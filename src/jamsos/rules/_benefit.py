"""Shared pieces of the benefit rules: context, membership checks, scholarships."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from ._ctx import Ctx, add_months, age_on, dec, months_between
from .model import CaseFacts, InputError, Item, make_item
from .money import rp
from .params import ParameterSet, ParamValue

LEVEL_ORDER = ("tk", "sd", "smp", "sma", "pt")
LEVEL_NAMES = {
    "belum_sekolah": "belum sekolah",
    "tk": "TK",
    "sd": "SD",
    "smp": "SMP",
    "sma": "SMA",
    "pt": "perguruan tinggi/pelatihan",
}


@dataclass
class Outcome:
    """What a programme rule returns before it becomes a :class:`Result`."""

    items: list[Item] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class BCtx(Ctx):
    """Lookups for one event, plus parameters that taint every item (e.g. arrears)."""

    __slots__ = ("common", "facts", "program")

    def __init__(self, params: ParameterSet | None, f: CaseFacts) -> None:
        super().__init__(params, f.event_date)
        self.facts = f
        self.program = f.program
        self.common: list[ParamValue] = []

    def item(
        self,
        code: str,
        exact: Decimal | int,
        basis: str,
        used: Iterable[ParamValue | None],
        *,
        program: str | None = None,
        unconfirmed: bool = False,
    ) -> Item:
        prog = program or self.program
        return make_item(
            code,
            exact,
            basis,
            [*used, *self.common],
            self.rounding(prog),
            unconfirmed=unconfirmed,
        )

    # -- facts derived ------------------------------------------------------------
    def age(self, option: str = "--age") -> int:
        f = self.facts
        if f.birth_date is not None:
            return age_on(f.birth_date, f.event_date)
        if f.age is not None:
            return f.age
        raise InputError(option, "usia peserta (--age atau --birth-date) diperlukan")

    def months_paid(self) -> int | None:
        """Masa iur: given, or completed months of membership minus months in arrears.

        Membership months count only from the programme's first contribution month (JP:
        July 2015, JKP: February 2021; ``<program>.first_contribution_month``)."""
        f = self.facts
        if f.months_paid is not None:
            return f.months_paid
        months = self.membership_months()
        if months is not None:
            return max(months - f.arrears_months, 0)
        return None

    def programme_start(self) -> ParamValue | None:
        """First contribution month of a programme that started after the data (JP, JKP)."""
        name = f"{self.program}.first_contribution_month"
        if name not in self.params.names():
            return None
        return self.params.get_optional(name, self.on)

    def membership_months(self) -> int | None:
        """Completed months of membership in this programme up to the event date."""
        f = self.facts
        if f.membership_start is None:
            return None
        start = f.membership_start
        ps = self.programme_start()
        if ps is not None and ps.value > start:
            start = ps.value
        return months_between(start, f.event_date)

    def possible_months(self, window: int | None = None) -> int | None:
        """Upper bound on contribution months: calendar months from the later of the
        programme's first contribution month and the membership start (and the start of a
        ``window`` of months before the event month) up to the month before the event month
        (the months an estimated balance sums).  ``None`` when
        neither the programme start nor the membership start is known (no bound but the
        global one)."""
        f = self.facts
        starts: list[dt.date] = []
        ps = self.programme_start()
        if ps is not None:
            starts.append(ps.value)
        elif self.program in ("jp", "jkp"):
            return 0  # the programme did not exist on the event date
        if f.membership_start is not None:
            starts.append(f.membership_start.replace(day=1))
        event_month = f.event_date.replace(day=1)
        if window is not None:
            starts.append(add_months(event_month, -window))
        if not starts:
            return None
        start = max(starts)
        n = (event_month.year - start.year) * 12 + event_month.month - start.month
        return max(n, 0)


def membership_check(c: BCtx) -> Outcome:
    """Shared eligibility: membership active on the event date (BPU lapse rule)."""
    f = c.facts
    out = Outcome()
    if f.membership_start is not None and f.event_date < f.membership_start:
        out.reasons.append(
            "kepesertaan tidak aktif pada tanggal kejadian: kepesertaan baru dimulai "
            f"{f.membership_start.isoformat()}"
        )
    if f.membership_end is not None and f.event_date > f.membership_end:
        out.reasons.append(
            "kepesertaan tidak aktif pada tanggal kejadian: kepesertaan berakhir "
            f"{f.membership_end.isoformat()}"
        )
    if f.segment == "bpu" and f.arrears_months > 0:
        lapse = c.get("eligibility.bpu_lapse_arrears_months")
        if f.arrears_months >= lapse.value:
            out.reasons.append(
                f"kepesertaan tidak aktif pada tanggal kejadian: menunggak {f.arrears_months} bulan"
            )
            out.notes.append(
                f"peserta BPU non-aktif setelah menunggak {lapse.value} bulan ({lapse.citation})"
            )
        else:
            cover = c.get("eligibility.bpu_covered_while_in_arrears")
            c.common.append(cover)
            out.notes.append(
                f"peserta BPU menunggak {f.arrears_months} bulan (belum {lapse.value} bulan): "
                "dianggap masih dilindungi, belum dikonfirmasi"
            )
    elif f.segment == "pu" and f.arrears_months > 0:
        out.notes.append(
            f"pemberi kerja menunggak {f.arrears_months} bulan; tunggakan tetap ditagih kepada "
            "pemberi kerja"
        )
    return out


def periodic_item(c: BCtx, name: str) -> Item:
    pv = c.get(name)
    months, monthly = pv.value["months"], pv.value["monthly"]
    return c.item(
        "periodic_benefit",
        months * monthly,
        f"santunan berkala {months} × {rp(monthly)}, dibayar sekaligus",
        [pv],
    )


def _child_age(ch_birth: dt.date | None, on: dt.date) -> int | None:
    return None if ch_birth is None else age_on(ch_birth, on)


def scholarship(c: BCtx, out: Outcome, *, min_months_name: str, scheme_name: str) -> None:
    """Append the ``scholarship`` item: the total entitlement of up to N eligible children.

    With the per-level scheme (PP 82/2019) the amount of a child is the sum of the yearly
    amounts from the child's current level (years already done deducted) to the end of
    higher education, i.e. Rp87 jt for a child not yet at school.  It is paid year by year
    as the child studies; the item reports the total entitlement.
    """
    f = c.facts
    if not f.children:
        return
    scheme = c.get(scheme_name)
    min_pv = c.get(min_months_name)
    used: list[ParamValue | None] = [scheme, min_pv]
    if min_pv.value > 0:
        paid = c.months_paid()
        if paid is None:
            out.notes.append(
                "beasiswa tidak dihitung: masa iur tidak diketahui (--months-paid atau "
                "--membership-start)"
            )
            return
        if paid < min_pv.value:
            out.notes.append(
                f"beasiswa tidak diberikan: masa iur {paid} bulan, kurang dari "
                f"{min_pv.value} bulan ({min_pv.citation})"
            )
            return
    max_age_pv = c.opt("scholarship.max_age")
    eligible: list[tuple[int, object]] = []
    for idx, ch in enumerate(f.children, start=1):
        age = _child_age(ch.birth_date, f.event_date)
        if ch.married or ch.working:
            out.notes.append(f"anak {idx} tidak berhak beasiswa: sudah menikah atau bekerja")
            continue
        if max_age_pv is not None and age is not None and age >= max_age_pv.value:
            out.notes.append(
                f"anak {idx} tidak berhak beasiswa: usia {age} tahun (batas {max_age_pv.value})"
            )
            used.append(max_age_pv)
            continue
        eligible.append((idx, ch))
    max_children = scheme.value["max_children"]
    if len(eligible) > max_children:
        skipped = ", ".join(str(i) for i, _ in eligible[max_children:])
        out.notes.append(
            f"beasiswa paling banyak {max_children} anak: anak {skipped} tidak dihitung"
        )
        eligible = eligible[:max_children]
    if not eligible:
        return
    if scheme.value["mode"] == "lump_sum":
        amount = scheme.value["amount"] * len(eligible)
        basis = f"{len(eligible)} anak × {rp(scheme.value['amount'])}"
        out.items.append(c.item("scholarship", amount, basis, used))
        return
    levels_pv = c.get("scholarship.levels")
    used.append(levels_pv)
    table = levels_pv.value
    total = 0
    parts: list[str] = []
    for idx, ch in eligible:
        level = ch.level or "belum_sekolah"  # type: ignore[attr-defined]
        if level != "belum_sekolah" and level not in table:
            raise InputError("--child", f"jenjang {level!r} tidak dikenal")
        start = 0 if level == "belum_sekolah" else LEVEL_ORDER.index(level)
        terms: list[str] = []
        amount = 0
        for j, lv in enumerate(LEVEL_ORDER[start:]):
            per_year, years = table[lv]["per_year"], table[lv]["years"]
            if j == 0 and level != "belum_sekolah":
                years = max(years - ch.years_done, 0)  # type: ignore[attr-defined]
            if years:
                amount += per_year * years
                terms.append(f"{LEVEL_NAMES[lv]} {years} th × {rp(per_year)}")
        label = LEVEL_NAMES[level] if ch.level else "jenjang belum diketahui"  # type: ignore[attr-defined]
        parts.append(f"anak {idx} ({label}): {' + '.join(terms)} = {rp(amount)}")
        total += amount
    basis = "; ".join(parts) + "; dibayar per tahun sesuai jenjang"
    out.items.append(c.item("scholarship", total, basis, used))


def waiting_until(start: dt.date, months: int) -> dt.date:
    return add_months(start, months)


__all__ = [
    "BCtx",
    "Outcome",
    "dec",
    "membership_check",
    "periodic_item",
    "scholarship",
    "waiting_until",
]
