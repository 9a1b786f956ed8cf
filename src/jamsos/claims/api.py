"""API of the claims app (``/api/v1/claims/``).

Thin: reads go through :mod:`jamsos.claims.selectors` (the report is the CLI's
``claim_report``), a move on the status ladder through
:func:`jamsos.claims.services.move_claim`. A claim belongs to the area of its person's desa;
other areas' claims are 404. Named claims and follow-ups need ``view_people`` (pimpinan: 403,
the report is an aggregate); moves need a claims writer (admin, operator, bpjs). NIKs are
masked for roles without personal-data rights. Money is integer rupiah.

Scholarships (``/scholarships``, ``/children/{id}``) are the web's ``beasiswa/`` pages: every
child of the area with what is due for a school year (:func:`selectors.scholarships_due`), and
one child with its payments. The entitlements not yet claimed by heirs
(:func:`selectors.unclaimed_entitlements`) are ``/follow-ups``.

Writes (claims writers only, like the web pages; every change is audited by the service):
report a claim for a person of the caller's area, import a BPJS claim report (synchronously,
like the web page, with a dry run), heirs, scholarship children with their yearly payments and
end, declining a heirs' follow-up and noting the follow-up of a payment difference.
"""

import datetime as dt
from typing import Annotated, Literal

from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate

from jamsos.accounts.selectors import can_see_personal_data
from jamsos.api.common import (
    AreaCode,
    Error,
    FieldError,
    FieldErrors,
    Mapped,
    RowIssue,
    Rupiah,
    check_upload,
    list_audit,
    nik,
    people_area,
    report_area,
    text,
)
from jamsos.audit.services import record as audit_record
from jamsos.claims import entitlements as ent
from jamsos.claims import selectors, services
from jamsos.claims.models import Claim, FollowUp, ScholarshipChild
from jamsos.core.errors import DomainError
from jamsos.registry.selectors import search_people
from jamsos.rules import bounds

router = Router(tags=["claims"])

SearchText = text(100)
ReasonText = text(300)
DocCode = text(40)
StatusName = Literal["reported", "documents_complete", "submitted", "paid", "rejected"]
ProgramName = Literal["jkk", "jkm", "jht", "jp", "jkp"]
NameText = text(150)
NoteText = text(300)
EventCode = text(30)
NikText = text(16)
RelationName = Literal["janda", "duda", "anak", "orang_tua", "cucu", "saudara", "mertua",
                       "lainnya", "peserta"]
LevelName = Literal["belum_sekolah", "tk", "sd", "smp", "sma", "pt"]
EndReasonName = Literal["age", "married", "working", "completed", "died"]
#: Claim inputs are bounded by the regulation engine's plausibility bounds (one place:
#: jamsos.rules.bounds, reasoned in docs/rules.md); every result fits a ``BigIntegerField``.
Wage = Annotated[int, Field(ge=0, le=bounds.MAX_WAGE)]
Cost = Annotated[int, Field(ge=0, le=bounds.MAX_COST)]
Balance = Annotated[int, Field(ge=0, le=bounds.MAX_BALANCE)]
NOT_WRITER = "Peran ini tidak boleh mengubah klaim."


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
    return Mapped(qs, lambda c: _claim_out(request, c),
                  on_page=list_audit(request, "claim_list", filters.dict()))


# ---- report a claim -------------------------------------------------------------------------

class FactsIn(Schema):
    """The facts of the case the web form asks for (the engine needs them for some events)."""

    treatment_cost: Cost | None = Field(None, description="Biaya perawatan JKK (Rp)")
    home_care_cost: Cost | None = Field(None, description="Biaya homecare JKK (Rp)")
    incapacity_months: int | None = Field(None, ge=0, le=bounds.MAX_INCAPACITY_MONTHS,
                                          description="Bulan tidak mampu bekerja (STMB)")
    disability_percent: float | None = Field(None, ge=0, le=100, allow_inf_nan=False,
                                             description="Persentase cacat (0–100)")
    balance: Balance | None = Field(None, description="Saldo JHT (Rp)")
    months_paid: int | None = Field(None, ge=0, le=bounds.MAX_MONTHS,
                                    description="Bulan iuran dibayar")


class BeneficiaryIn(Schema):
    name: NameText
    relation: RelationName
    nik: NikText = Field("", description="16 angka, boleh kosong")
    birth_date: dt.date | None = None


