"""API of the premiums app (``/api/v1/premiums/``).

Thin: reads go through :mod:`jamsos.premiums.selectors`, payments through
:func:`jamsos.premiums.services.record_payment`, with the page's rules: everything within the
caller's area (other areas' invoices are 404), named lines need ``view_people`` (pimpinan
reads the run summaries, reconciliation totals and the budget only), payments need a writer
role (admin, operator) whose area holds the whole invoice. NIKs are masked for roles without
personal-data rights. Money is integer rupiah.

Writes go through :mod:`jamsos.premiums.services` (which audit them) with the web pages'
rules: a month's billing run and a BPJS reconciliation cover the whole kabupaten, so only a
writer of the kabupaten may start them; an adjustment, like a payment, needs a writer whose
area holds the whole invoice.
"""

import datetime as dt
from typing import Literal

from django.db import IntegrityError
from django.http import Http404
from django.utils import timezone
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate

from jamsos.accounts.selectors import has_perm
from jamsos.api.common import (
    AreaCode,
    Error,
    FieldError,
    FieldErrors,
    Mapped,
    Month,
    RowIssue,
    Rupiah,
    area_of,
    check_upload,
    list_audit,
    month_start,
    nik,
    people_area,
    report_area,
    shows_personal_data,
    text,
)
from jamsos.core.dates import date_text, month_text
from jamsos.core.errors import DomainError, ErrorCode
from jamsos.premiums import params, selectors
from jamsos.premiums.models import BillingRun, Invoice, InvoiceLine, Reconciliation
from jamsos.premiums.services import (
    PremiumError,
    add_adjustment,
    add_billing_settings,
    reconcile,
    record_payment,
    run_billing,
    set_allocation,
)
from jamsos.regions.selectors import deployment_kabupaten
from jamsos.registry.models import Enrolment
from jamsos.registry.selectors import people_in
from jamsos.rules import InputError, MissingParameterError

router = Router(tags=["premiums"])

Reference = text(100)
Reason = text(300)


# ---- billing runs and invoices ------------------------------------------------------------

class RunOut(Schema):
    period: dt.date = Field(description="Hari pertama bulan iuran")
    kabupaten: str = Field(description="Kode kabupaten/kota yang ditagih (satu penagihan per "
                                       "bulan dan kabupaten/kota)")
    created_at: dt.datetime
    lines: int = Field(description="Baris (peserta) di wilayah pengguna")
    due: int
    paid: int
    outstanding: int


@router.get("/runs", response={200: list[RunOut], 403: Error},
            summary="Bulan-bulan yang ditagih per kabupaten/kota: tagihan dan pembayaran di "
                    "wilayah pengguna (agregat; juga untuk pimpinan)")
def runs(request):
    area = area_of(request)
    return Status(200, [{"period": s.run.period, "kabupaten": s.run.kabupaten,
                         "created_at": s.run.created_at,
                         "lines": s.lines, "due": s.due, "paid": s.paid,
                         "outstanding": s.outstanding} for s in selectors.run_summaries(area)])


class RunIn(Schema):
    period: Month = Field(description="Bulan iuran YYYY-MM (paling lambat bulan depan)")
    kabupaten: str | None = Field(None, max_length=13,
                                  description="Kode kabupaten/kota yang ditagih; wajib untuk "
                                              "pengguna provinsi, bawaan: kabupaten pengguna")


class RunStarted(RunOut):
    created: bool = Field(description="false: bulan ini sudah pernah ditagih; penagihan yang "
                                      "ada dikembalikan tanpa perubahan (koreksi lewat "
                                      "`POST /invoices/{id}/adjustments`)")
    invoices: int = Field(description="Jumlah faktur penagihan ini")
    total: int = Field(description="Total tagihan saat penagihan dibuat (Rp, sebelum koreksi)")


def _run_started(run: BillingRun, created: bool, area: str) -> dict:
    s = next(s for s in selectors.run_summaries(area) if s.run.pk == run.pk)
    return {"period": run.period, "kabupaten": run.kabupaten, "created_at": run.created_at,
            "lines": s.lines, "due": s.due,
            "paid": s.paid, "outstanding": s.outstanding, "created": created,
            "invoices": run.invoices.count(), "total": run.total}


