"""Pages of the premiums app; thin: selectors read, services write. Everything is limited to
the user's area; objects outside it are 404."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jamsos.accounts.selectors import (
    area_code_of,
    can_see_personal_data,
    has_perm,
    may_set_regency,
    regencies_of,
    require,
)
from jamsos.audit.downloads import export
from jamsos.audit.services import record_list_view
from jamsos.core.dates import date_text, month_text
from jamsos.core.errors import DomainError
from jamsos.core.forms import summary_of
from jamsos.core.importing.reader import UnreadableFile, refuse_upload
from jamsos.premiums import billing, exports, selectors
from jamsos.premiums.forms import (
    AdjustmentForm,
    AllocationForm,
    BillingSettingsForm,
    FundingDefaultsForm,
    PaymentForm,
)
from jamsos.premiums.models import BillingParameter, RecClass
from jamsos.premiums.params import MissingBillingSettings
from jamsos.premiums.services import (
    PremiumError,
    add_adjustment,
    add_billing_settings,
    reconcile,
    record_payment,
    run_billing,
    set_allocation,
)
from jamsos.regions.models import Region
from jamsos.regions.nik import mask_nik
from jamsos.regions.selectors import deployment_area, deployment_kabupaten, kabupaten_code_of
from jamsos.registry import categories
from jamsos.registry.selectors import people_in
from jamsos.registry.services import add_funding_defaults
from jamsos.rules import InputError, MissingParameterError

CATEGORY_LABELS = dict(categories.CHOICES)


def _area(request) -> str:
    area = area_code_of(request.user)
    if not area:
        raise Http404
    return area


def _can_write(user) -> bool:
    return has_perm(user, "edit_premiums")


def _require_writer(user) -> None:
    if not _can_write(user):
        raise PermissionDenied


def _period(value: str) -> dt.date:
    try:
        return dt.datetime.strptime(value, "%Y-%m").date()
    except (TypeError, ValueError) as exc:
        raise Http404 from exc


def _nik(user, nik: str) -> str:
    return nik if can_see_personal_data(user) else mask_nik(nik)


def _payer_name(user, invoice) -> str:
    """A self-paying worker's invoice is named after the worker: hidden, as on the page, from
    roles without the right to see people."""
    if invoice.payer_key.startswith("MANDIRI:") and not has_perm(user, "view_people"):
        return _("Mandiri (nama disembunyikan)")
    return invoice.payer_name


def _audit_list(request, kind: str, filters: dict, count: int) -> None:
    """A page of named people shown unmasked is audited once (the list, filters, rows)."""
    if can_see_personal_data(request.user):
        record_list_view(user=request.user, kind=kind, filters=filters, count=count)


def _xlsx(request, data: bytes, filename: str) -> HttpResponse:
    return export(request, data, filename, obj_type="premiums")


def _header(area: str, title: str, period: dt.date | None = None) -> list[str]:
    kab = Region.objects.get(code=kabupaten_code_of(area) if "." in area else deployment_area())
    lines = [f"PEMERINTAH {kab.name.upper()}", title]
    if area != kab.code:
        lines.append(f"Wilayah: {Region.objects.get(code=area).name} ({area})")
    if period:
        lines.append(f"Periode: {exports.month_name(period)}")
    lines.append(f"Tanggal: {date_text(timezone.localdate())}")
    return lines


# --- billing ------------------------------------------------------------------------------


def _regency_choices(user) -> list[tuple[str, str]]:
    """The regencies a province-level user picks from (billing, reconciliation); empty for a
    user of one regency (their own is implied)."""
    codes = regencies_of(user)
    if len(codes) < 2:
        return []
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    return [(c, names.get(c, c)) for c in codes]


def _bills_regency(area: str) -> bool:
    """Billing and reconciliation concern a whole regency: users whose area holds one."""
    return selectors.is_kabupaten(area) or area in deployment_kabupaten()


@login_required
def dashboard(request):
    area = _area(request)
    today = timezone.localdate()
    summaries = selectors.run_summaries(area, today)
    last_due = selectors.last_overdue_period(today)  # arrears = bills past their due date
    in_arrears, lapsed = selectors.arrears_counts(area, last_due)
    return render(request, "premiums/dashboard.html", {
        "summaries": summaries,
        "can_write": _can_write(request.user) and _bills_regency(area),
        "regencies": _regency_choices(request.user),
        "many": "." not in area,
        "suggested": f"{today:%Y-%m}", "area": Region.objects.get(code=area),
        "lapsed": lapsed, "in_arrears": in_arrears,
        "not_due": selectors.not_due_count(area, today), "last_due": last_due,
        "due_total": sum(s.due for s in summaries), "paid_total": sum(s.paid for s in summaries),
    })


def _run_regencies(request, month: dt.date):
    """A province user's run of every regency: one message per regency."""
    from jamsos.premiums.services import run_billing_regencies

    for row in run_billing_regencies(month, user=request.user):
        if row.refused:
            messages.error(request, _("%(k)s: tidak ditagih — %(why)s") % {
                "k": row.name, "why": row.refused})
        elif row.created:
            messages.success(request, _("%(k)s: tagihan %(p)s dibuat.") % {
                "k": row.name, "p": month_text(month)})
        else:
            messages.info(request, _("%(k)s: tagihan %(p)s sudah ada; tidak diubah.") % {
                "k": row.name, "p": month_text(month)})
    return redirect("premiums:dashboard")