class ClaimIn(Schema):
    person_id: int
    program: ProgramName
    event: EventCode = Field(description="Jenis kejadian program (mis. `death`, "
                                          "`work_accident`, `termination`)")
    event_date: dt.date
    reported_on: dt.date | None = Field(None, description="Tanggal lapor; bawaan: hari ini")
    wage: Wage | None = Field(None, description="Upah sebulan (Rp); bawaan: upah di registri "
                                                  "atau upah bawaan segmen")
    facts: FactsIn | None = None
    beneficiaries: list[BeneficiaryIn] = Field(default_factory=list, max_length=20,
                                               description="Ahli waris (boleh ditambah nanti)")


def _facts(body: FactsIn | None) -> dict:
    if body is None:
        return {}
    facts = body.model_dump(exclude_none=True)
    if "disability_percent" in facts:  # stored as text, like the web form
        facts["disability_percent"] = str(facts["disability_percent"])
    return facts


def _claim_for_output(claim_id: int) -> Claim:
    """A claim just written by the caller (its person was visible to them)."""
    return Claim.objects.select_related("person", "person__desa", "enrolment").get(pk=claim_id)


@router.post("", response={201: ClaimDetailOut, 403: Error, 404: Error, 422: FieldError},
             summary="Catat klaim baru seorang peserta di wilayah pengguna; hak dihitung "
                     "mesin aturan")
def claim_create(request, body: ClaimIn):
    area = people_area(request)
    if not services.can_write_claims(request.user):
        return Status(403, {"detail": NOT_WRITER})
    person = search_people(area).filter(pk=body.person_id).first()
    if person is None:
        return Status(404, {"detail": "Peserta tidak ditemukan di wilayah Anda."})
    with transaction.atomic():  # a refused fact (InputError) or beneficiary: nothing stored
        claim = services.create_claim(
            person=person, program=body.program, event=body.event,
            event_date=body.event_date, user=request.user, facts=_facts(body.facts),
            wage=body.wage, reported_on=body.reported_on)
        for i, b in enumerate(body.beneficiaries):
            try:
                services.add_beneficiary(claim, name=b.name, relation=b.relation,
                                         nik=b.nik.strip(), birth_date=b.birth_date,
                                         user=request.user)
            except services.ClaimError as exc:
                raise services.ClaimError(f"beneficiaries.{i}.{exc.field}",
                                          exc.message) from exc
    return Status(201, _detail_out(request, _claim_for_output(claim.pk)))


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
        raise DomainError("to", "Tanggal 'to' sebelum tanggal 'from'.")
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


class FollowUpDetailOut(FollowUpOut):
    claim_id: int | None
    closed_on: dt.date | None
    decline_reason: str


class DeclineIn(Schema):
    reason: ReasonText = Field(description="Mengapa ahli waris tidak mengajukan klaim")
    on: dt.date | None = Field(None, description="Tanggal ditutup; bawaan: hari ini")


@router.post("/follow-ups/{follow_up_id}/decline",
             response={200: FollowUpDetailOut, 403: Error, 404: Error, 409: FieldError,
                       422: FieldError},
             summary="Tutup tindak lanjut ahli waris yang tidak mengajukan klaim (409 bila "
                     "sudah ditutup)")
def follow_up_decline(request, follow_up_id: int, body: DeclineIn):
    area = people_area(request)
    visible = selectors.follow_ups_in(area).select_related("person", "person__desa")
    try:
        fu = visible.get(pk=follow_up_id)
    except FollowUp.DoesNotExist as exc:
        raise Http404 from exc
    if not services.can_write_claims(request.user):
        return Status(403, {"detail": NOT_WRITER})
    services.decline_follow_up(fu, reason=body.reason, on=body.on, user=request.user)
    fu = visible.get(pk=follow_up_id)
    return Status(200, {**_follow_up_out(request, fu), "claim_id": fu.claim_id,
                        "closed_on": fu.closed_on, "decline_reason": fu.decline_reason})


# ---- import of a BPJS claim report (before /{claim_id}) -------------------------------------

class ClaimImportOut(Schema):
    rows: int = Field(description="Baris data yang dibaca")
    created: int
    updated: int
    unchanged: int
    rejected: int = Field(description="Baris yang ditolak (lihat `errors`)")
    deaths_recorded: int
    dry_run: bool
    batch: int | None = Field(description="Nomor impor (kosong untuk uji coba)")
    ignored_headers: list[str]
    errors: list[RowIssue]
    warnings: list[RowIssue]