@router.post("/runs", response={200: RunStarted, 201: RunStarted, 403: Error, 422: FieldError},
             summary="Jalankan penagihan satu bulan untuk satu kabupaten/kota (201); bulan yang "
                     "sudah ditagih kabupaten/kota itu tidak diubah (200)")
def run_start(request, body: RunIn):
    area = area_of(request)
    if not _can_write(request.user) or not (selectors.is_kabupaten(area)
                                            or area in deployment_kabupaten()):
        return Status(403, {"detail": "Penagihan mencakup seluruh kabupaten/kota: hanya "
                                      "operator atau admin tingkat kabupaten/kota atau provinsi "
                                      "yang boleh menjalankannya."})
    period = month_start(body.period)
    try:
        result = run_billing(period, kabupaten=body.kabupaten or None, user=request.user)
    except (MissingParameterError, InputError) as exc:
        raise PremiumError("period", f"Penagihan bulan {month_text(period)} tidak dapat "
                                     f"dihitung: {exc}", code=ErrorCode.NO_RULE) from exc
    except IntegrityError:  # the same month started at the same moment by someone else
        run = selectors.month_runs(area, period, body.kabupaten or None)
        if len(run) != 1:
            raise
        return Status(200, _run_started(run[0], False, area))
    return Status(201 if result.created else 200,
                  _run_started(result.run, result.created, area))


class InvoiceRowOut(Schema):
    id: int
    number: str
    period: dt.date
    funding_source: str
    payer_name: str
    lines: int
    due: int
    paid: int
    outstanding: int


@router.get("/runs/{period}/invoices", response={200: list[InvoiceRowOut], 403: Error,
                                                  404: Error},
            summary="Faktur satu bulan iuran (YYYY-MM) di wilayah pengguna (provinsi: semua "
                    "kabupaten/kota, atau `kabupaten`), angka untuk wilayah pengguna")
@paginate(LimitOffsetPagination)
def run_invoices(request, period: Month, kabupaten: str | None = None):
    area = people_area(request)  # payers include self-paid workers, by name
    runs = selectors.month_runs(area, month_start(period), kabupaten)
    if not runs:
        raise Http404
    rows = selectors.month_invoices(runs, area)
    return Mapped(rows, lambda r: {
        "id": r.invoice.pk, "number": r.invoice.number, "period": r.invoice.period,
        "funding_source": r.invoice.funding_source, "payer_name": r.invoice.payer_name,
        "lines": r.lines, "due": r.due, "paid": r.paid, "outstanding": r.due - r.paid})


class LineOut(Schema):
    id: int
    enrolment_id: int
    nik: str
    name: str
    desa_code: str
    category: str
    segment: str
    wage: int
    jkk: int
    jkm: int
    jht: int
    jp: int
    jkp: int
    worker_share: int
    total: int
    paid_on: dt.date | None


class PaymentOut(Schema):
    id: int
    amount: int
    paid_on: dt.date
    reference: str
    created_at: dt.datetime


class AdjustmentOut(Schema):
    id: int
    amount: int
    reason: str
    created_at: dt.datetime


class InvoiceOut(Schema):
    id: int
    number: str
    period: dt.date
    funding_source: str
    payer_name: str
    area_code: str
    whole: bool = Field(description="Wilayah pengguna memuat seluruh faktur; jika tidak, "
                                    "jumlah faktur (billed…status) null dan `lines` hanya "
                                    "baris di wilayah pengguna")
    can_pay: bool
    billed: int | None
    adjusted: int | None
    amount_due: int | None
    paid: int | None
    outstanding: int | None
    status: str | None
    payments: list[PaymentOut]
    adjustments: list[AdjustmentOut]
    lines: list[LineOut]


def _can_write(user) -> bool:
    return has_perm(user, "edit_premiums")


def _visible_invoice(area: str, invoice_id: int) -> Invoice:
    invoice = selectors.visible_invoice(area, invoice_id)
    if invoice is None:
        raise Http404
    return invoice


