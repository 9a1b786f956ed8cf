"""API of the santunan kematian workflow (``/api/v1/santunan/``).

Thin: reads go through :mod:`jamsos.santunan.selectors`, every write through the services
(:func:`~jamsos.santunan.services.propose`, :func:`~jamsos.santunan.services.update_case`,
:func:`~jamsos.santunan.services.upload_document`, :func:`~jamsos.santunan.services.transition`
with the same "expected state" check as the page, and :mod:`jamsos.santunan.payments` for the
transfer batches). Named cases need ``view_people`` (pimpinan: 403); the SLA report is an
aggregate. Scoping is the web's: a case or batch outside the caller's area is 404, also for
guessed ids; every file sent is recorded in the audit trail as an export.

The DTSEN extract is imported through :func:`jamsos.dtsen.importing.import_extract` (verifikator
and admin only, as the page; the service records the import in the audit trail), and each user
reads and marks only their own in-app notifications (:func:`jamsos.santunan.notify.mark_read`).
"""

import datetime as dt
from typing import Annotated, Literal

from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.utils import timezone
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.errors import HttpError
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
    check_upload,
    field_errors,
    list_audit,
    nik,
    people_area,
    report_area,
    shows_personal_data,
    text,
)
from jamsos.audit.downloads import export
from jamsos.audit.services import record as audit_record
from jamsos.core.errors import DomainError
from jamsos.dtsen import importing as dtsen
from jamsos.dtsen.models import DtsenExtract
from jamsos.santunan import (
    conf,
    documents,
    notify,
    payments,
    permissions,
    selectors,
    services,
)
from jamsos.santunan.models import (
    OPEN_STATES,
    Case,
    Document,
    Notification,
    Relationship,
    TransferBatch,
)
from jamsos.santunan.models import Status as CaseStatus
from jamsos.santunan.params import document_kinds

router = Router(tags=["santunan"])

SearchText = text(100)
ReasonText = text(2000)

StatusName = Literal["draft", "submitted", "forwarded", "verified", "approved", "paid",
                     "closed", "rejected"]
Action = Literal["submit", "forward", "verify", "approve", "close", "return", "reject"]


class SlaOut(Schema):
    started: dt.date | None
    due: dt.date | None
    elapsed: int | None
    days_left: int | None
    overdue: bool
    within: bool | None


class CaseOut(Schema):
    id: int
    number: str
    status: StatusName
    version: int
    desa_code: str
    desa_name: str
    deceased_name: str
    deceased_nik: str
    died_on: dt.date
    heir_name: str
    amount: int
    sla: SlaOut


class TransitionOut(Schema):
    action: str
    from_status: str
    to_status: str
    reason: str
    user_name: str
    at: dt.datetime


class CaseDocumentOut(Schema):
    id: int
    kind: str
    original_name: str
    content_type: str
    size: int
    uploaded_at: dt.datetime


class CheckOut(Schema):
    code: str
    ok: bool
    message: str
    blocking: bool


class CaseDetailOut(CaseOut):
    death_place: str
    akta_number: str
    no_kk: str
    heir_nik: str
    heir_relationship: str
    heir_phone: str
    bank_name: str
    account_number: str
    account_holder: str
    scheme_version: str
    decile: int | None
    paid_on: dt.date | None
    transfer_reference: str
    actions: list[Action]
    checks: list[CheckOut]
    transitions: list[TransitionOut]
    documents: list[CaseDocumentOut] | None = Field(
        description="Hanya untuk peran yang boleh melihat dokumen; selain itu null.")


def _sla(state: selectors.SlaState) -> dict:
    return {"started": state.started, "due": state.due, "elapsed": state.elapsed,
            "days_left": state.days_left, "overdue": state.overdue, "within": state.within}


def _case_out(request, case: Case, state: selectors.SlaState | None = None,
              *, today: dt.date, clock=None) -> dict:
    state = state or selectors.sla_state(case, today=today, clock=clock)
    return {"id": case.pk, "number": case.number, "status": case.status,
            "version": case.version, "desa_code": case.desa_id, "desa_name": case.desa.name,
            "deceased_name": case.deceased_name, "deceased_nik": nik(request, case.deceased_nik),
            "died_on": case.died_on, "heir_name": case.heir_name, "amount": case.amount,
            "sla": _sla(state)}


def _account(request, number: str) -> str:
    return number if shows_personal_data(request) else "••••" + number[-4:]


def _document_out(d: Document) -> dict:
    return {"id": d.pk, "kind": d.kind, "original_name": d.original_name,
            "content_type": d.content_type, "size": d.size, "uploaded_at": d.uploaded_at}


