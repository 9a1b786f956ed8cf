from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from jamsos.accounts.selectors import area_code_of, can_see_personal_data, in_area, require
from jamsos.audit.downloads import export
from jamsos.audit.services import record as audit_record
from jamsos.audit.services import record_list_view
from jamsos.claims import entitlements as ent
from jamsos.claims import exports, selectors, services
from jamsos.claims.labels import STEP_LABELS
from jamsos.claims.models import (
    EVENTS,
    SCHOLARSHIP_EVENTS,
    ClaimStatus,
    EndReason,
    Program,
    Relation,
    SchoolLevel,
)
from jamsos.claims.services import ClaimError, can_write_claims
from jamsos.core.importing.reader import UnreadableFile
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


@login_required
@require("view_people")
@require_http_methods(["GET", "POST"])
def claim_detail(request, pk: int):
    claim = _claim(request, pk)
    errors: dict[str, str] = {}
    if request.method == "POST":
        _require_writer(request.user)
        action = request.POST.get("action")
        try:
            if action == "documents":
                services.set_documents(claim, received=request.POST.getlist("doc"),
                                       user=request.user)
                messages.success(request, _("Daftar dokumen disimpan."))
            elif action == "move":
                to = request.POST.get("to", "")
                services.move_claim(claim, to=to, user=request.user,
                                    on=_date(request.POST.get("on")),
                                    paid_amount=_int(request.POST.get("paid_amount")),
                                    reason=request.POST.get("reason", ""))
                messages.success(request, _("Status klaim diperbarui."))
            elif action == "beneficiary":
                services.add_beneficiary(claim, name=request.POST.get("name", ""),
                                         relation=request.POST.get("relation", ""),
                                         nik=request.POST.get("nik", "").strip(),
                                         birth_date=_date(request.POST.get("birth_date")),
                                         user=request.user)
                messages.success(request, _("Ahli waris ditambahkan."))
            elif action == "child":
                birth = _date(request.POST.get("birth_date"))
                if birth is None:
                    raise ClaimError("birth_date", _("Isi tanggal lahir anak."))
                services.add_child(claim, name=request.POST.get("name", ""), birth_date=birth,
                                   level=request.POST.get("level", ""),
                                   years_done=_int(request.POST.get("years_done")) or 0,
                                   user=request.user)
                messages.success(request, _("Anak penerima beasiswa ditambahkan."))
            elif action == "difference":
                services.note_difference(claim, note=request.POST.get("note", ""),
                                         user=request.user)
                messages.success(request, _("Tindak lanjut selisih dicatat."))
            return redirect("claims:detail", pk=claim.pk)
        except ClaimError as exc:
            errors[exc.field] = exc.message
            claim = _claim(request, pk)
    checklist = ent.checklist(claim.program, claim.event)
    if request.method == "GET" and can_see_personal_data(request.user):
        audit_record(user=request.user, action="view_personal", obj_type="claim",
                     obj_id=claim.pk, changes={})
    return render(request, "claims/detail.html", _ctx(
        request, claim=claim, checklist=checklist, errors=errors,
        docs=[(d, bool(claim.documents.get(d.code))) for d in checklist.documents],
        steps=[(s, STEP_LABELS.get(s.status, s.status)) for s in claim.steps.all()],
        beneficiaries=claim.beneficiaries.all(),
        children=claim.children.all(), relations=Relation.choices, levels=SchoolLevel.choices,
        next_statuses=[(s, STEP_LABELS[s]) for s in claim.next_statuses],
        scholarship_claim=(claim.program, claim.event) in SCHOLARSHIP_EVENTS,
        follow_up=selectors.follow_up_for(claim.person), today=timezone.localdate()))


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
    errors = {}
    if request.method == "POST":
        _require_writer(request.user)
        try:
            services.decline_follow_up(fu, reason=request.POST.get("reason", ""),
                                       user=request.user)
            messages.success(request, _("Tindak lanjut ditutup."))
            return redirect("claims:follow_up", pk=fu.pk)
        except ClaimError as exc:
            errors[exc.field] = exc.message
    return render(request, "claims/follow_up.html", _ctx(request, fu=fu, errors=errors))


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
    errors = {}
    today = timezone.localdate()
    year = ent.school_year_of(today)
    if request.method == "POST":
        _require_writer(request.user)
        try:
            if request.POST.get("action") == "end":
                services.end_scholarship(child, reason=request.POST.get("reason", ""),
                                         on=_date(request.POST.get("on"), today),
                                         user=request.user)
                messages.success(request, _("Beasiswa diakhiri."))
            else:
                amount = _int(request.POST.get("amount"))
                if amount is None:
                    raise ClaimError("amount", _("Isi jumlah dibayar."))
                services.record_scholarship_payment(
                    child, school_year=_int(request.POST.get("school_year")) or year,
                    amount=amount, paid_on=_date(request.POST.get("paid_on"), today),
                    level=request.POST.get("level") or None, user=request.user)
                messages.success(request, _("Pembayaran beasiswa dicatat."))
            return redirect("claims:scholarship", pk=child.pk)
        except ClaimError as exc:
            errors[exc.field] = exc.message
    level, amount, citation = services.yearly_entitlement(child, year)
    return render(request, "claims/scholarship.html", _ctx(
        request, child=child, payments=child.payments.all(), errors=errors, year=year,
        level=level, level_label=dict(SchoolLevel.choices).get(level or "", "–"),
        amount=amount, citation=citation, ended=services.end_reason_on(child, today),
        reasons=EndReason.choices, levels=SchoolLevel.choices, today=today))


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
        suffix = Path(upload.name).suffix.lower() if upload else ""
        if upload is None or suffix not in {".csv", ".txt", ".xlsx"}:
            summary.append(("f-file", _("Pilih berkas CSV atau XLSX.")))
        elif upload.size > settings.JAMSOS_MAX_IMPORT_BYTES:
            summary.append(("f-file", _("Berkas terlalu besar.")))
        else:
            try:
                result = import_claims(upload.read(), upload.name, user=request.user,
                                       area_code=_area(request),
                                       dry_run=bool(request.POST.get("dry_run")))
            except UnreadableFile as exc:
                summary.append(("f-file", str(exc)))
    return render(request, "claims/import.html", _ctx(request, result=result, summary=summary))