def _invoice_out(request, area: str, invoice: Invoice, limit: int = 200) -> dict:
    whole = selectors.is_kabupaten(area) or selectors.can_write_invoice(area, invoice)
    lines = selectors.invoice_lines(invoice, area, limit)
    return {
        "id": invoice.pk, "number": invoice.number, "period": invoice.period,
        "funding_source": invoice.funding_source, "payer_name": invoice.payer_name,
        "area_code": invoice.area_code, "whole": whole,
        "can_pay": _can_write(request.user) and selectors.can_write_invoice(area, invoice),
        "billed": invoice.billed if whole else None,
        "adjusted": invoice.adjusted if whole else None,
        "amount_due": invoice.amount_due if whole else None,
        "paid": invoice.paid if whole else None,
        "outstanding": invoice.outstanding if whole else None,
        "status": invoice.status if whole else None,
        "payments": [{"id": p.pk, "amount": p.amount, "paid_on": p.paid_on,
                      "reference": p.reference, "created_at": p.created_at}
                     for p in invoice.payments.all()],
        "adjustments": [{"id": a.pk, "amount": a.amount, "reason": a.reason,
                         "created_at": a.created_at} for a in invoice.adjustments.all()],
        "lines": [{**{k: r[k] for k in ("id", "enrolment_id", "desa_code", "category",
                                        "segment", "wage", "jkk", "jkm", "jht", "jp", "jkp",
                                        "worker_share", "total", "paid_on")},
                   "nik": nik(request, r["person__nik"]), "name": r["person__name"]}
                  for r in lines],
    }


class InvoiceQuery(Schema):
    limit: int = Field(200, ge=1, le=5000, description="Baris peserta yang dikembalikan")


@router.get("/invoices/{invoice_id}", response={200: InvoiceOut, 403: Error, 404: Error},
            summary="Satu faktur: jumlah, pembayaran, koreksi dan baris peserta")
def invoice_detail(request, invoice_id: int, query: Query[InvoiceQuery]):
    area = people_area(request)
    invoice = _visible_invoice(area, invoice_id)
    out = _invoice_out(request, area, invoice, query.limit)
    audit = list_audit(request, "invoice_lines", {"invoice": invoice.pk, "limit": query.limit})
    if audit is not None:
        audit(len(out["lines"]))
    return Status(200, out)


def _writable_invoice(request, invoice_id: int, refused: str) -> tuple[str, Invoice]:
    """(caller's area, invoice) for a premiums writer whose area holds the whole invoice;
    403 (``refused`` for a role that may not write), 404 outside the area."""
    area = people_area(request)
    if not _can_write(request.user):
        raise HttpError(403, refused)
    invoice = _visible_invoice(area, invoice_id)
    if not selectors.can_write_invoice(area, invoice):
        raise HttpError(403, "Faktur ini mencakup wilayah di luar wilayah kerja Anda.")
    return area, invoice


class PaymentIn(Schema):
    amount: Rupiah = Field(description="Rupiah, bilangan bulat > 0, paling banyak sisa tagihan")
    paid_on: dt.date
    reference: Reference = Field(description="Nomor SP2D / bukti transfer")


class PaymentRecorded(Schema):
    payment: PaymentOut
    invoice: InvoiceOut


@router.post("/invoices/{invoice_id}/payments",
             response={201: PaymentRecorded, 403: Error, 404: Error, 422: FieldErrors},
             summary="Catat pembayaran (penuh atau sebagian) satu faktur")
def invoice_pay(request, invoice_id: int, body: PaymentIn):
    area, invoice = _writable_invoice(request, invoice_id,
                                      "Peran ini tidak boleh mencatat pembayaran.")
    payment = record_payment(invoice, amount=body.amount, paid_on=body.paid_on,
                             reference=body.reference, user=request.user)
    invoice.refresh_from_db()
    return Status(201, {
        "payment": {"id": payment.pk, "amount": payment.amount, "paid_on": payment.paid_on,
                    "reference": payment.reference, "created_at": payment.created_at},
        "invoice": _invoice_out(request, area, invoice)})