def _detail_out(request, case: Case) -> dict:
    today = timezone.localdate()
    show = shows_personal_data(request)
    account = _account(request, case.account_number)
    detail = permissions.sees_eligibility_detail(request.user)
    checks = (services.checks(case, today=today, detail=detail)
              if case.status in (CaseStatus.SUBMITTED, CaseStatus.FORWARDED,
                                 CaseStatus.VERIFIED) else [])
    documents = None
    if permissions.can_see_documents(request.user):
        documents = [_document_out(d) for d in case.documents.all()]
    return {
        **_case_out(request, case, today=today),
        "death_place": case.death_place, "akta_number": case.akta_number,
        "no_kk": nik(request, case.no_kk), "heir_nik": nik(request, case.heir_nik),
        "heir_relationship": case.heir_relationship,
        "heir_phone": case.heir_phone if show else "", "bank_name": case.bank_name,
        "account_number": account, "account_holder": case.account_holder,
        "scheme_version": case.scheme_version, "decile": case.decile if detail else None,
        "paid_on": case.paid_on,
        "transfer_reference": case.transfer_reference,
        "actions": services.allowed_actions(request.user, case),
        "checks": [{"code": c.code, "ok": c.ok, "message": str(c.message),
                    "blocking": c.blocking} for c in checks],
        "transitions": [{"action": t.action, "from_status": t.from_status,
                         "to_status": t.to_status, "reason": t.reason,
                         "user_name": t.user_name, "at": t.at} for t in case.transitions.all()],
        "documents": documents,
    }


def _visible_case(request, case_id: int) -> Case:
    """The case if it lies in the caller's area (404 otherwise, guessed ids too)."""
    area = people_area(request)
    try:
        return selectors.cases_in(area).select_related("desa").get(pk=case_id)
    except Case.DoesNotExist as exc:
        raise Http404 from exc


class CaseQuery(Schema):
    status: StatusName | Literal["open"] | None = None
    overdue: bool = False
    q: SearchText = ""


@router.get("/cases", response={200: list[CaseOut], 403: Error},
            summary="Berkas santunan di wilayah pengguna (filter status, terlambat, cari)")
@paginate(LimitOffsetPagination)
def case_list(request, filters: Query[CaseQuery]):
    area = people_area(request)
    today = timezone.localdate()
    clock = conf.clock()
    if filters.overdue:
        rows = selectors.overdue(area, today=today)
        if filters.status == "open":
            rows = [r for r in rows if r[0].status in OPEN_STATES]
        elif filters.status:
            rows = [r for r in rows if r[0].status == filters.status]
        if filters.q:
            keep = set(selectors.search(selectors.cases_in(area), filters.q)
                       .values_list("pk", flat=True))
            rows = [r for r in rows if r[0].pk in keep]
        return Mapped(rows, lambda r: _case_out(request, r[0], r[1], today=today),
                      on_page=list_audit(request, "santunan_case_list", filters.dict()))
    qs = selectors.search(selectors.cases_in(area), filters.q)
    if filters.status == "open":
        qs = qs.filter(status__in=OPEN_STATES)
    elif filters.status:
        qs = qs.filter(status=filters.status)
    return Mapped(qs.select_related("desa").order_by("-id"),
                  lambda c: _case_out(request, c, today=today, clock=clock),
                  on_page=list_audit(request, "santunan_case_list", filters.dict()))


@router.get("/cases/{case_id}", response={200: CaseDetailOut, 403: Error, 404: Error},
            summary="Satu berkas: data, SLA, pemeriksaan, riwayat, tindakan yang boleh")
def case_detail(request, case_id: int):
    item = _visible_case(request, case_id)
    if can_see_personal_data(request.user):
        audit_record(user=request.user, action="view_personal", obj_type="santunan_case",
                     obj_id=item.pk, changes={})
    return Status(200, _detail_out(request, item))


class ActionIn(Schema):
    action: Action
    expected: StatusName = Field(description="Status berkas yang dilihat pengguna; jika berkas "
                                             "sudah berubah, tindakan ditolak (409).")
    reason: ReasonText = ""


@router.post("/cases/{case_id}/actions",
             response={200: CaseDetailOut, 403: Error, 404: Error, 409: Error, 422: FieldError},
             summary="Jalankan satu langkah alur (kirim, teruskan, verifikasi, setujui, tutup, "
                     "kembalikan, tolak)")
def case_act(request, case_id: int, body: ActionIn):
    case = _visible_case(request, case_id)
    if case.status == body.expected and body.action not in services.allowed_actions(
            request.user, case):
        return Status(403, {"detail": "Anda tidak dapat melakukan tindakan ini pada berkas ini."})
    try:
        case = services.transition(case.pk, action=body.action, user=request.user,
                                   expected=body.expected, reason=body.reason)
    except services.StaleState as exc:
        return Status(409, {"detail": exc.message})
    return Status(200, _detail_out(request, _visible_case(request, case.pk)))