@login_required
@require_POST
def run(request):
    _require_writer(request.user)
    if not _bills_regency(area_code_of(request.user) or ""):
        raise PermissionDenied  # a month's bill covers a whole regency
    period = request.POST.get("period", "")
    kabupaten = request.POST.get("kabupaten", "")
    try:
        month = dt.datetime.strptime(period, "%Y-%m").date()
    except ValueError:
        messages.error(request, _("Bulan iuran harus YYYY-MM."))
        return redirect("premiums:dashboard")
    choices = _regency_choices(request.user)
    if choices and not kabupaten:
        return _run_regencies(request, month)
    if kabupaten and kabupaten not in dict(choices):
        raise PermissionDenied
    try:
        result = run_billing(month, kabupaten=kabupaten or None, user=request.user)
    except (MissingParameterError, InputError) as exc:
        messages.error(request, str(exc))
        return redirect("premiums:dashboard")
    except (PremiumError, MissingBillingSettings) as exc:
        messages.error(request, exc.message)
        return redirect("premiums:dashboard")
    if result.created:
        messages.success(request, _("Tagihan %(p)s dibuat.") % {"p": month_text(month)})
    else:
        messages.info(request, _("Tagihan %(p)s sudah ada; tidak diubah. Koreksi dilakukan "
                                 "lewat koreksi faktur.") % {"p": month_text(month)})
    url = reverse("premiums:run_detail", kwargs={"period": f"{month:%Y-%m}"})
    return redirect(url + (f"?kabupaten={result.run.kabupaten}" if choices else ""))


def _month_rows(request, period: str):
    """The month's runs the user's area sees (``?kabupaten=`` one regency's) and its
    invoices; 404 when there is none."""
    area = _area(request)
    runs = selectors.month_runs(area, _period(period), request.GET.get("kabupaten") or None)
    if not runs:
        raise Http404
    return area, runs, selectors.month_invoices(runs, area)


@login_required
def run_detail(request, period: str):
    area, runs, rows = _month_rows(request, period)
    names = dict(Region.objects.filter(code__in=[r.kabupaten for r in runs])
                 .values_list("code", "name"))
    return render(request, "premiums/run.html", {
        "run": runs[0], "rows": rows, "due": sum(r.due for r in rows),
        "regency": names.get(runs[0].kabupaten, "") if len(runs) == 1 and "." not in area
        else "", "query": request.GET.urlencode(),
        "paid": sum(r.paid for r in rows),
        "area_is_kabupaten": all(selectors.covers(area, r.kabupaten) for r in runs)})