class AdjustmentIn(Schema):
    amount: Rupiah = Field(description="Rupiah, bilangan bulat bukan 0: positif menambah "
                                       "tagihan (mis. peserta terlambat didaftarkan), negatif "
                                       "mengurangi (kredit, mis. peserta meninggal); tagihan "
                                       "tidak boleh menjadi lebih kecil dari yang sudah dibayar")
    reason: Reason = Field(description="Alasan koreksi (wajib)")
    enrolment_id: int | None = Field(None, ge=1, description="Kepesertaan yang dikoreksi "
                                                             "(harus ada di faktur ini)")


class AdjustmentDetailOut(AdjustmentOut):
    enrolment_id: int | None


class AdjustmentRecorded(Schema):
    adjustment: AdjustmentDetailOut
    invoice: InvoiceOut


@router.post("/invoices/{invoice_id}/adjustments",
             response={201: AdjustmentRecorded, 403: Error, 404: Error, 422: FieldErrors},
             summary="Catat koreksi faktur (+ tambah tagihan, − kredit)")
def invoice_adjust(request, invoice_id: int, body: AdjustmentIn):
    area, invoice = _writable_invoice(request, invoice_id,
                                      "Peran ini tidak boleh mengoreksi faktur.")
    enrolment = None
    if body.enrolment_id is not None:
        on_invoice = InvoiceLine.objects.filter(invoice_id=invoice.pk,
                                                enrolment_id=body.enrolment_id).exists()
        enrolment = Enrolment.objects.filter(pk=body.enrolment_id).first() if on_invoice else None
        if enrolment is None:
            raise PremiumError("enrolment_id", "Kepesertaan ini tidak ada di faktur ini.")
    adj = add_adjustment(invoice, amount=body.amount, reason=body.reason,
                         enrolment=enrolment, user=request.user)
    invoice.refresh_from_db()
    return Status(201, {
        "adjustment": {"id": adj.pk, "amount": adj.amount, "reason": adj.reason,
                       "enrolment_id": adj.enrolment_id, "created_at": adj.created_at},
        "invoice": _invoice_out(request, area, invoice)})


# ---- arrears ------------------------------------------------------------------------------

class EligibilityLineOut(Schema):
    period: dt.date
    category: str
    total: int
    paid_on: dt.date | None
    invoice_id: int


class EligibilityOut(Schema):
    person_id: int
    nik: str
    name: str
    on: dt.date
    eligible: bool = Field(description="Terlindungi pada tanggal itu (peran yang dijamin "
                                       "berlaku; BPU tidak menunggak 3 bulan atau lebih)")
    reason: str = Field(description="Mengapa tidak terlindungi (kosong bila terlindungi)")
    enrolment_id: int | None
    segment: str | None
    arrears_months: int
    notes: list[str]
    lines: list[EligibilityLineOut] = Field(description="Tagihan iuran orang ini, terbaru dulu "
                                                        "(paling banyak 36 bulan)")


class EligibilityQuery(Schema):
    on: dt.date | None = Field(None, ge=dt.date(1950, 1, 1), le=dt.date(2100, 12, 31),
                               description="Tanggal; bawaan: hari ini")


@router.get("/people/{person_id}/eligibility",
            response={200: EligibilityOut, 403: Error, 404: Error, 422: Error},
            summary="Apakah seseorang terlindungi pada satu tanggal, dengan tunggakan dan "
                    "tagihan iurannya")
def person_eligibility(request, person_id: int, query: Query[EligibilityQuery]):
    from jamsos.premiums.models import InvoiceLine

    area = people_area(request)
    person = people_in(area).filter(pk=person_id).first()
    if person is None:
        raise Http404
    on = query.on or timezone.localdate()
    try:
        result = selectors.is_eligible(person, on)
    except MissingParameterError as exc:
        raise PremiumError("on", f"Tidak ada ketentuan yang berlaku pada {date_text(on)}: {exc}",
                           code=ErrorCode.NO_RULE) from exc
    lines = (InvoiceLine.objects.filter(person_id=person.pk).order_by("-period")
             .values("period", "category", "total", "paid_on", "invoice_id")[:36])
    role = result.enrolment
    return Status(200, {
        "person_id": person.pk, "nik": nik(request, person.nik), "name": person.name,
        "on": on, "eligible": result.eligible, "reason": result.reason,
        "enrolment_id": getattr(role, "pk", None), "segment": getattr(role, "segment", None),
        "arrears_months": result.arrears, "notes": list(result.notes), "lines": list(lines)})