# ---- proposal and correction ----------------------------------------------------------------

NikText = text(32)
NameText = text(150)
RelationshipName = Literal[tuple(Relationship.values)]
DocumentKind = text(30)
#: The states in which the holder of a case may still add documents (as on the page).
UPLOADABLE = (CaseStatus.DRAFT, CaseStatus.SUBMITTED, CaseStatus.FORWARDED)


def _field_error(exc: services.CaseError) -> Status:
    """A refusal of the services as 422, with the API's field names (``desa_code``)."""
    return Status(422, field_errors(exc, {"desa_id": "desa_code"}))


def _service_data(fields: dict) -> dict:
    """The API's fields as the services name them."""
    data = {k: v for k, v in fields.items() if k != "desa_code"}
    if "desa_code" in fields:
        data["desa_id"] = fields["desa_code"]
    return data


def _clean_name(name: str | None) -> str:
    """An uploaded file's name as it may be stored (PostgreSQL refuses NUL characters)."""
    return (name or "").replace("\x00", "")


class CaseIn(Schema):
    desa_code: AreaCode = Field(description="Kode desa/kelurahan (Kemendagri) di wilayah "
                                            "pengguna, mis. 16.02.13.2005")
    deceased_nik: NikText
    deceased_name: NameText
    died_on: dt.date
    death_place: NameText
    akta_number: text(60)
    no_kk: NikText
    heir_nik: NikText
    heir_name: NameText
    heir_relationship: RelationshipName
    heir_phone: text(20) = ""
    bank_name: text(60)
    account_number: text(40)
    account_holder: NameText


class CasePatch(Schema):
    desa_code: AreaCode | None = None
    deceased_nik: NikText | None = None
    deceased_name: NameText | None = None
    died_on: dt.date | None = None
    death_place: NameText | None = None
    akta_number: text(60) | None = None
    no_kk: NikText | None = None
    heir_nik: NikText | None = None
    heir_name: NameText | None = None
    heir_relationship: RelationshipName | None = None
    heir_phone: text(20) | None = None
    bank_name: text(60) | None = None
    account_number: text(40) | None = None
    account_holder: NameText | None = None


@router.post("/cases", response={201: CaseDetailOut, 403: Error, 422: FieldErrors},
             summary="Usulan baru dari desa (status draft)",
             description="Hanya kepala desa/operator desa (dan admin), untuk desa di wilayahnya. "
                         "Semua pemeriksaan dijalankan layanan santunan; penolakan dijawab 422 "
                         "dengan nama kolom (`desa_code`, `deceased_nik`, `died_on`, …). NIK "
                         "almarhum yang sudah diusulkan (dan tidak ditolak) juga 422 dengan "
                         "kolom `deceased_nik`: seperti di formulir web, satu orang hanya "
                         "mendapat satu santunan.")
def case_propose(request, body: CaseIn):
    people_area(request)
    if not permissions.can_propose(request.user):
        return Status(403, {"detail": "Hanya kepala desa/operator desa yang dapat mengusulkan."})
    try:
        case = services.propose(user=request.user, data=_service_data(body.model_dump()))
    except services.CaseError as exc:
        return _field_error(exc)
    return Status(201, _detail_out(request, _visible_case(request, case.pk)))


@router.patch("/cases/{case_id}",
              response={200: CaseDetailOut, 403: Error, 404: Error, 422: FieldErrors},
              summary="Perbaiki berkas yang masih disiapkan desa (draft)",
              description="Kolom yang tidak dikirim (atau null) tidak berubah. Hanya desa "
                          "pemegang berkas selama status draft (juga setelah dikembalikan); "
                          "selain itu 403.")
def case_update(request, case_id: int, body: CasePatch):
    case = _visible_case(request, case_id)
    if case.status != CaseStatus.DRAFT or not permissions.holds(request.user, case):
        return Status(403, {"detail": "Berkas hanya dapat diubah oleh desa selama disiapkan."})
    changes = {k: v for k, v in body.model_dump(exclude_unset=True).items() if v is not None}
    try:
        services.update_case(case, user=request.user, data=_service_data(changes))
    except services.CaseError as exc:
        return _field_error(exc)
    return Status(200, _detail_out(request, _visible_case(request, case.pk)))


# ---- documents -------------------------------------------------------------------------------