@login_required
def run_export(request, period: str):
    area, runs, rows = _month_rows(request, period)
    head = [_("Nomor"), _("Pembayar"), _("Sumber dana"), _("Peserta"), _("Tagihan (Rp)"),
            _("Dibayar (Rp)"), _("Sisa (Rp)")]
    body = [[r.invoice.number, _payer_name(request.user, r.invoice), r.invoice.funding_source,
             r.lines, r.due, r.paid, r.due - r.paid] for r in rows]
    body.append([_("Jumlah"), "", "", sum(r.lines for r in rows), sum(r.due for r in rows),
                 sum(r.paid for r in rows), sum(r.due - r.paid for r in rows)])
    data = exports.workbook(header=_header(area, _("Tagihan iuran BPJS Ketenagakerjaan"),
                                           runs[0].period),
                            summary=(_("Faktur"), head, body), sheets=[], money_from=4)
    return _xlsx(request, data, f"tagihan-{period}-{area}.xlsx")


def _invoice(request, pk: int):
    area = _area(request)
    invoice = selectors.visible_invoice(area, pk)
    if invoice is None:
        raise Http404
    return area, invoice


@login_required
@require("view_people")
def invoice_detail(request, pk: int):
    area, invoice = _invoice(request, pk)
    return _invoice_page(request, area, invoice)


def _invoice_page(request, area, invoice, *, pay_form=None, adj_form=None):
    """The invoice; a refused payment or correction shows it again with the form's errors."""
    lines = selectors.invoice_lines(invoice, area)
    for line in lines:
        line["nik"] = _nik(request.user, line["person__nik"])
        line["category_label"] = CATEGORY_LABELS.get(line["category"], line["category"])
    _audit_list(request, "invoice_lines", {"invoice": invoice.pk}, len(lines))
    return render(request, "premiums/invoice.html", {
        "invoice": invoice, "lines": lines, "payments": invoice.payments.all(),
        "adjustments": invoice.adjustments.all(),
        "can_write": _can_write(request.user) and selectors.can_write_invoice(area, invoice),
        "whole": selectors.is_kabupaten(area) or selectors.can_write_invoice(area, invoice),
        "today": timezone.localdate(), "due_on": billing.due_date(invoice.period),
        "not_due": timezone.localdate() <= billing.due_date(invoice.period),
        "pay_form": pay_form, "adj_form": adj_form,
    })


@login_required
@require("view_people")
def invoice_export(request, pk: int):
    area, invoice = _invoice(request, pk)
    lines = selectors.invoice_lines(invoice, area, limit=None)
    head = [_("NIK"), _("Nama"), _("Kode desa"), _("Kategori"), _("Segmen"), _("Upah (Rp)"),
            "JKK", "JKM", "JHT", "JP", "JKP", _("Bagian pekerja"), _("Total (Rp)"),
            _("Lunas pada")]
    body = [[_nik(request.user, r["person__nik"]), r["person__name"], r["desa_code"],
             str(CATEGORY_LABELS.get(r["category"], r["category"])), r["segment"], r["wage"],
             r["jkk"], r["jkm"], r["jht"], r["jp"], r["jkp"], r["worker_share"], r["total"],
             date_text(r["paid_on"]) if r["paid_on"] else ""] for r in lines]
    data = exports.workbook(
        header=_header(area, _("Faktur %(n)s — %(p)s") % {"n": invoice.number,
                                                          "p": invoice.payer_name},
                       invoice.period),
        summary=None, sheets=[(_("Peserta"), head, body)], money_from=5)
    return _xlsx(request, data, f"faktur-{invoice.number}.xlsx")


def _int(value: str) -> int | None:
    digits = (value or "").replace(".", "").replace(" ", "").strip()
    try:
        return int(digits)
    except ValueError:
        return None


def _date_or_none(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value or "")
    except ValueError:
        return None


@login_required
@require_POST
def pay(request, pk: int):
    _require_writer(request.user)
    area, invoice = _invoice(request, pk)
    if not selectors.can_write_invoice(area, invoice):
        raise PermissionDenied
    form = PaymentForm(request.POST)
    form.is_valid()
    try:
        record_payment(invoice, amount=_int(form.cleaned_data.get("amount", "")),
                       paid_on=_date_or_none(form.cleaned_data.get("paid_on")),
                       reference=form.cleaned_data.get("reference", ""), user=request.user)
    except PremiumError as exc:
        form.add_domain_error(exc)
        return _invoice_page(request, area, invoice, pay_form=form)
    messages.success(request, _("Pembayaran dicatat."))
    return redirect("premiums:invoice", pk=invoice.pk)