@router.post("/imports",
             response={200: ClaimImportOut, 201: ClaimImportOut, 403: Error, 422: Error},
             summary="Impor laporan klaim BPJS (CSV/XLSX); baris valid disimpan, baris salah "
                     "dilaporkan per baris dan kolom (uji coba: 200, tidak ada yang disimpan)")
def claim_import(request, file: File[UploadedFile],
                 dry_run: bool = Query(False, description="Periksa saja, jangan simpan")):
    from jamsos.claims.importing import import_claims

    area = people_area(request)
    if not services.can_write_claims(request.user):
        return Status(403, {"detail": "Peran ini tidak boleh mengimpor klaim."})
    check_upload(file)
    result = import_claims(file.read(), file.name, user=request.user, area_code=area,
                           dry_run=dry_run)
    return Status(200 if dry_run else 201, result.as_json())


# ---- scholarships (before /{claim_id}) --------------------------------------------------------

class ScholarshipPaymentOut(Schema):
    id: int
    school_year: int
    level: str
    entitled: int
    amount: int
    paid_on: dt.date
    citation: str


class ScholarshipDueOut(Schema):
    school_year: int = Field(description="Tahun mulai tahun ajaran (Juli)")
    level: str | None = Field(description="Jenjang pada tahun ajaran itu (kosong: jenjang "
                                          "tidak diketahui atau sudah selesai)")
    amount: int = Field(description="Hak tahun ajaran itu (Rp)")
    citation: str


class ScholarshipChildOut(ChildOut):
    nik: str
    claim_id: int
    person_id: int
    person_name: str = Field(description="Peserta (orang tua) yang klaimnya memberi beasiswa")
    person_nik: str
    desa_code: str
    due: ScholarshipDueOut | None = Field(description="Hak tahun ajaran yang belum dibayar; "
                                                      "kosong bila tidak ada yang jatuh tempo")


class ChildDetailOut(ChildOut):
    claim_id: int
    years_done: int
    basis: str
    citation: str
    unconfirmed: bool
    nik: str
    person_id: int
    person_name: str
    person_nik: str
    program: ProgramName
    event: str
    event_label: str
    event_date: dt.date
    ended_by: str | None = Field(description="Mengapa beasiswa sudah berakhir per hari ini "
                                             "(dicatat, atau usia 23); kosong bila berjalan")
    current_year: ScholarshipDueOut | None = Field(
        description="Jenjang dan hak tahun ajaran berjalan; kosong bila beasiswa berakhir")
    payments: list[ScholarshipPaymentOut]


class ScholarshipPaymentIn(Schema):
    school_year: int | None = Field(None, ge=1990, le=2100,
                                    description="Tahun mulai tahun ajaran (Juli); bawaan: "
                                                "tahun ajaran berjalan")
    amount: Rupiah = Field(description="Dibayar (Rp, ≥ 0)")
    paid_on: dt.date | None = Field(None, description="Bawaan: hari ini")
    level: LevelName | None = Field(None, description="Bawaan: jenjang menurut perjalanan "
                                                      "sekolah normal")


class EndIn(Schema):
    reason: EndReasonName
    on: dt.date | None = Field(None, description="Bawaan: hari ini")


class ScholarshipQuery(Schema):
    due: bool = Field(False, description="Hanya anak yang beasiswanya jatuh tempo (daftar "
                                         "kerja: belum dibayar, belum berakhir)")
    school_year: int | None = Field(None, ge=1990, le=2100,
                                    description="Tahun mulai tahun ajaran yang dilihat; "
                                                "bawaan: tahun ajaran berjalan")


def _due_out(school_year: int, level: str | None, amount: int, citation: str) -> dict:
    return {"school_year": school_year, "level": level, "amount": amount,
            "citation": citation}


def _scholarship_item(request, ch: ScholarshipChild, due: selectors.Due | None) -> dict:
    person = ch.claim.person
    return {"id": ch.pk, "name": ch.name, "nik": nik(request, ch.nik),
            "birth_date": ch.birth_date, "level": ch.level, "entitlement": ch.entitlement,
            "awarded_on": ch.awarded_on, "ended_on": ch.ended_on, "end_reason": ch.end_reason,
            "claim_id": ch.claim_id, "person_id": person.pk, "person_name": person.name,
            "person_nik": nik(request, person.nik), "desa_code": person.desa_id,
            "due": None if due is None else _due_out(due.school_year, due.level, due.amount,
                                                     due.citation)}


@router.get("/scholarships", response={200: list[ScholarshipChildOut], 403: Error},
            summary="Beasiswa anak peserta di wilayah pengguna: semua anak, dengan hak tahun "
                    "ajaran yang jatuh tempo (filter: hanya jatuh tempo, tahun ajaran)")