@router.post("/cases/{case_id}/documents",
             response={201: CaseDocumentOut, 403: Error, 404: Error, 422: FieldError},
             summary="Unggah satu dokumen berkas (PDF, JPEG atau PNG)",
             description="Multipart: `kind` (kode jenis dokumen: "
                         + ", ".join(f"`{k}`" for k in document_kinds())
                         + ") dan `file`. Jenis berkas diperiksa dari isinya. Hanya pemegang "
                           "berkas sebelum verifikasi selesai (403 selain itu).")
def document_upload(request, case_id: int, kind: Form[DocumentKind],
                    file: File[UploadedFile]):
    case = _visible_case(request, case_id)
    if not permissions.holds(request.user, case) or case.status not in UPLOADABLE:
        return Status(403, {"detail": "Dokumen hanya dapat diunggah oleh pemegang berkas "
                                      "sebelum verifikasi selesai."})
    limit = conf.max_document_bytes()
    check_upload(file, suffixes=None, limit=limit)
    try:
        doc = services.upload_document(case, user=request.user, kind=kind,
                                       filename=_clean_name(file.name), data=file.read())
    except services.CaseError as exc:
        return _field_error(exc)
    return Status(201, _document_out(doc))


def _binary(*types: str, description: str) -> dict:
    """``openapi_extra`` documenting a 200 answered with a file of one of ``types``."""
    schema = {"type": "string", "format": "binary"}
    return {"responses": {200: {"description": description,
                                "content": {t: {"schema": schema} for t in types}}}}


@router.get("/cases/{case_id}/documents/{doc_id}", response={200: None, 403: Error, 404: Error},
            openapi_extra=_binary(*documents.SUFFIXES, description="Isi dokumen"),
            summary="Unduh satu dokumen berkas (tercatat di jejak audit)")
def document_file(request, case_id: int, doc_id: int):
    case = _visible_case(request, case_id)
    if not permissions.can_see_documents(request.user):
        return Status(403, {"detail": "Peran ini tidak boleh melihat dokumen berkas."})
    document = Document.objects.filter(case=case, pk=doc_id).first()
    if document is None or document.content_type not in documents.SUFFIXES:
        raise Http404
    try:
        path = documents.path_of(document.stored_name)
    except OSError:
        raise Http404 from None
    if not path.is_file():
        raise Http404
    filename = documents.download_name(case, document)
    # Every file sent is an export (as jamsos.core.downloads).
    audit_record(user=request.user, action="export", obj_type="santunan_document",
                 obj_id=document.pk, changes={"file": [None, filename], "case": [None, case.pk]})
    response = FileResponse(path.open("rb"), content_type=document.content_type,
                            as_attachment=True, filename=filename)
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# ---- SLA report -----------------------------------------------------------------------------

class StageOut(Schema):
    n: int
    median: float | None
    p90: float | None


class StagesOut(Schema):
    desa: StageOut
    kecamatan: StageOut
    verifikasi: StageOut
    persetujuan: StageOut
    transfer: StageOut


class SlaSummaryOut(Schema):
    cases: int
    paid: int
    paid_within_sla: int
    percent_within_sla: float | None
    median_days: float | None
    p90_days: float | None
    overdue: int
    stages: StagesOut


class SlaKecamatanOut(SlaSummaryOut):
    code: str
    name: str


class SlaMonthOut(SlaSummaryOut):
    month: str


class SlaReportOut(SlaSummaryOut):
    date_from: dt.date = Field(alias="from")
    date_to: dt.date = Field(alias="to")
    area: str
    today: dt.date
    day_kind: str
    by_kecamatan: list[SlaKecamatanOut]
    by_month: list[SlaMonthOut]


class PeriodQuery(Schema):
    date_from: dt.date | None = Field(None, alias="from",
                                      description="Awal (tanggal mulai SLA); bawaan: 90 hari "
                                                  "sebelum awal bulan `to`")
    date_to: dt.date | None = Field(None, alias="to", description="Akhir; bawaan: hari ini")
    area: AreaCode | None = Field(None, description="Kode wilayah di dalam wilayah pengguna")


@router.get("/sla-report", response={200: SlaReportOut, 403: Error, 404: Error, 422: Error},
            by_alias=True, summary="Laporan SLA santunan (agregat; juga untuk pimpinan)")
def sla_report(request, period: Query[PeriodQuery]):
    area = report_area(request, period.area)
    if area is None:
        return Status(404, {"detail": "Wilayah tidak ditemukan."})
    today = timezone.localdate()
    date_to = period.date_to or today
    try:
        date_from = period.date_from or (date_to.replace(day=1) - dt.timedelta(days=90))
    except OverflowError:
        date_from = dt.date.min
    if date_to < date_from:
        raise DomainError("to", "Tanggal 'to' sebelum tanggal 'from'.")
    return Status(200, selectors.sla_report(area, date_from=date_from, date_to=date_to,
                                            today=today))