@login_required
@require_POST
def adjust(request, pk: int):
    _require_writer(request.user)
    area, invoice = _invoice(request, pk)
    if not selectors.can_write_invoice(area, invoice):
        raise PermissionDenied
    form = AdjustmentForm(request.POST)
    form.is_valid()
    try:
        add_adjustment(invoice, amount=_int(form.cleaned_data.get("amount", "")
                                            .replace("−", "-")),
                       reason=form.cleaned_data.get("reason", ""), user=request.user)
    except PremiumError as exc:
        form.add_domain_error(exc)
        return _invoice_page(request, area, invoice, adj_form=form)
    messages.success(request, _("Koreksi dicatat."))
    return redirect("premiums:invoice", pk=invoice.pk)


# --- arrears ------------------------------------------------------------------------------

ARREARS_PAGE = 100


def _arrears_rows(request, area):
    month = selectors.last_overdue_period(timezone.localdate())
    rows = selectors.arrears_list(area, month, limit=None)
    for r in rows:
        r["nik"] = _nik(request.user, r["nik"])
        r["category_label"] = CATEGORY_LABELS.get(r["category"], r["category"])
    return month, rows


@login_required
@require("view_people")
def arrears(request):
    """One page (100 rows, page numbers) of the arrears list; counts from the summary."""
    area = _area(request)
    month = selectors.last_overdue_period(timezone.localdate())
    count, lapsed = selectors.arrears_counts(area, month)
    page = Paginator(selectors.ArrearsRows(area, month, count=count), ARREARS_PAGE).get_page(
        request.GET.get("hal"))
    rows = list(page.object_list)
    for r in rows:
        r["nik"] = _nik(request.user, r["nik"])
        r["category_label"] = CATEGORY_LABELS.get(r["category"], r["category"])
    _audit_list(request, "arrears_list", {"month": month, "page": page.number}, len(rows))
    return render(request, "premiums/arrears.html", {
        "month": month, "rows": rows, "page": page, "count": count, "lapsed": lapsed,
        "pages": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)})


@login_required
@require("view_people")
def arrears_export(request):
    area = _area(request)
    month, rows = _arrears_rows(request, area)
    head = [_("NIK"), _("Nama"), _("Bulan menunggak"), _("Tunggakan (Rp)"), _("Sejak"),
            _("Kategori"), _("Segmen"), _("Kode desa"), _("Sumber dana"), _("Status")]
    body = [[r["nik"], r["name"], r["months"], r["amount"], month_text(r["since"]),
             str(r["category_label"]), r["segment"], r["desa_code"], r["funding_source"],
             _("Tidak aktif (BPU menunggak)") if r["lapsed"] else _("Aktif")] for r in rows]
    data = exports.workbook(header=_header(area, _("Tunggakan iuran"), month), summary=None,
                            sheets=[(_("Tunggakan"), head, body)], money_from=2)
    return _xlsx(request, data, f"tunggakan-{month:%Y-%m}-{area}.xlsx")


# --- reconciliation -----------------------------------------------------------------------


@login_required
def reconciliations(request):
    area = _area(request)
    errors, period = {}, None
    if request.method == "POST":
        _require_writer(request.user)
        if not _bills_regency(area):
            raise PermissionDenied
        upload = request.FILES.get("file")
        period = request.POST.get("period", "")
        try:
            month = dt.datetime.strptime(period, "%Y-%m").date()
        except ValueError:
            month = None
            errors["period"] = _("Isi bulan iuran sebagai YYYY-MM, mis. 2025-09.")
        if upload is None:
            errors["file"] = _("Pilih berkas tagihan BPJS (CSV atau XLSX).")
        elif (why := refuse_upload(upload, suffixes=None)) is not None:
            errors["file"] = why
        if not errors:
            try:
                rec = reconcile(upload.read(), upload.name, period=month,
                                kabupaten=request.POST.get("kabupaten") or None,
                                user=request.user)
                return redirect("premiums:reconciliation", pk=rec.pk)
            except PremiumError as exc:
                errors.update(exc.errors)
            except UnreadableFile as exc:
                errors["file"] = str(exc)
    recs = [(r, selectors.reconciliation_totals(r, area))
            for r in selectors.reconciliations(area)]
    return render(request, "premiums/reconciliations.html", {
        "recs": recs, "can_write": _can_write(request.user) and _bills_regency(area),
        "regencies": _regency_choices(request.user),
        "kabupaten": request.POST.get("kabupaten", ""),
        "suggested": period or f"{billing.add_months(timezone.localdate(), -1):%Y-%m}",
        "errors": errors, "summary": summary_of(errors, prefix="")})


