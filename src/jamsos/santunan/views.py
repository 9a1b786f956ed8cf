"""Thin views over the santunan services and selectors."""

from __future__ import annotations

import datetime as dt
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jamsos.accounts.selectors import area_code_of, can_see_personal_data, require
from jamsos.audit.downloads import export
from jamsos.audit.services import record as audit_record
from jamsos.audit.services import record_list_view
from jamsos.core.forms import summary_of
from jamsos.core.importing.reader import UnreadableFile, refuse_upload
from jamsos.dtsen import importing as dtsen
from jamsos.dtsen.models import DtsenExtract
from jamsos.regions.selectors import villages_in
from jamsos.santunan import (
    conf,
    documents,
    notify,
    permissions,
    selectors,
    services,
)
from jamsos.santunan import (
    payments as pay,
)
from jamsos.santunan.forms import ActionForm, CaseForm, DocumentForm, GrantVersionForm
from jamsos.santunan.models import (
    OPEN_STATES,
    Document,
    Notification,
    Status,
)
from jamsos.santunan.params import document_kinds

ACTION_LABELS = {
    "submit": _("Kirim ke kecamatan"), "forward": _("Teruskan ke Dinas Sosial"),
    "verify": _("Nyatakan lengkap dan terverifikasi"), "approve": _("Setujui pembayaran"),
    "close": _("Tutup berkas"), "return": _("Kembalikan"), "reject": _("Tolak"),
}
#: How each recorded step reads in the case history (steps the workflow records itself).
HISTORY_LABELS = {
    **ACTION_LABELS, "propose": _("Usulan dibuat"), "batch": _("Masuk daftar transfer"),
    "paid": _("Transfer berhasil"), "transfer_failed": _("Transfer gagal"),
}