@paginate(LimitOffsetPagination)
def scholarship_list(request, filters: Query[ScholarshipQuery]):
    area = people_area(request)
    # The selector takes a day and works on its school year (July–June).
    day = (dt.date(filters.school_year, 7, 1) if filters.school_year
           else timezone.localdate())
    due = selectors.scholarships_due(area, day)
    if filters.due:
        return Mapped(due, lambda d: _scholarship_item(request, d.child, d))
    by_child = {d.child.pk: d for d in due}
    children = (selectors.children_in(area)
                .select_related("claim", "claim__person", "claim__person__desa")
                .order_by(F("awarded_on").desc(nulls_last=True), "name", "id"))
    return Mapped(children, lambda ch: _scholarship_item(request, ch, by_child.get(ch.pk)))


def _visible_child(request, child_id: int) -> ScholarshipChild:
    area = people_area(request)
    try:
        return selectors.children_in(area).select_related("claim", "claim__person").get(
            pk=child_id)
    except ScholarshipChild.DoesNotExist as exc:
        raise Http404 from exc


def _child_out(request, child_id: int) -> dict:
    ch = _visible_child(request, child_id)
    claim, person = ch.claim, ch.claim.person
    today = timezone.localdate()
    ended = services.end_reason_on(ch, today)
    ended_by = str(ended) if ended else None
    year = ent.school_year_of(today)
    current = None if ended_by else _due_out(year, *services.yearly_entitlement(ch, year))
    return {"id": ch.pk, "claim_id": ch.claim_id, "name": ch.name,
            "birth_date": ch.birth_date, "level": ch.level, "years_done": ch.years_done,
            "entitlement": ch.entitlement, "basis": ch.basis, "citation": ch.citation,
            "unconfirmed": ch.unconfirmed, "awarded_on": ch.awarded_on,
            "ended_on": ch.ended_on, "end_reason": ch.end_reason,
            "nik": nik(request, ch.nik), "person_id": person.pk, "person_name": person.name,
            "person_nik": nik(request, person.nik), "program": claim.program,
            "event": claim.event, "event_label": claim.event_label,
            "event_date": claim.event_date, "ended_by": ended_by, "current_year": current,
            "payments": [{"id": p.pk, "school_year": p.school_year, "level": p.level,
                          "entitled": p.entitled, "amount": p.amount, "paid_on": p.paid_on,
                          "citation": p.citation} for p in ch.payments.all()]}


@router.get("/children/{child_id}", response={200: ChildDetailOut, 403: Error, 404: Error},
            summary="Satu anak penerima beasiswa: hak total dan tahun ajaran berjalan, "
                    "pembayaran per tahun ajaran, alasan berakhir")
def scholarship_detail(request, child_id: int):
    out = _child_out(request, child_id)
    if can_see_personal_data(request.user):
        audit_record(user=request.user, action="view_personal", obj_type="scholarship_child",
                     obj_id=child_id, changes={})
    return Status(200, out)


@router.post("/children/{child_id}/payments",
             response={201: ChildDetailOut, 403: Error, 404: Error, 422: FieldErrors},
             summary="Catat beasiswa satu tahun ajaran yang dibayar untuk seorang anak")
def scholarship_payment(request, child_id: int, body: ScholarshipPaymentIn):
    child = _visible_child(request, child_id)
    if not services.can_write_claims(request.user):
        return Status(403, {"detail": NOT_WRITER})
    today = timezone.localdate()
    services.record_scholarship_payment(
        child, school_year=body.school_year or ent.school_year_of(today),
        amount=body.amount, paid_on=body.paid_on or today, level=body.level,
        user=request.user)
    return Status(201, _child_out(request, child_id))


@router.post("/children/{child_id}/end",
             response={200: ChildDetailOut, 403: Error, 404: Error, 422: FieldErrors},
             summary="Akhiri beasiswa seorang anak (menikah, bekerja, selesai, …)")
def scholarship_end(request, child_id: int, body: EndIn):
    child = _visible_child(request, child_id)
    if not services.can_write_claims(request.user):
        return Status(403, {"detail": NOT_WRITER})
    services.end_scholarship(child, reason=body.reason,
                             on=body.on or timezone.localdate(), user=request.user)
    return Status(200, _child_out(request, child_id))


# ---- one claim --------------------------------------------------------------------------------

