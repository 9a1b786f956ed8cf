"""Reading the DTSEN extracts: which one is in force on a date, and a household's decile."""

from __future__ import annotations

import datetime as dt

from jamsos.dtsen.models import DtsenExtract, DtsenRecord


def extract_in_force(on: dt.date) -> DtsenExtract | None:
    """The latest extract valid on ``on`` (a later upload of the same date wins)."""
    return (DtsenExtract.objects.filter(valid_from__lte=on)
            .order_by("-valid_from", "-id").first())


def decile_of(extract: DtsenExtract, *, nik: str, no_kk: str) -> tuple[int | None, str]:
    """The household's decile in ``extract``: the lowest listed for the person's NIK, else
    for the No. KK; ``(None, "")`` when neither is listed."""
    by_nik = DtsenRecord.objects.filter(extract=extract, nik=nik)
    decile = min(by_nik.values_list("decile", flat=True), default=None)
    if decile is not None:
        return decile, "nik"
    by_kk = DtsenRecord.objects.filter(extract=extract, no_kk=no_kk)
    decile = min(by_kk.values_list("decile", flat=True), default=None)
    return decile, "kk" if decile is not None else ""
