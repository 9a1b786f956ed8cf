"""API of the santunan kematian workflow (``/api/v1/santunan/``).

Thin: reads go through :mod:`jamsos.santunan.selectors`, the workflow step through
:func:`jamsos.santunan.services.transition` (with the same "expected state" check as the
page). Named cases need ``view_people`` (pimpinan: 403); the SLA report is an aggregate.
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
    nik,
    people_area,
    report_area,
    shows_personal_data,
    text,
)
from jamsos.audit.services import record as audit_record
from jamsos.santunan import conf, permissions, selectors, services
from jamsos.santunan.models import OPEN_STATES, Case
from jamsos.santunan.models import Status as CaseStatus

router = Router(tags=["santunan"])

SearchText = text(100)
ReasonText = text(2000)
AreaCode = text(13)

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


class DocumentOut(Schema):
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
    documents: list[DocumentOut] | None = Field(
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


def _detail_out(request, case: Case) -> dict:
    today = timezone.localdate()
    show = shows_personal_data(request)
    account = case.account_number if show else "••••" + case.account_number[-4:]
    checks = (services.checks(case, today=today)
              if case.status in (CaseStatus.SUBMITTED, CaseStatus.FORWARDED,
                                 CaseStatus.VERIFIED) else [])
    documents = None
    if permissions.can_see_documents(request.user):
        documents = [{"id": d.pk, "kind": d.kind, "original_name": d.original_name,
                      "content_type": d.content_type, "size": d.size,
                      "uploaded_at": d.uploaded_at} for d in case.documents.all()]
    return {
        **_case_out(request, case, today=today),
        "death_place": case.death_place, "akta_number": case.akta_number,
        "no_kk": nik(request, case.no_kk), "heir_nik": nik(request, case.heir_nik),
        "heir_relationship": case.heir_relationship,
        "heir_phone": case.heir_phone if show else "", "bank_name": case.bank_name,
        "account_number": account, "account_holder": case.account_holder,
        "scheme_version": case.scheme_version, "decile": case.decile, "paid_on": case.paid_on,
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
        return Mapped(rows, lambda r: _case_out(request, r[0], r[1], today=today))
    qs = selectors.search(selectors.cases_in(area), filters.q)
    if filters.status == "open":
        qs = qs.filter(status__in=OPEN_STATES)
    elif filters.status:
        qs = qs.filter(status=filters.status)
    return Mapped(qs.select_related("desa").order_by("-id"),
                  lambda c: _case_out(request, c, today=today, clock=clock))


@router.get("/cases/{case_id}", response={200: CaseDetailOut, 403: Error, 404: Error},
            summary="Satu berkas: data, SLA, pemeriksaan, riwayat, tindakan yang boleh")
def case_detail(request, case_id: int):
    item = _visible_case(request, case_id)
    if can_see_personal_data(request.user):
        audit_record(user=request.user, action="view_personal", obj_type="santunan_case",
                     obj_id=item.pk, changes={}, source="api")
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
    except services.CaseError as exc:
        return Status(422, {"field": exc.field, "detail": exc.message})
    return Status(200, _detail_out(request, _visible_case(request, case.pk)))


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
        return Status(422, {"detail": "Tanggal 'to' sebelum tanggal 'from'."})
    return Status(200, selectors.sla_report(area, date_from=date_from, date_to=date_to,
                                            today=today))