def _class_table(totals: dict) -> list[dict]:
    return [{"cls": c.value, "label": c.label, **totals[c.value],
             "diff": totals[c.value]["bpjs"] - totals[c.value]["ours"]} for c in RecClass]


@login_required
@require("view_people")
def reconciliation_detail(request, pk: int):
    area = _area(request)
    rec = selectors.visible_reconciliation(area, pk)
    if rec is None:
        raise Http404
    cls = request.GET.get("kelas") or None
    if cls and cls not in RecClass.values:
        cls = None
    rows = selectors.reconciliation_rows(rec, area, cls)
    for r in rows:
        r["nik"] = _nik(request.user, r["nik"])
    _audit_list(request, "reconciliation_rows", {"reconciliation": rec.pk, "class": cls},
                len(rows))
    table = _class_table(selectors.reconciliation_totals(rec, area))
    return render(request, "premiums/reconciliation.html", {
        "rec": rec, "table": table, "rows": rows, "cls": cls,
        "cls_label": dict(RecClass.choices).get(cls, ""),
        "total": {k: sum(t[k] for t in table) for k in ("count", "bpjs", "ours", "diff")},
        "errors": rec.errors[:100] if selectors.whole_file(rec, area) else []})


@login_required
@require("view_people")
def reconciliation_export(request, pk: int):
    area = _area(request)
    rec = selectors.visible_reconciliation(area, pk)
    if rec is None:
        raise Http404
    table = _class_table(selectors.reconciliation_totals(rec, area))
    head = [_("Kelas"), _("Keterangan"), _("Jumlah baris"), _("Tagihan BPJS (Rp)"),
            _("Tagihan kita (Rp)"), _("Selisih (Rp)")]
    body = [[t["cls"], str(t["label"]), t["count"], t["bpjs"], t["ours"], t["diff"]]
            for t in table]
    body.append([_("Jumlah"), "", *(sum(t[k] for t in table)
                                    for k in ("count", "bpjs", "ours", "diff"))])
    detail_head = [_("Baris BPJS"), _("NIK"), _("KPJ"), _("Nama"), _("Segmen"), _("Program"),
                   _("Tagihan BPJS (Rp)"), _("Tagihan kita (Rp)"), _("Kode desa"),
                   _("Catatan")]
    sheets = []
    for c in RecClass:
        rows = selectors.reconciliation_rows(rec, area, c.value, limit=None)
        sheets.append((str(c.label), detail_head, [
            [r["row"], _nik(request.user, r["nik"]), r["kpj"], r["name"], r["segment"],
             r["programs"], r["amount_bpjs"], r["amount_ours"], r["desa_code"], r["note"]]
            for r in rows]))
    if selectors.whole_file(rec, area) and rec.errors:
        sheets.append((_("Baris ditolak"), [_("Baris"), _("Kolom"), _("Kode"), _("Pesan")],
                       [[e["row"], e["column"], e["code"], e["message"]] for e in rec.errors]))
    header = _header(area, _("Lampiran: hasil rekonsiliasi tagihan iuran BPJS "
                             "Ketenagakerjaan"), rec.period)
    header.append(_("Berkas BPJS: %(f)s (%(n)s baris)") % {"f": rec.filename, "n": rec.rows})
    data = exports.workbook(header=header, summary=(_("Ringkasan"), head, body), sheets=sheets,
                            money_from=2)
    return _xlsx(request, data, f"rekonsiliasi-{rec.period:%Y-%m}-{rec.pk}.xlsx")


# --- budget -------------------------------------------------------------------------------


def _year(request) -> int:
    try:
        year = int(request.GET.get("tahun") or timezone.localdate().year + 1)
    except ValueError as exc:
        raise Http404 from exc
    if not 2015 <= year <= 2100:
        raise Http404
    return year


