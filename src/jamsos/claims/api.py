"""API of the claims app (``/api/v1/claims/``).

Thin: reads go through :mod:`jamsos.claims.selectors` (the report is the CLI's
``claim_report``), a move on the status ladder through
:func:`jamsos.claims.services.move_claim`. A claim belongs to the area of its person's desa;
other areas' claims are 404. Named claims and follow-ups need ``view_people`` (pimpinan: 403,
the report is an aggregate); moves need a claims writer (admin, operator, bpjs). NIKs are
masked for roles without personal-data rights. Money is integer rupiah.
"""

import datetime as dt
from typing import Literal

from django.http import Http404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from jamsos.accounts.selectors import can_see_personal_data
from jamsos.api.common import (
    Error,
    FieldError,
    Mapped,
    Rupiah,
    nik,
    people_area,
    report_area,
    text,
)
from jamsos.audit.services import record as audit_record
from jamsos.claims import entitlements as ent
from jamsos.claims import selectors, services
from jamsos.claims.models import Claim, FollowUp

router = Router(tags=["claims"])

SearchText = text(100)
ReasonText = text(300)
DocCode = text(40)
AreaCode = text(13)
StatusName = Literal["reported", "documents_complete", "submitted", "paid", "rejected"]
ProgramName = Literal["jkk", "jkm", "jht", "jp", "jkp"]


class ClaimOut(Schema):
    id: int
    person_id: int
    person_name: str
    nik: str
    desa_code: str
    program: ProgramName
    event: str
    event_label: str
    event_date: dt.date
    status: StatusName
    status_on: dt.date
    entitlement: int | None
    paid_amount: int | None
    paid_on: dt.date | None
    difference: int | None
    difference_flagged: bool
    bpjs_reference: str | None


class ItemOut(Schema):
    code: str
    amount: int
    basis: str
    citation: str
    unconfirmed: bool
    program: str | None = None
    payer: str | None = None


class StepOut(Schema):
    status: StatusName
    on: dt.date
    by_name: str
    note: str


class BeneficiaryOut(Schema):
    name: str
    relation: str
    nik: str
    birth_date: dt.date | None


class ChildOut(Schema):
    id: int
    name: str
    birth_date: dt.date
    level: str
    entitlement: int
    awarded_on: dt.date | None
    ended_on: dt.date | None
    end_reason: str


class DocumentOut(Schema):
    code: str
    label: str
    received: bool


class ClaimDetailOut(ClaimOut):
    category: str
    segment: str
    wage: int | None
    eligible: bool
    reasons: list[str]
    notes: list[str]
    items: list[ItemOut] = Field(description="Hak yang dihitung mesin regulasi, disimpan "
                                             "bersama klaim")
    scholarship_entitlement: int
    entitlement_estimated: bool
    documents: list[DocumentOut]
    rejection_reason: str
    difference_note: str
    next_statuses: list[StatusName]
    steps: list[StepOut]
    beneficiaries: list[BeneficiaryOut]
    children: list[ChildOut]


def _claim_out(request, c: Claim) -> dict:
    return {"id": c.pk, "person_id": c.person_id, "person_name": c.person.name,
            "nik": nik(request, c.person.nik), "desa_code": c.person.desa_id,
            "program": c.program, "event": c.event, "event_label": c.event_label,
            "event_date": c.event_date, "status": c.status, "status_on": c.status_on,
            "entitlement": c.entitlement, "paid_amount": c.paid_amount, "paid_on": c.paid_on,
            "difference": c.difference, "difference_flagged": c.difference_flagged,
            "bpjs_reference": c.bpjs_reference}