@router.get("/{claim_id}", response={200: ClaimDetailOut, 403: Error, 404: Error},
            summary="Satu klaim: hak (per butir, dengan dasar dan sitasi), pembayaran, riwayat")
def claim_detail(request, claim_id: int):
    item = _visible_claim(request, claim_id)
    if can_see_personal_data(request.user):
        audit_record(user=request.user, action="view_personal", obj_type="claim",
                     obj_id=item.pk, changes={})
    return Status(200, _detail_out(request, item))


class MoveIn(Schema):
    to: StatusName
    on: dt.date | None = Field(None, description="Tanggal status; bawaan: hari ini")
    paid_amount: Rupiah | None = Field(None, description="Wajib untuk `paid` (Rp, ≥ 0)")
    reason: ReasonText = Field("", description="Wajib untuk `rejected`")


@router.post("/{claim_id}/status",
             response={200: ClaimDetailOut, 403: Error, 404: Error, 409: FieldErrors,
                       422: FieldErrors},
             summary="Naikkan klaim satu anak tangga status (409 bila status sudah berubah "
                     "atau perpindahan tidak diizinkan)")
def claim_move(request, claim_id: int, body: MoveIn):
    claim = _visible_claim(request, claim_id)
    if not services.can_write_claims(request.user):
        return Status(403, {"detail": NOT_WRITER})
    services.move_claim(claim, to=body.to, user=request.user, on=body.on,
                        paid_amount=body.paid_amount, reason=body.reason)
    return Status(200, _detail_out(request, _visible_claim(request, claim_id)))


def _claim_write(request, claim_id: int, ok: int, write):
    """The shape every write on one claim shares: the claim must be visible (404), the caller
    a claims writer (403); the service's refusal is 422; the answer is the claim's detail."""
    claim = _visible_claim(request, claim_id)
    if not services.can_write_claims(request.user):
        return Status(403, {"detail": NOT_WRITER})
    write(claim)
    return Status(ok, _detail_out(request, _visible_claim(request, claim_id)))


class DocumentsIn(Schema):
    received: list[DocCode] = Field(description="Kode dokumen yang sudah diterima; sisanya "
                                                  "dianggap belum")


@router.put("/{claim_id}/documents",
            response={200: ClaimDetailOut, 403: Error, 404: Error, 422: FieldError},
            summary="Centang dokumen yang sudah diterima (selama klaim belum diajukan)")
def claim_documents(request, claim_id: int, body: DocumentsIn):
    return _claim_write(request, claim_id, 200, lambda claim: services.set_documents(
        claim, received=body.received, user=request.user))


@router.post("/{claim_id}/beneficiaries",
             response={201: ClaimDetailOut, 403: Error, 404: Error, 422: FieldErrors},
             summary="Tambah ahli waris / penerima manfaat klaim")
def claim_beneficiary(request, claim_id: int, body: BeneficiaryIn):
    return _claim_write(request, claim_id, 201, lambda claim: services.add_beneficiary(
        claim, name=body.name, relation=body.relation, nik=body.nik.strip(),
        birth_date=body.birth_date, user=request.user))


class ChildIn(Schema):
    name: NameText
    birth_date: dt.date
    level: LevelName = Field(description="Jenjang saat kejadian")
    years_done: int = Field(0, ge=0, le=10, description="Tahun jenjang itu yang sudah dijalani")
    nik: NikText = Field("", description="NIK anak, 16 angka, boleh kosong")


@router.post("/{claim_id}/children",
             response={201: ClaimDetailOut, 403: Error, 404: Error, 422: FieldErrors},
             summary="Tambah anak penerima beasiswa (klaim kematian / cacat total tetap); hak "
                     "tiap anak dihitung ulang")
def claim_child(request, claim_id: int, body: ChildIn):
    return _claim_write(request, claim_id, 201, lambda claim: services.add_child(
        claim, name=body.name, birth_date=body.birth_date, level=body.level,
        years_done=body.years_done, nik=body.nik, user=request.user))


class DifferenceNoteIn(Schema):
    note: NoteText = Field(description="Tindak lanjut selisih antara hak dan pembayaran BPJS")


@router.post("/{claim_id}/difference-note",
             response={200: ClaimDetailOut, 403: Error, 404: Error, 422: FieldError},
             summary="Catat tindak lanjut selisih pembayaran (klaim tidak lagi ditandai)")
def claim_difference_note(request, claim_id: int, body: DifferenceNoteIn):
    return _claim_write(request, claim_id, 200, lambda claim: services.note_difference(
        claim, note=body.note, user=request.user))