@login_required
def budget_view(request):
    area = _area(request)
    year = _year(request)
    error = None
    try:
        b = selectors.budget(year, area)
    except MissingParameterError as exc:
        b, error = None, str(exc)
    pvb = selectors.premiums_vs_benefits(area, year - 1)
    from jamsos.premiums.scenarios import cover_every_candidate

    return render(request, "premiums/budget.html", {
        "b": b, "year": year, "error": error, "pvb": pvb, "labels": CATEGORY_LABELS,
        "scenario": cover_every_candidate(area),
        "rows": [r for r in (b.rows if b else []) if r.shortfall or r.current_cost]})


@login_required
def budget_export(request):
    area = _area(request)
    year = _year(request)
    b = selectors.budget(year, area)
    pvb = selectors.premiums_vs_benefits(area, year - 1)
    head = [_("Uraian"), _("Keterangan"), _("Jumlah (Rp)")]
    body = [[_("APBD cakupan saat ini"), str(year), b.apbd_current],
            [_("Tambahan menuju 100 % target"), str(year), b.additional],
            [_("APBD pada 100 % target"), str(year), b.apbd_current + b.additional]]
    body += [[_("Sumber dana %(s)s") % {"s": k}, _("cakupan saat ini"), v]
             for k, v in b.by_source.items()]
    rows_head = [_("Kode kecamatan"), _("Kecamatan"), _("Kategori"), _("Terlindungi"),
                 _("Biaya APBD saat ini (Rp)"), _("Target"), _("Kekurangan"),
                 _("Iuran per orang-tahun (Rp)"), _("Tambahan biaya (Rp)")]
    rows = [[r.kecamatan, r.name, str(CATEGORY_LABELS[r.category]), r.covered, r.current_cost,
             r.target, r.shortfall, r.per_person, r.additional_cost] for r in b.rows]
    per = [[k, str(CATEGORY_LABELS[k]), v, b.per_person_basis[k]]
           for k, v in b.per_person.items()]
    pvb_rows = [[r["kecamatan"], r["name"], str(CATEGORY_LABELS.get(r["category"], "")),
                 r["premiums"], r["benefits"] if r["benefits"] is not None else
                 _("belum ada data klaim")] for r in pvb.rows]
    data = exports.workbook(
        header=_header(area, _("Rencana anggaran iuran BPJS Ketenagakerjaan tahun %(y)s")
                       % {"y": year}),
        summary=(_("Ringkasan"), head, body),
        sheets=[(_("Per kecamatan"), rows_head, rows),
                (_("Iuran per orang"), [_("Kategori"), _("Nama"), _("Rp/orang/tahun"),
                                        _("Dasar")], per),
                (_("Iuran vs manfaat %(y)s") % {"y": year - 1},
                 [_("Kode"), _("Kecamatan"), _("Kategori"), _("Iuran dibayar (Rp)"),
                  _("Manfaat diterima (Rp)")], pvb_rows),
                (_("Pagu APBD"),
                 [_("Kabupaten/kota"), _("Pagu (Rp)"), _("Dasar pagu"),
                  _("Ditagih tahun ini (Rp)"), _("Dibayar (Rp)"), _("Proyeksi setahun (Rp)"),
                  _("Sisa pagu setelah proyeksi (Rp)")],
                 [[r.name, r.allocation, r.source, r.billed, r.paid, r.projected, r.remaining]
                  for r in b.regencies])],
        money_from=2)
    return _xlsx(request, data, f"anggaran-{year}-{area}.xlsx")


# --- one person ---------------------------------------------------------------------------


@login_required
@require("view_people")
def person(request, person_id: int):
    from jamsos.premiums.models import InvoiceLine

    area = _area(request)
    p = get_object_or_404(people_in(area), pk=person_id)
    today = timezone.localdate()
    lines = (InvoiceLine.objects.filter(person_id=p.pk).order_by("-period")
             .values("period", "category", "total", "paid_on", "invoice_id")[:36])
    return render(request, "premiums/person.html", {
        "person": p, "nik": _nik(request.user, p.nik),
        "eligibility": selectors.is_eligible(p, today), "today": today, "lines": lines})


# --- a regency's own settings (issue 16) ----------------------------------------------------