def _detail_out(request, c: Claim) -> dict:
    checklist = ent.checklist(c.program, c.event)
    return {
        **_claim_out(request, c), "category": c.category, "segment": c.segment,
        "wage": c.wage, "eligible": c.eligible, "reasons": [str(r) for r in c.reasons],
        "notes": [str(n) for n in c.notes], "items": c.items,
        "scholarship_entitlement": c.scholarship_entitlement,
        "entitlement_estimated": c.entitlement_estimated,
        "documents": [{"code": d.code, "label": str(d.label),
                       "received": bool(c.documents.get(d.code))}
                      for d in checklist.documents],
        "rejection_reason": c.rejection_reason, "difference_note": c.difference_note,
        "next_statuses": list(c.next_statuses),
        "steps": [{"status": s.status, "on": s.on, "by_name": s.by_name, "note": s.note}
                  for s in c.steps.all()],
        "beneficiaries": [{"name": b.name, "relation": b.relation, "nik": nik(request, b.nik),
                           "birth_date": b.birth_date} for b in c.beneficiaries.all()],
        "children": [{"id": ch.pk, "name": ch.name, "birth_date": ch.birth_date,
                      "level": ch.level, "entitlement": ch.entitlement,
                      "awarded_on": ch.awarded_on, "ended_on": ch.ended_on,
                      "end_reason": ch.end_reason} for ch in c.children.all()],
    }


def _visible_claim(request, claim_id: int) -> Claim:
    area = people_area(request)
    try:
        return selectors.claims_in(area).select_related(
            "person", "person__desa", "enrolment").get(pk=claim_id)
    except Claim.DoesNotExist as exc:
        raise Http404 from exc


class ClaimQuery(Schema):
    status: StatusName | None = None
    program: ProgramName | None = None
    q: SearchText = Field("", description="Nama, NIK (16 angka), KPJ atau no. klaim BPJS")
    flagged: bool = Field(False, description="Hanya klaim dibayar yang berselisih dengan hak "
                                             "dan belum ditindaklanjuti")


@router.get("", response={200: list[ClaimOut], 403: Error},
            summary="Klaim di wilayah pengguna (filter status, program, cari, selisih)")
@paginate(LimitOffsetPagination)
def claim_list(request, filters: Query[ClaimQuery]):
    area = people_area(request)
    qs = selectors.search_claims(area, status=filters.status or "",
                                 program=filters.program or "", query=filters.q,
                                 flagged=filters.flagged)
    return Mapped(qs, lambda c: _claim_out(request, c))


# ---- report (before /{claim_id} so that the path is not taken for an id) -------------------

class ReportRowOut(Schema):
    label: str
    claims: int
    amount: int


class ProgramRowOut(ReportRowOut):
    program: str


class MonthRowOut(ReportRowOut):
    month: str


class CategoryRowOut(ReportRowOut):
    category: str


class KecamatanRowOut(ReportRowOut):
    kecamatan: str


class ReportOut(Schema):
    area: str
    area_name: str
    date_from: dt.date = Field(alias="from")
    date_to: dt.date = Field(alias="to")
    claims: int = Field(description="Klaim yang dibayar BPJS dalam periode")
    amount: int = Field(description="Jumlah dibayar BPJS (Rp)")
    by_program: list[ProgramRowOut]
    by_month: list[MonthRowOut]
    by_category: list[CategoryRowOut]
    by_kecamatan: list[KecamatanRowOut]
    scholarship_children: int
    scholarship_amount: int
    scholarship_paid: int
    scholarship_payments: int
    differences: int


class ReportQuery(Schema):
    date_from: dt.date | None = Field(None, alias="from", description="Bawaan: 1 Januari")
    date_to: dt.date | None = Field(None, alias="to", description="Bawaan: hari ini")
    area: AreaCode | None = Field(None, description="Kode wilayah di dalam wilayah pengguna")


@router.get("/report", response={200: ReportOut, 403: Error, 404: Error, 422: Error},
            by_alias=True,
            summary="Laporan klaim dan beasiswa satu periode (agregat; juga untuk pimpinan)")
def report(request, query: Query[ReportQuery]):
    area = report_area(request, query.area)
    if area is None:
        return Status(404, {"detail": "Wilayah tidak ditemukan."})
    today = timezone.localdate()
    start = query.date_from or dt.date(today.year, 1, 1)
    end = query.date_to or today
    if end < start:
        return Status(422, {"detail": "Tanggal 'to' sebelum tanggal 'from'."})
    return Status(200, selectors.claim_report(area, start, end).as_json())