# ---- transfer batches ------------------------------------------------------------------------

CaseId = Annotated[int, Field(ge=1, le=2**63 - 1)]
BatchStatusName = Literal["sent", "done"]
NO_PAY = "Hanya verifikator Dinas Sosial yang mengelola pembayaran santunan."


class BatchCaseRefOut(Schema):
    id: int
    number: str
    transfer_reference: str


class BatchCaseOut(BatchCaseRefOut):
    status: StatusName
    desa_code: str
    desa_name: str
    deceased_name: str
    heir_name: str
    bank_name: str
    account_number: str
    account_holder: str
    amount: int
    paid_on: dt.date | None


class BatchOut(Schema):
    id: int
    number: str
    status: BatchStatusName
    count: int = Field(description="Jumlah berkas saat daftar dibuat")
    total: int = Field(description="Jumlah rupiah saat daftar dibuat")
    created_at: dt.datetime
    created_by: str
    result_filename: str
    result_at: dt.datetime | None
    cases: list[BatchCaseRefOut] = Field(
        description="Berkas yang masih di daftar ini (transfer gagal mengeluarkannya)")


class BatchDetailOut(BatchOut):
    cases: list[BatchCaseOut]


class BatchIn(Schema):
    case_ids: list[CaseId] | None = Field(
        None, max_length=10_000,
        description="Hanya berkas ini (yang disetujui dan belum masuk daftar); bawaan: semua "
                    "berkas yang disetujui di wilayah pengguna")


class BankResultOut(Schema):
    applied: bool = Field(description="false: ada kesalahan, tidak ada yang dicatat")
    paid: int
    failed: int
    errors: list[RowIssue]


def _pay_area(request) -> str:
    """The caller's area if the caller manages payments (403 otherwise)."""
    area = people_area(request)
    if not permissions.can_pay(request.user):
        raise HttpError(403, NO_PAY)
    return area


def _batches(area: str):
    return selectors.batches_in(area)


def _visible_batch(area: str, batch_id: int) -> TransferBatch:
    try:
        return _batches(area).select_related("created_by").get(pk=batch_id)
    except TransferBatch.DoesNotExist as exc:
        raise Http404 from exc


def _batch_out(batch: TransferBatch, cases: list[dict]) -> dict:
    return {"id": batch.pk, "number": str(batch), "status": batch.status, "count": batch.count,
            "total": batch.total, "created_at": batch.created_at,
            "created_by": batch.created_by.get_username() if batch.created_by else "",
            "result_filename": batch.result_filename, "result_at": batch.result_at,
            "cases": cases}


def _case_ref(case: Case) -> dict:
    return {"id": case.pk, "number": case.number, "transfer_reference": case.transfer_reference}


def _batch_detail_out(request, batch: TransferBatch) -> dict:
    cases = batch.cases.select_related("desa").order_by("id")
    return _batch_out(batch, [{
        **_case_ref(c), "status": c.status, "desa_code": c.desa_id, "desa_name": c.desa.name,
        "deceased_name": c.deceased_name, "heir_name": c.heir_name, "bank_name": c.bank_name,
        "account_number": _account(request, c.account_number),
        "account_holder": c.account_holder, "amount": c.amount, "paid_on": c.paid_on,
    } for c in cases])


@router.get("/batches", response={200: list[BatchOut], 403: Error},
            summary="Daftar transfer ke bank di wilayah pengguna (terbaru dulu)")
@paginate(LimitOffsetPagination)
def batch_list(request):
    area = _pay_area(request)
    refs = Case.objects.order_by("id").only("id", "created_at", "transfer_reference", "batch")
    qs = (_batches(area).select_related("created_by").order_by("-id")
          .prefetch_related(Prefetch("cases", queryset=refs)))
    return Mapped(qs, lambda b: _batch_out(b, [_case_ref(c) for c in b.cases.all()]))


@router.post("/batches", response={201: BatchDetailOut, 403: Error, 422: FieldError},
             summary="Buat daftar transfer dari berkas yang disetujui",
             description="Tanpa isi (atau `case_ids` null): semua berkas berstatus disetujui di "
                         "wilayah pengguna yang belum masuk daftar. 422 jika tidak ada berkas "
                         "yang siap.")
def batch_create(request, body: BatchIn | None = None):
    area = _pay_area(request)
    try:
        batch = payments.create_batch(user=request.user, area_code=area,
                                      case_ids=body.case_ids if body else None)
    except services.CaseError as exc:
        return _field_error(exc)
    return Status(201, _batch_detail_out(request, _visible_batch(area, batch.pk)))