def _chosen_regency(request) -> tuple[str, list[str]]:
    """The kabupaten/kota the page shows (``?kabupaten=``; a province admin picks one) and
    every one the user may see; another regency's code is 404."""
    kabs = regencies_of(request.user)
    if not kabs:
        raise Http404
    code = request.POST.get("kabupaten") or request.GET.get("kabupaten") or kabs[0]
    if code not in kabs:
        raise Http404
    return code, kabs


SETTINGS_FORMS = {"settings": BillingSettingsForm, "funding": FundingDefaultsForm,
                  "allocation": AllocationForm}


@login_required
@require("regency_settings")
def settings_view(request):
    """Pengaturan iuran: a regency's UMK wage, JKK risk class, paying OPDs, default funding
    sources and yearly allocation — every version, and forms adding new ones."""
    kab, kabs = _chosen_regency(request)
    can_edit = may_set_regency(request.user, kab)
    forms = {}
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        which = request.POST.get("form", "")
        if which not in SETTINGS_FORMS:
            raise Http404
        form = SETTINGS_FORMS[which](request.POST)
        form.is_valid()
        try:
            _save_settings(request, which, form, kab)
        except DomainError as exc:
            form.add_domain_error(exc)
            forms[which] = form
        else:
            messages.success(request, _("Pengaturan disimpan."))
            return redirect(f"{reverse('premiums:settings')}?kabupaten={kab}")
    names = dict(Region.objects.filter(code__in=kabs).values_list("code", "name"))
    regency = selectors.regency_settings(kab)
    return render(request, "premiums/settings.html", {
        "s": regency, "versions": _version_rows(regency), "can_edit": can_edit, "kabs": kabs,
        "funding_rows": [(f, _funding_text(f.sources)) for f in regency.funding],
        "kab_names": names, "labels": CATEGORY_LABELS,
        "funding_choices": list(categories.FUNDING_SOURCES.items()),
        "set_form": forms.get("settings"), "fund_form": forms.get("funding"),
        "pagu_form": forms.get("allocation"), "next_year": timezone.localdate().year + 1,
        "risk_classes": range(1, 6)}, status=422 if forms else 200)


def _setting_text(name: str, value) -> str:
    """A setting's value as the page says it."""
    from jamsos.core.numbers import rupiah

    if name == "default_wage.pu":
        return rupiah(int(value))
    if name == "paying_opd":
        return "; ".join(f"{CATEGORY_LABELS.get(k, k)}: {v}" for k, v in value.items()) \
            or _("satu tagihan APBD")
    if name == "opd_names":
        return "; ".join(f"{k} = {v}" for k, v in value.items())
    return str(value)


def _funding_text(sources: dict) -> str:
    return "; ".join(f"{CATEGORY_LABELS.get(k, k)}: {categories.FUNDING_SOURCES.get(v, v)}"
                     for k, v in sources.items())


def _version_rows(regency) -> list[dict]:
    labels = dict(BillingParameter.choices)
    return [{"label": labels[name], "v": v, "text": _setting_text(name, v.value),
             "in_force": regency.in_force.get(name) is v}
            for name, vs in regency.versions.items() for v in vs]


def _save_settings(request, which: str, form, kab: str) -> None:
    data, user = form.cleaned_data, request.user
    if which == "settings":
        wage, risk = (data.get("pu_wage") or "").strip(), (data.get("risk_class") or "").strip()
        add_billing_settings(
            kabupaten=kab, valid_from=_date_or_none(data.get("valid_from")),
            citation=data.get("citation", ""), note=data.get("note", ""),
            unconfirmed=bool(data.get("unconfirmed")),
            # Typed but not a number: given as typed, for the service to refuse.
            pu_wage=(wage if _int(wage) is None else _int(wage)) if wage else None,
            risk_class=(risk if _int(risk) is None else _int(risk)) if risk else None,
            paying_opd=form.paying_opd(),
            opd_names=form.names(), user=user)
    elif which == "funding":
        add_funding_defaults(kabupaten=kab, valid_from=_date_or_none(data.get("valid_from")),
                             sources=form.sources(), citation=data.get("citation", ""),
                             user=user)
    else:
        set_allocation(kabupaten=kab, year=_int(data.get("year", "")),
                       amount=_int(data.get("amount", "")), source=data.get("source", ""),
                       user=user)