# ---- heirs' follow-up -----------------------------------------------------------------------

class FollowUpOut(Schema):
    id: int
    person_id: int
    person_name: str
    nik: str
    desa_code: str
    died_on: dt.date
    source: str
    program: str
    event: str
    entitlement: int
    status: str


class FollowUpsOut(Schema):
    follow_ups: int = Field(description="Tindak lanjut yang belum diajukan ahli waris")
    amount: int = Field(description="Hak yang belum diklaim (Rp)")
    items: list[FollowUpOut]


def _follow_up_out(request, fu: FollowUp) -> dict:
    return {"id": fu.pk, "person_id": fu.person_id, "person_name": fu.person.name,
            "nik": nik(request, fu.person.nik), "desa_code": fu.person.desa_id,
            "died_on": fu.died_on, "source": fu.source, "program": fu.program,
            "event": fu.event, "entitlement": fu.entitlement, "status": fu.status}


@router.get("/follow-ups", response={200: FollowUpsOut, 403: Error},
            summary="Tindak lanjut ahli waris: kematian peserta yang haknya belum diklaim")
def follow_ups(request):
    area = people_area(request)
    data = selectors.unclaimed_entitlements(area)
    return Status(200, {"follow_ups": data["follow_ups"], "amount": data["amount"],
                        "items": [_follow_up_out(request, fu) for fu in data["rows"]]})


# ---- one claim --------------------------------------------------------------------------------

@router.get("/{claim_id}", response={200: ClaimDetailOut, 403: Error, 404: Error},
            summary="Satu klaim: hak (per butir, dengan dasar dan sitasi), pembayaran, riwayat")
def claim_detail(request, claim_id: int):
    item = _visible_claim(request, claim_id)
    if can_see_personal_data(request.user):
        audit_record(user=request.user, action="view_personal", obj_type="claim",
                     obj_id=item.pk, changes={}, source="api")
    return Status(200, _detail_out(request, item))


class MoveIn(Schema):
    to: StatusName
    on: dt.date | None = Field(None, description="Tanggal status; bawaan: hari ini")
    paid_amount: Rupiah | None = Field(None, description="Wajib untuk `paid` (Rp, ≥ 0)")
    reason: ReasonText = Field("", description="Wajib untuk `rejected`")


@router.post("/{claim_id}/status",
             response={200: ClaimDetailOut, 403: Error, 404: Error, 409: FieldError,
                       422: FieldError},
             summary="Naikkan klaim satu anak tangga status (409 bila status sudah berubah "
                     "atau perpindahan tidak diizinkan)")
def claim_move(request, claim_id: int, body: MoveIn):
    claim = _visible_claim(request, claim_id)
    if not services.can_write_claims(request.user):
        return Status(403, {"detail": "Peran ini tidak boleh mengubah klaim."})
    try:
        services.move_claim(claim, to=body.to, user=request.user, on=body.on,
                            paid_amount=body.paid_amount, reason=body.reason)
    except services.ClaimError as exc:
        code = 409 if exc.field == "status" else 422
        return Status(code, {"field": exc.field, "detail": exc.message})
    return Status(200, _detail_out(request, _visible_claim(request, claim_id)))


class DocumentsIn(Schema):
    received: list[DocCode] = Field(description="Kode dokumen yang sudah diterima; sisanya "
                                                  "dianggap belum")


@router.put("/{claim_id}/documents",
            response={200: ClaimDetailOut, 403: Error, 404: Error, 422: FieldError},
            summary="Centang dokumen yang sudah diterima (selama klaim belum diajukan)")
def claim_documents(request, claim_id: int, body: DocumentsIn):
    claim = _visible_claim(request, claim_id)
    if not services.can_write_claims(request.user):
        return Status(403, {"detail": "Peran ini tidak boleh mengubah klaim."})
    try:
        services.set_documents(claim, received=body.received, user=request.user)
    except services.ClaimError as exc:
        return Status(422, {"field": exc.field, "detail": exc.message})
    return Status(200, _detail_out(request, _visible_claim(request, claim_id)))