class ArrearsOut(Schema):
    enrolment_id: int
    nik: str
    name: str
    months: int
    amount: int
    since: dt.date
    category: str
    segment: str
    desa_code: str
    funding_source: str
    lapsed: bool = Field(description="BPU yang menunggak sampai batas: kepesertaan tidak aktif")


class ArrearsQuery(Schema):
    month: Month | None = Field(None, description="Bulan YYYY-MM; bawaan dan paling akhir: "
                                "bulan terakhir yang tagihannya sudah jatuh tempo (tanggal 15 "
                                "bulan berikutnya); tagihan belum jatuh tempo bukan tunggakan")


def _arrears_row(request, r: dict) -> dict:
    since = r["since"]
    if isinstance(since, str):  # SQLite returns the aggregate as text
        since = dt.date.fromisoformat(since)
    return {**{k: r[k] for k in ("enrolment_id", "name", "months", "amount", "category",
                                 "segment", "desa_code", "funding_source", "lapsed")},
            "since": since, "nik": nik(request, r["nik"])}


@router.get("/arrears", response={200: list[ArrearsOut], 403: Error, 422: Error},
            summary="Peserta dengan bulan iuran belum dibayar (terbanyak dulu)")
@paginate(LimitOffsetPagination)
def arrears(request, query: Query[ArrearsQuery]):
    area = people_area(request)
    last_due = selectors.last_overdue_period(timezone.localdate())
    month = min(month_start(query.month), last_due) if query.month else last_due
    params.bpu_lapse_months(month)  # a month before the regulation's parameters: 422
    rows = selectors.ArrearsRows(area, month)
    return Mapped(rows, lambda r: _arrears_row(request, r),
                  on_page=list_audit(request, "arrears_list", {"month": month}))


# ---- reconciliation -----------------------------------------------------------------------

class ClassTotalOut(Schema):
    cls: str
    count: int
    bpjs: int
    ours: int
    diff: int


class ReconciliationOut(Schema):
    id: int
    period: dt.date
    filename: str
    created_at: dt.datetime
    totals: list[ClassTotalOut] = Field(description="Per kelas, untuk wilayah pengguna")
    count: int
    bpjs: int
    ours: int
    diff: int


def _rec_out(rec: Reconciliation, area: str) -> dict:
    from jamsos.premiums.models import RecClass

    totals = selectors.reconciliation_totals(rec, area)
    table = []
    for c in RecClass:
        t = totals.get(c.value) or {"count": 0, "bpjs": 0, "ours": 0}
        table.append({"cls": c.value, "count": int(t["count"]), "bpjs": int(t["bpjs"]),
                      "ours": int(t["ours"]), "diff": int(t["bpjs"]) - int(t["ours"])})
    return {"id": rec.pk, "period": rec.period, "filename": rec.filename,
            "created_at": rec.created_at, "totals": table,
            **{k: sum(t[k] for t in table) for k in ("count", "bpjs", "ours", "diff")}}


@router.get("/reconciliations", response={200: list[ReconciliationOut], 403: Error},
            summary="Rekonsiliasi dengan tagihan BPJS: jumlah per kelas (agregat)")
def reconciliations(request):
    area = area_of(request)
    return Status(200, [_rec_out(r, area) for r in selectors.reconciliations(area)])


@router.get("/reconciliations/{reconciliation_id}",
            response={200: ReconciliationOut, 403: Error, 404: Error},
            summary="Ringkasan satu rekonsiliasi untuk wilayah pengguna (agregat)")
def reconciliation(request, reconciliation_id: int):
    area = area_of(request)
    rec = selectors.visible_reconciliation(area, reconciliation_id)
    if rec is None:
        raise Http404
    return Status(200, _rec_out(rec, area))


