"""Benefit engine entry point: facts of a case → itemised :class:`Result`."""

from __future__ import annotations

from . import jht, jkk, jkm, jkp, jp
from ._benefit import BCtx, membership_check
from .bounds import check_case
from .model import PROGRAMS, SEGMENTS, CaseFacts, InputError, Result
from .params import ParameterSet

#: Events accepted per programme (documented in docs/rules.md).
EVENTS: dict[str, tuple[str, ...]] = {
    "jkk": jkk.EVENTS,
    "jkm": jkm.EVENTS,
    "jht": jht.EVENTS,
    "jp": jp.EVENTS,
    "jkp": jkp.EVENTS,
}
_RULES = {
    "jkk": jkk.compute,
    "jkm": jkm.compute,
    "jht": jht.compute,
    "jp": jp.compute,
    "jkp": jkp.compute,
}


def validate(f: CaseFacts) -> None:
    if f.program not in PROGRAMS:
        raise InputError("--program", f"harus salah satu dari {', '.join(PROGRAMS)}")
    if f.event not in EVENTS[f.program]:
        hint = ""
        if f.program == "jkm" and f.event == "work_accident_death":
            hint = " (kematian akibat kecelakaan kerja: --program jkk)"
        raise InputError(
            "--event",
            f"event {f.event!r} tidak berlaku untuk {f.program.upper()}; pilihan: "
            f"{', '.join(EVENTS[f.program])}{hint}",
        )
    if f.segment not in SEGMENTS:
        raise InputError("--segment", "harus pu atau bpu")
    if isinstance(f.wage, bool) or not isinstance(f.wage, int) or f.wage < 0:
        raise InputError("--wage", "upah harus bilangan bulat rupiah >= 0")
    for name, v in (
        ("--months-paid", f.months_paid),
        ("--arrears-months", f.arrears_months),
        ("--incapacity-months", f.incapacity_months),
        ("--treatment-cost", f.treatment_cost),
        ("--home-care-cost", f.home_care_cost),
        ("--balance", f.balance),
        ("--age", f.age),
    ):
        if v is not None and v < 0:
            raise InputError(name, "tidak boleh negatif")
    for _, cost in f.transport_costs:
        if cost < 0:
            raise InputError("--transport", "biaya tidak boleh negatif")
    if f.membership_start and f.membership_end and f.membership_end < f.membership_start:
        raise InputError("--membership-end", "sebelum --membership-start")
    check_case(f)


def check_programme_months(c: BCtx) -> None:
    """Months of contributions cannot exceed the months in which the programme existed and
    the member was in it (JP from July 2015, JKP from February 2021)."""
    f = c.facts
    ps = c.programme_start()
    if ps is None and f.program in ("jp", "jkp"):
        return  # the programme did not exist yet: its rule says so
    since = (
        f" (program {f.program.upper()} ada sejak {ps.value:%Y-%m}; {ps.citation})"
        if ps is not None
        else ""
    )
    if f.membership_start is not None:
        since += f", kepesertaan sejak {f.membership_start.isoformat()}"
    if f.program == "jkp" and f.months_paid_24 is not None:
        window = c.possible_months(24)
        if window is not None and f.months_paid_24 > window:
            raise InputError(
                "--months-paid-24",
                f"{f.months_paid_24} bulan tidak mungkin: paling banyak {window} bulan iuran "
                f"JKP dalam 24 bulan sampai {f.event_date.isoformat()}{since}",
            )
    limit = c.possible_months()
    for option, value in (
        ("--months-paid", f.months_paid),
        ("--consecutive-months", f.consecutive_months),
        ("--arrears-months", f.arrears_months or None),
    ):
        if value is not None and limit is not None and value > limit:
            raise InputError(
                option,
                f"{value} bulan tidak mungkin: paling banyak {limit} bulan iuran "
                f"{f.program.upper()} sampai {f.event_date.isoformat()}{since}",
            )


def compute_benefit(f: CaseFacts, params: ParameterSet | None = None) -> Result:
    """Evaluate one case.  Raises :class:`InputError` for bad facts and
    :class:`~jamsos.rules.params.MissingParameterError` if the data has no value for the
    date (e.g. an event before 1 July 2015)."""
    validate(f)
    c = BCtx(params, f)
    check = membership_check(c)
    if check.reasons:
        return Result(False, (), tuple(check.reasons), tuple(check.notes), f.program, f.event)
    if f.segment == "pu" or f.program not in ("jp", "jkp"):  # JP/JKP: BPU refused below
        check_programme_months(c)
    out = _RULES[f.program](c)
    notes = [*check.notes, *out.notes]
    if out.reasons:
        return Result(False, (), tuple(out.reasons), tuple(notes), f.program, f.event)
    return Result(True, tuple(out.items), (), tuple(notes), f.program, f.event)
