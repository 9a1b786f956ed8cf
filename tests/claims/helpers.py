"""Builders for the claims tests: workers with a start date and a wage, through the import."""

from __future__ import annotations

import datetime as dt

from jamsos.registry.models import Person
from jamsos.registry.services import import_workers
from tests.factories import TEBING_SULUH, ULAK_KAPAL

HEADER = ("NIK;Nama;Jenis Kelamin;Tanggal Lahir;Kode Desa;Kategori;Sub Kategori;Penghasilan;"
          "Tanggal Mulai;KPJ")
# Budi (PU, Tebing Suluh), Siti (BPU, Tebing Suluh), Ahmad (PU, Ulak Kapal); all covered from
# 2021-01-01 (over 36 months of masa iur by 2025).
ROWS = (
    f"1602131708850001;Budi Santoso;L;17-08-1985;{TEBING_SULUH};d;Ketua RT;2000000;01-01-2021;",
    f"1602135708900002;Siti Aminah;P;17-08-1990;{TEBING_SULUH};c;Kader posyandu;1000000;"
    "01-01-2021;12345678901",
    f"1602021708800003;Ahmad Fauzi;L;17-08-1980;{ULAK_KAPAL};b;Perangkat desa;3000000;"
    "01-01-2021;",
)


def workers(*rows: str) -> dict[str, Person]:
    report = import_workers("\n".join([HEADER, *(rows or ROWS)]).encode(), "t.csv",
                            today=dt.date(2025, 9, 2))
    assert not report.errors, report.errors
    return {p.name.split()[0].lower(): p for p in Person.objects.all()}


def through_ladder(claim, *, user, to="paid", on=None, paid_amount=None, reason=""):
    """Move a claim up the ladder with every document ticked (dates: ``on`` for each step)."""
    from jamsos.claims import entitlements as ent
    from jamsos.claims import services

    on = on or claim.status_on
    docs = [d.code for d in ent.checklist(claim.program, claim.event).documents]
    services.set_documents(claim, received=docs, user=user)
    claim = services.move_claim(claim, to="documents_complete", on=on, user=user)
    if to == "documents_complete":
        return claim
    claim = services.move_claim(claim, to="submitted", on=on, user=user)
    if to == "submitted":
        return claim
    if to == "rejected":
        return services.move_claim(claim, to="rejected", on=on, user=user, reason=reason or "x")
    return services.move_claim(claim, to="paid", on=on, user=user, paid_amount=paid_amount)


def paid_claim(person, program, event, event_date, *, paid_on, amount, user, facts=None):
    from jamsos.claims import services

    claim = services.create_claim(person=person, program=program, event=event,
                                  event_date=event_date, user=user, facts=facts,
                                  reported_on=event_date)
    return through_ladder(claim, user=user, on=paid_on, paid_amount=amount)