@router.get("/batches/{batch_id}", response={200: BatchDetailOut, 403: Error, 404: Error},
            summary="Satu daftar transfer dengan berkasnya")
def batch_detail(request, batch_id: int):
    area = _pay_area(request)
    batch = _visible_batch(area, batch_id)
    if can_see_personal_data(request.user):
        audit_record(user=request.user, action="view_personal", obj_type="santunan_batch",
                     obj_id=batch.pk, changes={})
    return Status(200, _batch_detail_out(request, batch))


@router.get("/batches/{batch_id}/file", response={200: None, 403: Error, 404: Error},
            openapi_extra={"responses": {200: {
                "description": "Berkas transfer untuk bank (CSV ';', UTF-8 dengan BOM)",
                "content": {"text/csv": {"schema": {"type": "string"}}}}}},
            summary="Unduh berkas transfer untuk bank (tercatat di jejak audit sebagai ekspor)")
def batch_file(request, batch_id: int):
    area = _pay_area(request)
    batch = _visible_batch(area, batch_id)
    response = export(request, payments.batch_csv(batch), f"transfer-{batch}.csv",
                      obj_type="santunan_batch", obj_id=batch.pk)
    response["Cache-Control"] = "private, no-store"
    return response


@router.post("/batches/{batch_id}/result",
             response={200: BankResultOut, 403: Error, 404: Error, 422: Error},
             summary="Unggah hasil transfer dari bank (CSV atau XLSX)",
             description="Kolom wajib `Referensi` dan `Status` (BERHASIL/GAGAL), `Tanggal` untuk "
                         "yang berhasil, `Keterangan` opsional. Semua atau tidak sama sekali: "
                         "jika ada baris yang salah, `applied` false dan `errors` menyebut baris "
                         "dan kolomnya. 422 jika berkas tidak dapat dibaca.")
def batch_result(request, batch_id: int, file: File[UploadedFile]):
    area = _pay_area(request)
    batch = _visible_batch(area, batch_id)
    check_upload(file, suffixes=None)
    result = payments.apply_bank_result(batch, file.read(), _clean_name(file.name),
                                        user=request.user)
    return Status(200, result)


# ---- DTSEN extract ---------------------------------------------------------------------------

NO_DTSEN = "Hanya verifikator Dinas Sosial yang mengelola ekstrak DTSEN."


class DtsenReportOut(Schema):
    rows: int = Field(description="Baris data di berkas")
    stored: int = Field(description="Baris yang disimpan (uji coba: yang akan disimpan)")
    rejected: int = Field(description="Baris yang ditolak karena ada kesalahan")
    dry_run: bool
    extract_id: int | None = Field(description="Ekstrak yang dibuat; null pada uji coba")
    valid_from: dt.date
    errors: list[RowIssue]
    warnings: list[RowIssue]
    ignored_headers: list[str] = Field(description="Judul kolom yang tidak dikenal (diabaikan)")


class DtsenExtractOut(Schema):
    id: int
    valid_from: dt.date
    filename: str
    rows: int = Field(description="Baris yang disimpan")
    rejected: int
    sha256: str
    uploaded_at: dt.datetime
    uploaded_by: str


def _dtsen_issue(issue: dict) -> dict:
    return {k: issue[k] for k in ("row", "column", "code", "message")}


def _dtsen_extract_out(x: DtsenExtract) -> dict:
    return {"id": x.pk, "valid_from": x.valid_from, "filename": x.filename, "rows": x.rows,
            "rejected": x.rejected, "sha256": x.sha256, "uploaded_at": x.created_at,
            "uploaded_by": x.uploaded_by.get_username() if x.uploaded_by else ""}


@router.post("/dtsen", response={200: DtsenReportOut, 201: DtsenReportOut, 403: Error,
                                 422: FieldError},
             summary="Impor ekstrak DTSEN kabupaten (CSV atau XLSX: NIK, No KK, Desil)",
             description="Multipart: `valid_from` (tanggal berlaku mulai), `file`, dan `dry_run` "
                         "opsional (uji coba: diperiksa, tidak disimpan; dijawab 200). Baris yang "
                         "benar disimpan sebagai ekstrak baru (201); baris yang salah ditolak dan "
                         "disebut di `errors` dengan baris, kolom dan kodenya. 422 dengan kolom "
                         "`file` jika berkas terlalu besar atau tidak dapat dibaca (mis. kolom "
                         "wajib tidak ada). Hanya verifikator dan admin (403 selain itu); di "
                         "provinsi hanya yang wilayahnya seluruh provinsi (ekstrak yang berlaku "
                         "dibaca semua kabupaten/kota). Impor tercatat di jejak audit.")