class ReconciliationCreated(ReconciliationOut):
    file_rows: int = Field(description="Baris data di berkas BPJS")
    errors: list[RowIssue] = Field(description="Baris yang ditolak (NIK, iuran atau periode "
                                                  "salah; tidak diklasifikasi), paling banyak "
                                                  "1000")


@router.post("/reconciliations",
             response={201: ReconciliationCreated, 403: Error, 422: FieldError},
             summary="Unggah tagihan BPJS satu bulan (CSV/XLSX) dan cocokkan dengan tagihan kita")
def reconciliation_upload(request, period: Form[Month], file: File[UploadedFile],
                          kabupaten: Form[str | None] = None):
    area = area_of(request)
    if not _can_write(request.user) or not (selectors.is_kabupaten(area)
                                            or area in deployment_kabupaten()):
        return Status(403, {"detail": "Rekonsiliasi mencakup seluruh kabupaten/kota: hanya "
                                      "operator atau admin tingkat kabupaten/kota atau provinsi "
                                      "yang boleh mengunggah."})
    check_upload(file, suffixes=None)
    filename = (file.name or "").replace("\x00", "") or "tagihan-bpjs"
    rec = reconcile(file.read(), filename, period=month_start(period),
                    kabupaten=kabupaten or None, user=request.user)
    return Status(201, {**_rec_out(rec, area), "file_rows": rec.rows,
                        "errors": [{k: e[k] for k in ("row", "column", "code", "message")}
                                   for e in rec.errors]})


RecClassName = Literal["matched", "amount_differs", "not_in_registry", "not_billed",
                       "after_death", "duplicate"]


class RecRowsQuery(Schema):
    cls: RecClassName | None = Field(
        None, description="Kelas: matched (cocok), amount_differs (jumlah berbeda), "
                          "not_in_registry (ditagih BPJS, bukan peserta kita), not_billed "
                          "(peserta kita, tidak ditagih BPJS), after_death (ditagih setelah "
                          "meninggal), duplicate (ditagih ganda)")


class RecRowOut(Schema):
    id: int
    cls: str
    row: int | None = Field(description="Baris di berkas BPJS; null untuk not_billed")
    nik: str
    kpj: str = Field(description="Kosong untuk peran tanpa hak data pribadi")
    name: str
    segment: str
    programs: str
    amount_bpjs: int
    amount_ours: int
    diff: int = Field(description="amount_bpjs − amount_ours")
    desa_code: str
    note: str


@router.get("/reconciliations/{reconciliation_id}/rows",
            response={200: list[RecRowOut], 403: Error, 404: Error},
            summary="Baris satu rekonsiliasi di wilayah pengguna, menurut kelas")
@paginate(LimitOffsetPagination)
def reconciliation_rows(request, reconciliation_id: int, query: Query[RecRowsQuery]):
    area = people_area(request)
    rec = selectors.visible_reconciliation(area, reconciliation_id)
    if rec is None:
        raise Http404
    personal = shows_personal_data(request)
    rows = selectors.reconciliation_rows_query(rec, area, query.cls)
    return Mapped(rows, lambda r: {
        **{k: r[k] for k in ("id", "cls", "row", "name", "segment", "programs", "amount_bpjs",
                             "amount_ours", "desa_code", "note")},
        "nik": nik(request, r["nik"]), "kpj": r["kpj"] if personal else "",
        "diff": r["amount_bpjs"] - r["amount_ours"]},
        on_page=list_audit(request, "reconciliation_rows",
                           {"reconciliation": rec.pk, "class": query.cls}))


# ---- budget -------------------------------------------------------------------------------

class BudgetRowOut(Schema):
    kecamatan: str
    name: str
    category: str
    covered: int
    current_cost: int
    target: int
    shortfall: int
    per_person: int
    additional_cost: int


class PvbRowOut(Schema):
    kecamatan: str
    name: str
    category: str
    premiums: int
    benefits: int | None


class PvbOut(Schema):
    year: int
    premiums: int
    benefits: int | None
    message: str
    rows: list[PvbRowOut]


