from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods

from jamsos.accounts.selectors import area_code_of, can_see_personal_data, in_area, require
from jamsos.audit.downloads import export
from jamsos.audit.services import record as audit_record
from jamsos.audit.services import record_list_view
from jamsos.claims import entitlements as ent
from jamsos.claims import exports, forms, selectors, services
from jamsos.claims.labels import STEP_LABELS
from jamsos.claims.models import (
    EVENTS,
    SCHOLARSHIP_EVENTS,
    ClaimStatus,
    Program,
    SchoolLevel,
)
from jamsos.claims.services import ClaimError, can_write_claims
from jamsos.core.importing.reader import UnreadableFile, refuse_upload
from jamsos.coverage.selectors import programme_start
from jamsos.regions.models import Region
from jamsos.registry.selectors import search_people


def _area(request) -> str:
    area = area_code_of(request.user)
    if area is None:
        raise Http404
    return area


def _require_writer(user) -> None:
    if not can_write_claims(user):
        raise PermissionDenied


def _date(value: str | None, default: dt.date | None = None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else default
    except ValueError:
        return default


def _int(value: str | None) -> int | None:
    raw = (value or "").strip().replace(".", "").replace(" ", "")
    if raw.lower().startswith("rp"):
        raw = raw[2:]
    return int(raw) if raw.isdigit() else None


def _ctx(request, **kw) -> dict:
    return {"can_write": can_write_claims(request.user),
            "show_nik": can_see_personal_data(request.user), **kw}


@login_required
@require("view_people")
def claim_list(request):
    area = _area(request)
    qs = selectors.search_claims(area, status=request.GET.get("status", ""),
                                 program=request.GET.get("program", ""),
                                 query=request.GET.get("q", ""),
                                 flagged=bool(request.GET.get("selisih")))
    page = Paginator(qs, 50).get_page(request.GET.get("hal"))
    if can_see_personal_data(request.user):
        record_list_view(user=request.user, kind="claim_list",
                         filters={**request.GET.dict(), "page": page.number}, count=len(page))
    return render(request, "claims/list.html", _ctx(
        request, page=page, statuses=ClaimStatus.choices, programs=Program.choices,
        f=request.GET, flagged=selectors.differences(selectors.claims_in(area)).count(),
        open_follow_ups=selectors.open_follow_ups(area).count()))


def _event_choices() -> list[tuple[str, str]]:
    return [(f"{p}:{e}", f"{p.upper()} — {label}") for p, events in EVENTS.items()
            for e, label in events]


FACT_INPUTS = ("treatment_cost", "incapacity_months", "disability_percent", "balance",
               "months_paid", "home_care_cost")
#: The claim form's field ids, for the error summary's links.
CLAIM_FIELD_IDS = {"person": "f-person", "event": "f-event", "program": "f-event",
                   "event_date": "f-date", "reported_on": "f-reported", "wage": "f-wage",
                   "treatment_cost": "f-treat", "incapacity_months": "f-stmb",
                   "disability_percent": "f-dis", "balance": "f-bal", "months_paid": "f-months"}


@login_required
@require("view_people")
@require_http_methods(["GET", "POST"])
def claim_new(request):
    _require_writer(request.user)
    area = _area(request)
    errors: dict[str, str] = {}
    person = None
    ident = (request.POST.get("person") or request.GET.get("orang") or "").strip()
    if ident:
        if ident.isdigit() and len(ident) < 9:
            person = search_people(area).filter(pk=int(ident)).first()
        else:
            person = search_people(area, ident).first()
    if request.method == "POST":
        program, _sep, event = request.POST.get("event", "").partition(":")
        facts = {}
        for key in FACT_INPUTS:
            raw = request.POST.get(key, "").strip()
            if raw:
                facts[key] = raw.replace(",", ".") if key == "disability_percent" else _int(raw)
        event_date = _date(request.POST.get("event_date"))
        if person is None:
            errors["person"] = _("Peserta tidak ditemukan di wilayah Anda (isi NIK atau KPJ).")
        if event_date is None:
            errors["event_date"] = _("Isi tanggal kejadian.")
        if not errors:
            try:
                claim = services.create_claim(
                    person=person, program=program, event=event, event_date=event_date,
                    user=request.user, facts=facts, wage=_int(request.POST.get("wage")),
                    reported_on=_date(request.POST.get("reported_on")))
                messages.success(request, _("Klaim dicatat; hak dihitung oleh mesin aturan."))
                return redirect("claims:detail", pk=claim.pk)
            except ClaimError as exc:
                errors[exc.field] = exc.message
    return render(request, "claims/new.html", _ctx(
        request, person=person, ident=ident, errors=errors, events=_event_choices(),
        summary=[(CLAIM_FIELD_IDS.get(f, ""), m) for f, m in errors.items()],
        today=timezone.localdate(), form=request.POST))


def _claim(request, pk: int):
    return get_object_or_404(selectors.claims_in(_area(request)).select_related(
        "person", "person__desa", "enrolment"), pk=pk)


#: The claim page's actions: the form, the ids' prefix, the service call, the message.
CLAIM_ACTIONS = {
    "documents": (forms.DocumentsForm, "doc-%s", lambda claim, d, user: services.set_documents(
        claim, received=d["doc"] or [], user=user), _lazy("Daftar dokumen disimpan.")),
    "move": (forms.MoveForm, "move-%s", lambda claim, d, user: services.move_claim(
        claim, to=d["to"], user=user, on=d["on"], paid_amount=d["paid_amount"],
        reason=d["reason"]), _lazy("Status klaim diperbarui.")),
    "beneficiary": (forms.BeneficiaryForm, "ben-%s",
                    lambda claim, d, user: services.add_beneficiary(
                        claim, name=d["name"], relation=d["relation"], nik=d["nik"].strip(),
                        birth_date=d["birth_date"], user=user),
                    _lazy("Ahli waris ditambahkan.")),
    "child": (forms.ChildForm, "child-%s", lambda claim, d, user: services.add_child(
        claim, name=d["name"], birth_date=d["birth_date"], level=d["level"],
        years_done=d["years_done"] or 0, user=user),
        _lazy("Anak penerima beasiswa ditambahkan.")),
    "difference": (forms.DifferenceForm, "diff-%s",
                   lambda claim, d, user: services.note_difference(claim, note=d["note"],
                                                                   user=user),
                   _lazy("Tindak lanjut selisih dicatat.")),
}


def _action_form(action: str, data=None, **kwargs):
    form_class, auto_id, _call, _message = CLAIM_ACTIONS[action]
    if action == "move":  # one form per next status: ids of their own
        auto_id = f"move-{(data or kwargs.get('initial', {})).get('to', '')}-%s"
    return form_class(data, auto_id=auto_id, **kwargs)


@login_required
@require("view_people")
@require_http_methods(["GET", "POST"])
def claim_detail(request, pk: int):
    """A claim with its actions; a refused action shows every error of its form at once."""
    claim = _claim(request, pk)
    today = timezone.localdate()
    failed, failed_action = None, ""
    if request.method == "POST":
        _require_writer(request.user)
        failed_action = request.POST.get("action", "")
        if failed_action not in CLAIM_ACTIONS:
            raise Http404
        failed = _action_form(failed_action, request.POST)
        if failed.is_valid():
            _form, _ids, call, message = CLAIM_ACTIONS[failed_action]
            try:
                call(claim, failed.cleaned_data, request.user)
            except ClaimError as exc:
                failed.add_domain_error(exc)
                claim = _claim(request, pk)
            else:
                messages.success(request, str(message))
                return redirect("claims:detail", pk=claim.pk)

    def form_for(action, **initial):
        if failed is not None and failed_action == action and (
                action != "move" or failed["to"].value() == initial.get("to")):
            return failed
        return _action_form(action, initial=initial)

    checklist = ent.checklist(claim.program, claim.event)
    if request.method == "GET" and can_see_personal_data(request.user):
        audit_record(user=request.user, action="view_personal", obj_type="claim",
                     obj_id=claim.pk, changes={})
    return render(request, "claims/detail.html", _ctx(
        request, claim=claim, checklist=checklist, failed=failed,
        docs=[(d, bool(claim.documents.get(d.code))) for d in checklist.documents],
        steps=[(s, STEP_LABELS.get(s.status, s.status)) for s in claim.steps.all()],
        beneficiaries=claim.beneficiaries.all(), children=claim.children.all(),
        moves=[(s, STEP_LABELS[s], form_for("move", to=s, on=today))
               for s in claim.next_statuses],
        documents_form=form_for("documents"), beneficiary_form=form_for("beneficiary"),
        child_form=form_for("child", years_done=0), difference_form=form_for("difference"),
        scholarship_claim=(claim.program, claim.event) in SCHOLARSHIP_EVENTS,
        follow_up=selectors.follow_up_for(claim.person), today=today))


# --- reports ---------------------------------------------------------------------------------


def _period(request) -> tuple[str, dt.date, dt.date]:
    area = request.GET.get("wilayah") or _area(request)
    if not in_area(request.user, area) or not Region.objects.filter(code=area).exists():
        raise Http404

    today = timezone.localdate()
    # By default since the programme began (the launch figures), not the calendar year.
    start = _date(request.GET.get("dari"), None) or programme_start(area) or dt.date(
        today.year, 1, 1)
    end = _date(request.GET.get("sampai"), today)
    if end < start:
        start, end = end, start
    return area, start, end


@login_required
def report(request):
    area, start, end = _period(request)
    rep = selectors.claim_report(area, start, end)
    return render(request, "claims/report.html", _ctx(
        request, rep=rep, query=request.GET.urlencode()))


@login_required
def report_xlsx(request):
    area, start, end = _period(request)
    rep = selectors.claim_report(area, start, end)
    return export(request, exports.report_xlsx(rep), f"laporan-klaim-{area}-{start}-{end}.xlsx",
                  obj_type="claims_report", obj_id=area,
                  changes={"period": [None, f"{start}..{end}"]})


@login_required
def report_pdf(request):
    area, start, end = _period(request)
    rep = selectors.claim_report(area, start, end)
    return export(request, exports.report_pdf(rep), f"laporan-klaim-{area}-{start}-{end}.pdf",
                  obj_type="claims_report", obj_id=area,
                  changes={"period": [None, f"{start}..{end}"]})


# --- heirs' follow-up --------------------------------------------------------------------------


@login_required
@require("view_people")
def follow_ups(request):
    area = _area(request)
    return render(request, "claims/follow_ups.html", _ctx(
        request, unclaimed=selectors.unclaimed_entitlements(area),
        closed=selectors.follow_ups_in(area).exclude(status="open")
        .select_related("person", "claim").order_by("-closed_on", "-id")[:100]))


@login_required
@require("view_people")
@require_http_methods(["GET", "POST"])
def follow_up(request, pk: int):
    fu = get_object_or_404(selectors.follow_ups_in(_area(request)).select_related(
        "person", "person__desa", "claim"), pk=pk)
    form = forms.DeclineForm(request.POST if request.method == "POST" else None,
                             auto_id="decline-%s")
    if request.method == "POST":
        _require_writer(request.user)
        if form.is_valid():
            try:
                services.decline_follow_up(fu, reason=form.cleaned_data["reason"],
                                           user=request.user)
            except ClaimError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(request, _("Tindak lanjut ditutup."))
                return redirect("claims:follow_up", pk=fu.pk)
    return render(request, "claims/follow_up.html", _ctx(request, fu=fu, form=form))


# --- scholarships ----------------------------------------------------------------------------


@login_required
@require("view_people")
def scholarships(request):
    area = _area(request)
    today = timezone.localdate()
    children = (selectors.children_in(area).select_related("claim", "claim__person")
                .order_by("-awarded_on", "name"))
    return render(request, "claims/scholarships.html", _ctx(
        request, due=selectors.scholarships_due(area, today), children=children,
        school_year=ent.school_year_of(today)))


@login_required
@require("view_people")
@require_http_methods(["GET", "POST"])
def scholarship(request, pk: int):
    child = get_object_or_404(selectors.children_in(_area(request)).select_related(
        "claim", "claim__person"), pk=pk)
    today = timezone.localdate()
    year = ent.school_year_of(today)
    level, amount, citation = services.yearly_entitlement(child, year)
    ending = request.method == "POST" and request.POST.get("action") == "end"
    paying = request.method == "POST" and not ending
    pay_form = forms.PaymentForm(request.POST if paying else None, auto_id="pay-%s",
                                 initial={"school_year": year, "amount": amount,
                                          "paid_on": today})
    end_form = forms.EndForm(request.POST if ending else None, auto_id="end-%s",
                             initial={"on": today})
    if request.method == "POST":
        _require_writer(request.user)
        form = end_form if ending else pay_form
        if form.is_valid():
            d = form.cleaned_data
            try:
                if ending:
                    services.end_scholarship(child, reason=d["reason"], on=d["on"] or today,
                                             user=request.user)
                else:
                    services.record_scholarship_payment(
                        child, school_year=d["school_year"] or year, amount=d["amount"],
                        paid_on=d["paid_on"] or today, level=d["level"] or None,
                        user=request.user)
            except ClaimError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(request, _("Beasiswa diakhiri.") if ending
                                 else _("Pembayaran beasiswa dicatat."))
                return redirect("claims:scholarship", pk=child.pk)
    return render(request, "claims/scholarship.html", _ctx(
        request, child=child, payments=child.payments.all(), year=year,
        level=level, level_label=dict(SchoolLevel.choices).get(level or "", "–"),
        amount=amount, citation=citation, ended=services.end_reason_on(child, today),
        pay_form=pay_form, end_form=end_form, failed=end_form if ending else pay_form,
        today=today))


# --- import ----------------------------------------------------------------------------------


@login_required
@require("view_people")
@require_http_methods(["GET", "POST"])
def claim_import(request):
    from jamsos.claims.importing import import_claims

    _require_writer(request.user)
    result, summary = None, []
    if request.method == "POST":
        upload = request.FILES.get("file")
        if (why := refuse_upload(upload)) is not None:
            summary.append(("f-file", why))
        else:
            try:
                result = import_claims(upload.read(), upload.name, user=request.user,
                                       area_code=_area(request),
                                       dry_run=bool(request.POST.get("dry_run")))
            except UnreadableFile as exc:
                summary.append(("f-file", str(exc)))
    return render(request, "claims/import.html", _ctx(request, result=result, summary=summary))
