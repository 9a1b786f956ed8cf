"""Turn the calculator form into the engine's facts (validation messages come from the engine)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

from jamsos.rules import EVENTS, CaseFacts, Child, InputError, contribution_facts
from jamsos.rules.model import SCHOOL_LEVELS

PROGRAM_LABELS = {"jkk": "JKK", "jkm": "JKM", "jht": "JHT", "jp": "JP", "jkp": "JKP"}
LEVEL_LABELS = {"belum_sekolah": _("Belum sekolah"), "tk": "TK", "sd": "SD", "smp": "SMP",
                "sma": "SMA/SMK", "pt": _("Perguruan tinggi")}
MAX_CHILDREN = 2


class FormError(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


def _date(data, name, required=False) -> dt.date | None:
    raw = (data.get(name) or "").strip()
    if not raw:
        if required:
            raise FormError(name, "Tanggal wajib diisi.")
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError as exc:
        raise FormError(name, "Tanggal tidak valid.") from exc


def _int(data, name, default=0) -> int:
    raw = (data.get(name) or "").strip().replace(".", "").replace(" ", "")
    if not raw:
        return default
    if not (raw.isascii() and raw.isdigit()):
        raise FormError(name, "Isi bilangan bulat tanpa desimal.")
    if len(raw) > 30:  # far beyond every bound of the engine (jamsos.rules.bounds)
        raise FormError(name, "Angka di luar batas wajar.")
    return int(raw)


def case_facts(data) -> CaseFacts:
    program = data.get("program", "")
    if program not in EVENTS:
        raise FormError("program", "Pilih program.")
    children = []
    for i in range(1, MAX_CHILDREN + 1):
        birth = _date(data, f"child{i}_birth")
        level = data.get(f"child{i}_level") or None
        if birth or level:
            if level is not None and level not in SCHOOL_LEVELS:
                raise FormError(f"child{i}_level", "Jenjang sekolah tidak dikenal.")
            children.append(Child(birth_date=birth, level=level))
    percent = (data.get("disability_percent") or "").strip().replace(",", ".")
    try:
        disability = Decimal(percent) if percent else None
    except InvalidOperation as exc:
        raise FormError("disability_percent", "Persentase tidak valid.") from exc
    return CaseFacts(
        program=program, event=data.get("event", ""),
        event_date=_date(data, "event_date", required=True), wage=_int(data, "wage"),
        segment=data.get("segment") or "pu",
        membership_start=_date(data, "membership_start"),
        arrears_months=_int(data, "arrears_months"),
        birth_date=_date(data, "birth_date"), children=tuple(children),
        incapacity_months=_int(data, "incapacity_months"), disability_percent=disability,
        treatment_cost=_int(data, "treatment_cost"), home_care_cost=_int(data, "home_care_cost"),
        claim_date=_date(data, "claim_date"),
        balance=_int(data, "balance", default=None) if data.get("balance") else None,
        registration_age=_int(data, "registration_age", None) if data.get(
            "registration_age") else None,
        months_paid_24=_int(data, "months_paid_24", None) if data.get(
            "months_paid_24") else None,
        consecutive_months=_int(data, "consecutive_months", None) if data.get(
            "consecutive_months") else None,
    )


def contribution_input(data):
    month = (data.get("month") or "").strip()
    try:
        first = dt.date.fromisoformat(month + "-01")
    except ValueError as exc:
        raise FormError("month", "Bulan iuran tidak valid (YYYY-MM).") from exc
    programs = [p for p in PROGRAM_LABELS if data.get(f"c_{p}")]
    if not programs:
        raise FormError("programs", "Pilih minimal satu program.")
    risk = (data.get("risk_class") or "").strip() or None
    if risk is not None and risk not in ("1", "2", "3", "4", "5"):
        raise FormError("risk_class", "Kelompok risiko JKK harus 1 sampai 5.")
    return contribution_facts(first, data.get("c_segment") or "pu", _int(data, "c_wage"),
                              programs, int(risk) if risk else None)


__all__ = ["FormError", "InputError", "case_facts", "contribution_input"]