class RegencyBudgetOut(Schema):
    kabupaten: str
    name: str
    allocation: int | None = Field(description="Pagu APBD iuran tahun itu (null: belum dicatat)")
    source: str
    billed: int = Field(description="Tagihan APBD tahun itu sejauh ini, dengan koreksi")
    paid: int
    months_billed: int
    projected: int | None = Field(description="Biaya APBD setahun cakupan saat ini (null: "
                                              "pengaturan iuran kabupaten belum ada)")
    remaining: int | None


class BudgetOut(Schema):
    year: int
    area: str
    apbd_current: int
    by_source: dict[str, int]
    by_category: dict[str, int]
    per_person: dict[str, int]
    per_person_basis: dict[str, str]
    additional_to_full_target: int
    apbd_at_full_target: int
    rows: list[BudgetRowOut]
    notes: list[str]
    regencies: list[RegencyBudgetOut] = Field(description=(
        "Pagu, tagihan dan proyeksi per kabupaten/kota: yang memuat wilayah pengguna, atau "
        "setiap kabupaten/kota provinsi untuk pengguna tingkat provinsi"))
    premiums_vs_benefits: PvbOut = Field(description="Iuran dibayar vs manfaat diterima pada "
                                                     "tahun sebelumnya")


class BudgetQuery(Schema):
    year: int | None = Field(None, ge=2015, le=2100, description="Bawaan: tahun depan")
    area: AreaCode | None = Field(None, description="Kode wilayah di dalam wilayah pengguna")


@router.get("/budget", response={200: BudgetOut, 403: Error, 404: Error, 422: Error},
            summary="Anggaran APBD iuran satu tahun: cakupan saat ini dan menuju 100 % target "
                    "(agregat; juga untuk pimpinan)")
def budget(request, query: Query[BudgetQuery]):
    area = report_area(request, query.area)
    if area is None:
        return Status(404, {"detail": "Wilayah tidak ditemukan."})
    year = query.year or timezone.localdate().year + 1
    b = selectors.budget(year, area)  # no regulation for the year: 422
    pvb = selectors.premiums_vs_benefits(area, year - 1)
    return Status(200, {**b.as_json(), "premiums_vs_benefits": {
        "year": pvb.year, "premiums": pvb.premiums, "benefits": pvb.benefits,
        "message": pvb.message, "rows": pvb.rows}})


# ---- a regency's own settings (issue 16) ----------------------------------------------------


class SettingOut(Schema):
    id: int
    parameter: str = Field(description="default_wage.pu, jkk_risk_class, paying_opd, opd_names")
    valid_from: dt.date
    value: int | dict[str, str]
    citation: str
    unconfirmed: bool
    note: str
    created_at: dt.datetime


class FundingDefaultOut(Schema):
    id: int
    valid_from: dt.date
    sources: dict[str, str]
    citation: str
    created_at: dt.datetime


class AllocationOut(Schema):
    kabupaten: str
    year: int
    amount: int
    source: str
    updated_at: dt.datetime


class RegencySettingsOut(Schema):
    kabupaten: str
    name: str
    can_edit: bool
    missing: list[str] = Field(description="Pengaturan yang belum berlaku hari ini")
    settings: list[SettingOut]
    funding_defaults: list[FundingDefaultOut]
    allocations: list[AllocationOut]


class SettingsQuery(Schema):
    kabupaten: AreaCode | None = Field(None, description="Bawaan: kabupaten/kota pengguna")


class SettingsIn(Schema):
    kabupaten: AreaCode
    valid_from: dt.date
    citation: str = Field(max_length=500)
    unconfirmed: bool = False
    note: str = Field("", max_length=300)
    pu_wage: Rupiah | None = Field(None, description="Upah dasar PU bila kosong (UMK), Rp/bulan")
    risk_class: int | None = Field(None, description="Kelompok risiko JKK 1–5")
    paying_opd: dict[str, str] | None = Field(None, description="kategori → singkatan OPD")
    opd_names: dict[str, str] | None = Field(None, description="singkatan OPD → nama")


class FundingDefaultsIn(Schema):
    kabupaten: AreaCode
    valid_from: dt.date
    sources: dict[str, str] = Field(description="kategori → APBD, APBDES atau MANDIRI")
    citation: str = Field(max_length=500)