def santunan_only(view):
    """Santunan pages answer 404 to a user whose regency has no death-grant scheme (for a
    province user: when no regency of the province has one)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if getattr(request.user, "is_authenticated", False) and \
                not selectors.has_santunan(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _case(request, pk: int):
    return get_object_or_404(selectors.cases_for(request.user).select_related("desa"), pk=pk)


def _common(request) -> dict:
    return {"unread": notify.unread_count(request.user),
            "can_propose": permissions.can_propose(request.user),
            "can_pay": permissions.can_pay(request.user),
            "can_import_dtsen": permissions.can_import_dtsen(request.user),
            "show_nik": can_see_personal_data(request.user)}


@login_required
@require("view_people")
def case_list(request):
    today = timezone.localdate()
    area = area_code_of(request.user)
    status = request.GET.get("status", "")
    qs = selectors.search(selectors.cases_for(request.user), request.GET.get("q", ""))
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATES)
    elif status in Status.values:
        qs = qs.filter(status=status)
    page = Paginator(qs.select_related("desa"), 50).get_page(request.GET.get("hal"))
    if can_see_personal_data(request.user):
        record_list_view(user=request.user, kind="santunan_case_list",
                         filters={**request.GET.dict(), "page": page.number}, count=len(page))
    clock = conf.clock()
    rows = [(c, selectors.sla_state(c, today=today, clock=clock)) for c in page]
    counts = selectors.counts_by_status(area)
    return render(request, "santunan/list.html", {
        **_common(request), "page": page, "rows": rows, "q": request.GET.get("q", ""),
        "status": status, "statuses": [(s, s.label, counts.get(s.value, 0)) for s in Status],
        "n_overdue": len(selectors.overdue(area, today=today)),
        "n_open": sum(counts.get(s, 0) for s in OPEN_STATES),
    })


@login_required
@require("view_people")
def overdue_list(request):
    today = timezone.localdate()
    rows = selectors.overdue(area_code_of(request.user), today=today)
    return render(request, "santunan/overdue.html", {**_common(request), "rows": rows,
                                                      "today": today})


def _case_form(request, data=None, initial=None) -> CaseForm:
    villages = villages_in(area_code_of(request.user)).order_by("parent__name", "name") \
        .select_related("parent")
    return CaseForm(data, initial=initial, villages=villages, today=timezone.localdate())


def _form_page(request, form, case=None, other_pk=None):
    return render(request, "santunan/form.html", {**_common(request), "form": form,
                                                  "case": case, "other_pk": other_pk})


@login_required
@require("view_people")
@require_http_methods(["GET", "POST"])
def case_new(request):
    if not permissions.can_propose(request.user):
        raise PermissionDenied
    other_pk = None
    if request.method == "POST":
        form = _case_form(request, request.POST)
        if form.is_valid():
            try:
                case = services.propose(user=request.user, data=form.cleaned_data)
            except services.CaseError as exc:
                form.add_domain_error(exc)
                if exc.other is not None and selectors.cases_for(request.user).filter(
                        pk=exc.other.pk).exists():
                    other_pk = exc.other.pk
            else:
                messages.success(request, _("Usulan %(no)s disimpan. Unggah dokumen lalu kirim "
                                            "ke kecamatan.") % {"no": case.number})
                return redirect("santunan:detail", pk=case.pk)
    else:
        villages = villages_in(area_code_of(request.user))
        form = _case_form(request, initial={"desa_id": villages.first().code}
                          if villages.count() == 1 else None)
    return _form_page(request, form, other_pk=other_pk)


@login_required
@require("view_people")
@require_http_methods(["GET", "POST"])
def case_edit(request, pk: int):
    case = _case(request, pk)
    if case.status != Status.DRAFT or not permissions.holds(request.user, case):
        raise PermissionDenied
    if request.method == "POST":
        form = _case_form(request, request.POST)
        if form.is_valid():
            try:
                services.update_case(case, user=request.user, data=form.cleaned_data)
            except services.CaseError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(request, _("Perubahan disimpan."))
                return redirect("santunan:detail", pk=case.pk)
    else:
        form = _case_form(request, initial={k: getattr(case, k) for k in services.CASE_FIELDS})
    return _form_page(request, form, case)


@login_required
@require("view_people")
def case_detail(request, pk: int):
    return _detail_page(request, _case(request, pk))


def _detail_page(request, case, *, doc_form=None, act_form=None, status=200):
    """The case page; a refused upload or step shows it again with its form's errors."""
    today = timezone.localdate()
    version = selectors.version_of(case)
    kinds = document_kinds()
    docs = list(case.documents.select_related("uploaded_by"))
    have = {d.kind for d in docs}
    actions = services.allowed_actions(request.user, case)
    detail = permissions.sees_eligibility_detail(request.user)
    if can_see_personal_data(request.user) and request.method == "GET":
        audit_record(user=request.user, action="view_personal", obj_type="santunan_case",
                     obj_id=case.pk, changes={})
    # The checks Dinas Sosial will make, shown from the draft on: the desa before sending,
    # the kecamatan before forwarding (issue 13 item 5).
    checks = services.checks(case, today=today, detail=detail) if case.status in (
        Status.DRAFT, Status.SUBMITTED, Status.FORWARDED, Status.VERIFIED) else []
    failing = [c for c in checks if c.blocking and not c.ok]
    doc_kinds = list(kinds.items())
    return render(request, "santunan/detail.html", {
        **_common(request), "case": case, "version": version, "docs": docs,
        "required": [(k, kinds.get(k, k), k in have) for k in version.documents],
        "doc_kinds": doc_kinds,
        "doc_form": doc_form or DocumentForm(kinds=doc_kinds),
        "act_form": act_form or ActionForm(),
        "sla": selectors.sla_state(case, today=today),
        "checks": checks, "failing": failing,
        "show_decile": detail,
        "forward_actions": [(a, ACTION_LABELS[a]) for a in actions
                            if a not in ("return", "reject")],
        "note_required": "forward" in actions and bool(failing),
        "can_return": "return" in actions, "can_reject": "reject" in actions,
        "four_eyes": (permissions.holds(request.user, case)
                      and services.four_eyes_blocks(request.user, case)),
        "can_edit": case.status == Status.DRAFT and permissions.holds(request.user, case),
        "can_upload": permissions.holds(request.user, case) and case.status in (
            Status.DRAFT, Status.SUBMITTED, Status.FORWARDED),
        "can_see_docs": permissions.can_see_documents(request.user),
        "max_kb": conf.max_document_bytes() // 1024,
        "transitions": [(t, HISTORY_LABELS.get(t.action, t.action))
                        for t in case.transitions.all()],
        "insurance": selectors.insurance_on_death(case)
        if permissions.sees_insurance_of(request.user, case) else None,
    }, status=status)