def dtsen_import(request, valid_from: Form[dt.date], file: File[UploadedFile],
                 dry_run: Form[bool] = False):
    if not permissions.can_import_dtsen(request.user):
        return Status(403, {"detail": NO_DTSEN})
    check_upload(file, suffixes=None)
    report = dtsen.import_extract(file.read(), _clean_name(file.name) or "dtsen",
                                  valid_from=valid_from, user=request.user, dry_run=dry_run)
    return Status(200 if report.dry_run else 201, {
        "rows": report.rows, "stored": report.stored, "rejected": report.rejected,
        "dry_run": report.dry_run, "extract_id": report.extract_id,
        "valid_from": report.valid_from,
        "errors": [_dtsen_issue(e) for e in report.errors],
        "warnings": [_dtsen_issue(w) for w in report.warnings],
        "ignored_headers": report.ignored_headers})


@router.get("/dtsen", response={200: list[DtsenExtractOut], 403: Error},
            summary="Ekstrak DTSEN yang tersimpan (yang berlaku paling akhir dulu)",
            description="Hanya keterangan berkasnya, tanpa data orang. Hanya verifikator dan "
                        "admin (403 selain itu); di provinsi hanya yang wilayahnya seluruh "
                        "provinsi.")
@paginate(LimitOffsetPagination)
def dtsen_list(request):
    if not permissions.can_import_dtsen(request.user):
        raise HttpError(403, NO_DTSEN)
    qs = DtsenExtract.objects.select_related("uploaded_by").order_by("-valid_from", "-id")
    return Mapped(qs, _dtsen_extract_out)


# ---- notifications ---------------------------------------------------------------------------

NotificationId = Annotated[int, Field(ge=1, le=2**63 - 1)]


class NotificationOut(Schema):
    id: int
    message: str
    case_id: int | None = Field(description="Berkas santunan yang dimaksud; null jika tidak ada")
    created_at: dt.datetime
    read_at: dt.datetime | None = Field(description="null: belum dibaca")


class NotificationQuery(Schema):
    unread: bool | None = Field(None, description="true: hanya yang belum dibaca; false: hanya "
                                                  "yang sudah dibaca; tanpa: semua")


class NotificationReadIn(Schema):
    ids: list[NotificationId] | None = Field(
        None, max_length=10_000,
        description="Pemberitahuan yang ditandai dibaca; null: semua pemberitahuan pengguna. "
                    "Nomor milik pengguna lain diabaikan.")


class NotificationsMarkedOut(Schema):
    marked: int = Field(description="Jumlah pemberitahuan yang baru ditandai dibaca")


def _notification_out(n: Notification) -> dict:
    return {"id": n.pk, "message": n.message, "case_id": n.case_id,
            "created_at": n.created_at, "read_at": n.read_at}


@router.get("/notifications", response={200: list[NotificationOut]},
            summary="Pemberitahuan untuk pengguna sendiri (terbaru dulu)")
@paginate(LimitOffsetPagination)
def notification_list(request, filters: Query[NotificationQuery]):
    qs = Notification.objects.filter(user=request.user)
    if filters.unread is not None:
        qs = qs.filter(read_at__isnull=filters.unread)
    return Mapped(qs.order_by("-created_at", "-id"), _notification_out)


@router.post("/notifications/read", response={200: NotificationsMarkedOut},
             summary="Tandai pemberitahuan pengguna sendiri sudah dibaca",
             description="Tanpa isi atau `ids` null: semua pemberitahuan pengguna. Hanya "
                         "pemberitahuan milik pengguna yang berubah; `marked` menghitung yang "
                         "sebelumnya belum dibaca.")
def notification_read(request, body: NotificationReadIn | None = None):
    ids = body.ids if body else None
    return Status(200, {"marked": notify.mark_read(request.user, ids)})


# ---- each regency's scheme (issue 16) ---------------------------------------------------------

KabupatenCode = Annotated[str, Field(pattern=r"^\d{2}\.\d{2}$",
                                     description="Kode kabupaten/kota (Kemendagri), mis. 16.02")]
ShortText = text(300)