class AllocationIn(Schema):
    kabupaten: AreaCode
    year: int
    amount: Rupiah
    source: str = Field(max_length=300)


def _regency(request, code: str | None) -> str:
    """The kabupaten/kota asked for if the caller may see its settings; others are 404."""
    from jamsos.accounts.selectors import regencies_of

    if not has_perm(request.user, "regency_settings"):
        raise HttpError(403, "Hanya admin yang mengatur iuran kabupaten/kota.")
    kabs = regencies_of(request.user)
    code = code or (kabs[0] if len(kabs) == 1 else None)
    if code is None:  # a province admin: which of its kabupaten/kota
        raise DomainError("kabupaten", "Sebutkan kabupaten/kota (mis. kabupaten=16.02).",
                          code=ErrorCode.REQUIRED)
    if code not in kabs:
        raise Http404
    return code


def _settings_out(request, kab: str) -> dict:
    from jamsos.accounts.selectors import may_set_regency

    s = selectors.regency_settings(kab)
    return {
        "kabupaten": kab, "name": s.name, "can_edit": may_set_regency(request.user, kab),
        "missing": s.missing,
        "settings": [{"id": v.pk, "parameter": v.name, "valid_from": v.valid_from,
                      "value": v.value, "citation": v.citation, "unconfirmed": v.unconfirmed,
                      "note": v.note, "created_at": v.created_at}
                     for vs in s.versions.values() for v in vs],
        "funding_defaults": [{"id": f.pk, "valid_from": f.valid_from, "sources": f.sources,
                              "citation": f.citation, "created_at": f.created_at}
                             for f in s.funding],
        "allocations": [{"kabupaten": a.kabupaten, "year": a.year, "amount": a.amount,
                         "source": a.source, "updated_at": a.updated_at}
                        for a in s.allocations]}


@router.get("/settings", response={200: RegencySettingsOut, 403: Error, 404: Error,
                                   422: FieldErrors},
            summary="Pengaturan iuran satu kabupaten/kota: upah dasar (UMK), kelompok risiko "
                    "JKK, OPD pembayar, sumber dana bawaan, pagu APBD (setiap versi)")
def regency_settings(request, query: Query[SettingsQuery]):
    return Status(200, _settings_out(request, _regency(request, query.kabupaten)))


@router.post("/settings", response={201: RegencySettingsOut, 403: Error, 404: Error,
                                    422: FieldErrors},
             summary="Tambah versi bertanggal pengaturan iuran kabupaten/kota (yang diisi saja)")
def regency_settings_add(request, body: SettingsIn):
    kab = _regency(request, body.kabupaten)
    add_billing_settings(kabupaten=kab, valid_from=body.valid_from, citation=body.citation,
                         unconfirmed=body.unconfirmed, note=body.note, pu_wage=body.pu_wage,
                         risk_class=body.risk_class, paying_opd=body.paying_opd,
                         opd_names=body.opd_names, user=request.user)
    return Status(201, _settings_out(request, kab))


@router.post("/funding-defaults", response={201: RegencySettingsOut, 403: Error, 404: Error,
                                            422: FieldErrors},
             summary="Tambah versi bertanggal sumber dana bawaan per kategori (untuk impor)")
def funding_defaults_add(request, body: FundingDefaultsIn):
    from jamsos.registry.services import add_funding_defaults

    kab = _regency(request, body.kabupaten)
    add_funding_defaults(kabupaten=kab, valid_from=body.valid_from, sources=body.sources,
                         citation=body.citation, user=request.user)
    return Status(201, _settings_out(request, kab))


@router.put("/allocations", response={200: RegencySettingsOut, 403: Error, 404: Error,
                                      422: FieldErrors},
            summary="Catat pagu APBD iuran satu tahun (menggantikan yang sebelumnya, diaudit)")
def allocation_set(request, body: AllocationIn):
    kab = _regency(request, body.kabupaten)
    set_allocation(kabupaten=kab, year=body.year, amount=body.amount, source=body.source,
                   user=request.user)
    return Status(200, _settings_out(request, kab))