@login_required
@require_POST
def case_act(request, pk: int):
    case = _case(request, pk)
    form = ActionForm(request.POST)
    form.is_valid()
    action = form.cleaned_data.get("action", "")
    try:
        services.transition(case.pk, action=action, user=request.user,
                            expected=form.cleaned_data.get("expected", ""),
                            reason=form.cleaned_data.get("reason", ""))
    except services.StaleState as exc:
        messages.error(request, exc.message)
    except services.CaseError as exc:
        form.add_domain_error(exc)
        return _detail_page(request, _case(request, pk), act_form=form)
    else:
        messages.success(request, _("%(a)s: berhasil.") % {"a": ACTION_LABELS.get(action,
                                                                                   action)})
    return redirect("santunan:detail", pk=case.pk)


@login_required
@require_POST
def document_upload(request, pk: int):
    case = _case(request, pk)
    form = DocumentForm(request.POST, request.FILES, kinds=list(document_kinds().items()))
    form.is_valid()
    upload = form.cleaned_data.get("file")
    if upload is None:
        form.add_error("file", _("Pilih berkas PDF, JPEG atau PNG."))
    elif (why := refuse_upload(upload, suffixes=None,
                               limit=conf.max_document_bytes())) is not None:
        form.add_error("file", why)
    else:
        try:
            services.upload_document(case, user=request.user, kind=request.POST.get("kind", ""),
                                     filename=upload.name, data=upload.read())
        except services.CaseError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("Dokumen diunggah."))
            return redirect("santunan:detail", pk=case.pk)
    return _detail_page(request, case, doc_form=form)


@login_required
@require("view_people")
def document_file(request, pk: int, doc: int):
    case = _case(request, pk)
    if not permissions.can_see_documents(request.user):
        raise Http404
    document = get_object_or_404(Document, pk=doc, case=case)
    try:
        handle = documents.path_of(document.stored_name).open("rb")
    except OSError:
        raise Http404 from None
    response = FileResponse(handle, content_type=document.content_type,
                            filename=documents.download_name(case, document))
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response


@login_required
@require("view_people")
@require_http_methods(["GET", "POST"])
def payments(request):
    if not permissions.can_pay(request.user):
        raise PermissionDenied
    area = area_code_of(request.user)
    if request.method == "POST":
        try:
            batch = pay.create_batch(user=request.user, area_code=area)
        except services.CaseError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Daftar transfer %(b)s dibuat: %(n)d berkas.")
                             % {"b": batch, "n": batch.count})
            return redirect("santunan:batch", pk=batch.pk)
    ready = pay.ready_for_transfer(area).select_related("desa").order_by("id")
    batches = _batches(request)[:30]
    return render(request, "santunan/payments.html", {**_common(request), "ready": ready,
                                                      "batches": batches})


def _batches(request):
    return selectors.batches_in(area_code_of(request.user))


@login_required
@require("view_people")
@require_http_methods(["GET", "POST"])
def batch_detail(request, pk: int):
    if not permissions.can_pay(request.user):
        raise PermissionDenied
    batch = get_object_or_404(_batches(request), pk=pk)
    result, file_errors, summary = None, [], []
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            file_errors.append(_("Pilih berkas hasil dari bank (CSV atau XLSX)."))
        elif (why := refuse_upload(upload, suffixes=None)) is not None:
            file_errors.append(why)
        else:
            try:
                result = pay.apply_bank_result(batch, upload.read(), upload.name,
                                               user=request.user)
            except UnreadableFile as exc:
                file_errors.append(str(exc))
            else:
                if result["applied"]:
                    messages.success(request, _("Hasil bank dicatat: %(p)d dibayar, %(f)d gagal.")
                                     % {"p": result["paid"], "f": result["failed"]})
                    return redirect("santunan:batch", pk=batch.pk)
                # Every refused row at once, each in the summary (issue 13 item 5).
                summary = [("result-errors", _("Baris %(row)s, kolom %(col)s: %(msg)s")
                            % {"row": e["row"], "col": e["column"], "msg": e["message"]})
                           for e in result["errors"]]
                summary.insert(0, ("f-result", _("Hasil bank tidak dicatat; perbaiki "
                                                 "kesalahan di bawah dan unggah lagi.")))
    summary = [("f-result", m) for m in file_errors] + summary
    return render(request, "santunan/batch.html", {
        **_common(request), "batch": batch, "cases": batch.cases.select_related("desa")
        .order_by("id"), "result": result, "summary": summary, "file_errors": file_errors})


@login_required
@require("view_people")
def batch_file(request, pk: int):
    if not permissions.can_pay(request.user):
        raise PermissionDenied
    batch = get_object_or_404(_batches(request), pk=pk)
    return export(request, pay.batch_csv(batch), f"transfer-{batch}.csv",
                  obj_type="santunan_batch", obj_id=batch.pk)