class GrantVersionIn(Schema):
    valid_from: dt.date = Field(description="Mulai berlaku (versi sebelumnya berakhir sehari "
                                            "sebelumnya)")
    valid_to: dt.date | None = Field(None, description="Akhir berlaku; null: belum berakhir")
    amount: int = Field(description="Rupiah bulat yang dibayar kepada ahli waris (> 0)")
    max_decile: int = Field(description="Desil DTSEN tertinggi yang berhak (1..10)")
    sla_days: int = Field(description="Hari sejak lengkap dan terverifikasi sampai dibayar")
    notify_day: int = Field(description="Hari ke berapa kepala dinas diberi tahu (≤ sla_days)")
    documents: list[DocumentKind] = Field(description="Kode dokumen wajib: " + ", ".join(
        f"`{k}`" for k in document_kinds()))
    exclusions: list[ShortText] = []
    max_days_after_death: int | None = None
    min_age_years: int | None = None
    citation: ShortText = Field(description="Nama peraturan saja (Perbup, Perwali, Perda …)")
    unconfirmed: bool = False
    unconfirmed_parts: list[ShortText] = []
    note: text(2000) = ""


class GrantVersionPatch(Schema):
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    amount: int | None = None
    max_decile: int | None = None
    sla_days: int | None = None
    notify_day: int | None = None
    documents: list[DocumentKind] | None = None
    exclusions: list[ShortText] | None = None
    max_days_after_death: int | None = None
    min_age_years: int | None = None
    citation: ShortText | None = None
    unconfirmed: bool | None = None
    unconfirmed_parts: list[ShortText] | None = None
    note: text(2000) | None = None


class GrantVersionOut(GrantVersionIn):
    id: int
    kabupaten_code: str
    in_use: bool = Field(description="Sudah dipakai berkas: tidak dapat diperbaiki lagi")


def _grant_out(row, used: set[str]) -> dict:
    return {"id": row.pk, "kabupaten_code": row.kabupaten_code,
            **{k: getattr(row, k) for k in GrantVersionIn.model_fields},
            "in_use": row.valid_from.isoformat() in used}


def _visible_kabupaten(request, code: str) -> str:
    """A kabupaten/kota of the caller's (their own, or one of their province): 404
    otherwise, as for any record of another regency."""
    if code not in selectors.kabupaten_of(request.user):
        raise Http404
    return code


def _editor(request, code: str) -> None:
    if not selectors.may_edit_scheme(request.user, code):
        raise HttpError(403, "Hanya administrator kabupaten/kota ini (atau provinsinya) yang "
                             "dapat mengubah ketentuan santunannya.")


def _scheme_error(exc: services.CaseError) -> Status:
    if exc.http_status == 422:
        return Status(422, field_errors(exc))
    return Status(exc.http_status, {"detail": exc.message})


@router.get("/schemes/{kabupaten_code}/versions",
            response={200: list[GrantVersionOut], 404: Error},
            summary="Ketentuan santunan satu kabupaten/kota: versi bertanggal (kosong: belum "
                    "ada peraturan, santunan tidak berjalan di sana)")
def grant_version_list(request, kabupaten_code: KabupatenCode):
    code = _visible_kabupaten(request, kabupaten_code)
    used = selectors.versions_used(code)
    return Status(200, [_grant_out(v, used) for v in selectors.grant_versions(code)])


@router.post("/schemes/{kabupaten_code}/versions",
             response={201: GrantVersionOut, 403: Error, 404: Error, 422: FieldErrors},
             summary="Tambah versi baru (peraturan baru atau yang pertama)",
             description="Hanya administrator kabupaten/kota itu atau provinsinya. Versi yang "
                         "berlaku berakhir sehari sebelum `valid_from`. Semua kesalahan dijawab "
                         "sekaligus (422). Tercatat di jejak audit.")
def grant_version_add(request, kabupaten_code: KabupatenCode, body: GrantVersionIn):
    code = _visible_kabupaten(request, kabupaten_code)
    _editor(request, code)
    try:
        row = services.add_grant_version(user=request.user, kabupaten_code=code,
                                         data=body.model_dump())
    except services.CaseError as exc:
        return _scheme_error(exc)
    return Status(201, _grant_out(row, selectors.versions_used(code)))


@router.patch("/schemes/{kabupaten_code}/versions/{version_id}",
              response={200: GrantVersionOut, 403: Error, 404: Error, 422: FieldErrors},
              summary="Perbaiki versi yang belum dipakai berkas",
              description="Kolom yang tidak dikirim tidak berubah. Versi yang sudah dipakai "
                          "berkas tidak dapat diubah (422); peraturan baru = versi baru.")
def grant_version_correct(request, kabupaten_code: KabupatenCode, version_id: int,
                          body: GrantVersionPatch):
    code = _visible_kabupaten(request, kabupaten_code)
    row = selectors.grant_versions(code).filter(pk=version_id).first()
    if row is None:
        raise Http404
    _editor(request, code)
    changes = body.model_dump(exclude_unset=True)
    try:
        row = services.correct_grant_version(row, user=request.user, data=changes)
    except services.CaseError as exc:
        return _scheme_error(exc)
    return Status(200, _grant_out(row, selectors.versions_used(code)))