def _date(value: str | None, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(value) if value else default
    except ValueError:
        return default


@login_required
def report(request):
    today = timezone.localdate()
    date_to = _date(request.GET.get("sampai"), today)
    date_from = _date(request.GET.get("dari"), date_to.replace(day=1) - dt.timedelta(days=90))
    data = selectors.sla_report(area_code_of(request.user), date_from=date_from,
                                date_to=date_to, today=today)
    return render(request, "santunan/report.html", {**_common(request), "r": data,
                                                     "stage_names": selectors.STAGES})


@login_required
@require("view_people")
@require_http_methods(["GET", "POST"])
def dtsen_import(request):
    if not permissions.can_import_dtsen(request.user):
        raise PermissionDenied
    report_, errors = None, {}
    if request.method == "POST":
        upload = request.FILES.get("file")
        valid_from = _date(request.POST.get("valid_from"), None)
        if upload is None:
            errors["f-file"] = _("Pilih berkas ekstrak DTSEN (CSV atau XLSX).")
        elif (why := refuse_upload(upload, suffixes=None)) is not None:
            errors["f-file"] = why
        if valid_from is None:
            errors["f-from"] = _("Isi tanggal berlaku ekstrak.")
        if not errors:
            try:
                report_ = dtsen.import_extract(upload.read(), upload.name, valid_from=valid_from,
                                               user=request.user,
                                               dry_run=bool(request.POST.get("dry_run")))
            except UnreadableFile as exc:
                errors["f-file"] = str(exc)
    return render(request, "santunan/dtsen.html", {
        **_common(request), "report": report_, "errors": errors,
        "summary": summary_of(errors, prefix=""), "valid_from": request.POST.get("valid_from", ""),
        "extracts": DtsenExtract.objects.all()[:20]})


@login_required
@require_http_methods(["GET", "POST"])
def notifications(request):
    if request.method == "POST":
        notify.mark_read(request.user)
        return redirect("santunan:notifications")
    items = Notification.objects.filter(user=request.user).select_related("case")[:100]
    return render(request, "santunan/notifications.html", {**_common(request), "items": items})


@login_required
@require_http_methods(["GET", "POST"])
def rules(request):
    """"Ketentuan santunan": each regency's dated versions (amount, decile, deadline, legal
    basis); its administrator (or the province's) adds a new version or corrects one no case
    uses yet. A regency without a scheme: 404, except to an administrator who may add one."""
    regencies = selectors.kabupaten_of(request.user)
    editable = [k for k in regencies if selectors.may_edit_scheme(request.user, k)]
    shown = sorted(set(selectors.kabupaten_with_scheme(regencies)) | set(editable))
    if not shown:
        raise Http404
    kab = request.GET.get("kabupaten") or request.POST.get("kabupaten") or shown[0]
    if kab not in shown:
        raise Http404
    may_edit = kab in editable
    versions = list(selectors.grant_versions(kab))
    used = selectors.versions_used(kab)
    kinds = document_kinds()
    target = None
    wanted = request.POST.get("version") or request.GET.get("perbaiki")
    if wanted and may_edit:
        target = next((v for v in versions if str(v.pk) == wanted), None)
        if target is None or target.valid_from.isoformat() in used:
            raise Http404
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        form = GrantVersionForm(request.POST, kinds=list(kinds.items()))
        form.is_valid()
        try:
            if target is not None:
                services.correct_grant_version(target, user=request.user,
                                               data=form.service_data())
            else:
                services.add_grant_version(user=request.user, kabupaten_code=kab,
                                           data=form.service_data())
        except services.CaseError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("Ketentuan santunan disimpan."))
            return redirect(f"{reverse('santunan:rules')}?kabupaten={kab}")
    else:
        form = GrantVersionForm(initial=GrantVersionForm.initial_of(target) if target else None,
                                kinds=list(kinds.items()))
    names = {k: services.kabupaten_name(k) for k in regencies}
    return render(request, "santunan/rules.html", {
        **_common(request), "kab": kab, "kab_name": names.get(kab, kab),
        "choices": [(k, names.get(k, k)) for k in shown] if len(shown) > 1 else [],
        "rows": [(v, [kinds.get(d, d) for d in v.documents], v.valid_from.isoformat() in used)
                 for v in versions],
        "may_edit": may_edit, "form": form if may_edit else None, "target": target,
        "has_scheme": bool(versions), "show_nav": selectors.has_santunan(request.user)})
