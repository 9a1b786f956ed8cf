from __future__ import annotations

import io
from pathlib import Path

import polars as pl
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods

from jamsos.accounts.selectors import (
    area_code_of,
    can_edit_registry,
    can_see_personal_data,
    has_perm,
    in_area,
    require,
)
from jamsos.audit.downloads import export
from jamsos.audit.services import record as audit_record
from jamsos.audit.services import record_list_view
from jamsos.core.dates import date_text
from jamsos.core.downloads import CONTENT_TYPES, workbook
from jamsos.core.forms import summary_of
from jamsos.core.importing.reader import normalise_header, refuse_upload
from jamsos.core.masking import mask_contact, mask_text
from jamsos.core.numbers import grouped
from jamsos.regions.models import Region
from jamsos.regions.nik import mask_nik, validate_nik
from jamsos.regions.selectors import VILLAGE_LEVELS, subtree_q
from jamsos.registry import categories
from jamsos.registry.importing.columns import header_lookup
from jamsos.registry.importing.template import template_xlsx
from jamsos.registry.models import ImportBatch, Target
from jamsos.registry.selectors import import_batches_for, import_progress
from jamsos.registry.services import set_target
from jamsos.registry.tasks import queue_import


def _require_writer(user) -> None:
    if not can_edit_registry(user):
        raise PermissionDenied


def _visible_batches(user):
    return import_batches_for(user, area_code_of(user))


@login_required
@require("view_people")
@require_http_methods(["GET", "POST"])
def imports(request):
    if request.method == "POST":
        _require_writer(request.user)
        upload = request.FILES.get("file")
        if (why := refuse_upload(upload)) is not None:
            messages.error(request, why)
        else:
            batch = queue_import(upload, user=request.user,
                                 dry_run=bool(request.POST.get("dry_run")))
            return redirect("registry:import_detail", pk=batch.pk)
    batches = _visible_batches(request.user).select_related("uploaded_by")[:50]
    return render(request, "registry/imports.html", {
        "batches": batches, "can_edit": can_edit_registry(request.user),
    })


def _batch(request, pk: int) -> ImportBatch:
    return get_object_or_404(_visible_batches(request.user), pk=pk)


@login_required
@require("view_people")
def import_detail(request, pk: int):
    batch = _batch(request, pk)
    return render(request, "registry/import_detail.html", {"batch": batch})


@login_required
@require("view_people")
def import_status(request, pk: int):
    batch = _batch(request, pk)
    s = batch.summary or {}
    progress, stage = import_progress(batch)
    return JsonResponse({
        "status": batch.status, "progress": progress, "stage": stage,
        "rows": s.get("rows"), "created": s.get("created"), "updated": s.get("updated"),
        "rejected": s.get("rejected"), "warnings": s.get("warnings"), "error": s.get("error"),
    })


@login_required
@require("view_people")
def import_rejected(request, pk: int):
    batch = _batch(request, pk)
    if not batch.rejected_path or not Path(batch.rejected_path).exists():
        raise Http404
    frame = pl.read_csv(batch.rejected_path, infer_schema=False)
    if not can_see_personal_data(request.user):
        frame = _masked(frame)
    buf = io.BytesIO()
    book = workbook(buf)
    ws = book.add_worksheet(_("Ditolak"))
    ws.write_row(0, 0, frame.columns, book.add_format({"bold": True}))
    as_text = book.add_format({"num_format": "@"})
    text_columns = [i for i, c in enumerate(frame.columns) if _is_number_text(c)]
    for r, row in enumerate(frame.iter_rows(), start=1):
        ws.write_row(r, 0, row)
        for i in text_columns:  # a string in a text cell: no 1.60213E+15, no lost zero
            ws.write_string(r, i, "" if row[i] is None else str(row[i]), as_text)
    ws.autofit()
    for i in text_columns:
        ws.set_column(i, i, 20, as_text)
    book.close()
    return export(request, buf.getvalue(), f"ditolak-{batch.pk}.xlsx",
                  obj_type="import_rejected", obj_id=batch.pk,
                  changes={"rows": [None, frame.height],
                           "nik_unmasked": [None, can_see_personal_data(request.user)]})


#: Columns of a worker file that hold personal numbers (NIK, phone, KPJ).
_PERSONAL_KEYS = {"nik", "no_hp", "kpj"}
#: Headers of a family-card number (not an import column, but kept from the source file).
_KK_HEADERS = {"nokk", "kk", "nomorkk", "nomorkartukeluarga", "nokartukeluarga"}


def _is_number_text(header: str) -> bool:
    """NIK, No KK, phone and KPJ: digits that must stay text in a spreadsheet."""
    key = normalise_header(header)
    return header_lookup().get(key) in _PERSONAL_KEYS or key in _KK_HEADERS


def _masked(frame: pl.DataFrame) -> pl.DataFrame:
    """The rejected rows for a role without personal-data rights: NIK, phone and KPJ columns
    masked like the pages mask them, NIK-like digit runs anywhere else (a NIK typed in the
    wrong column, an error message quoting one) masked too."""
    lookup = header_lookup()
    return frame.with_columns(
        (pl.col(c).map_elements(mask_nik, return_dtype=pl.String)
         if lookup.get(normalise_header(c)) in _PERSONAL_KEYS
         else pl.col(c).map_elements(mask_text, return_dtype=pl.String))
        for c in frame.columns)


def import_template(request):
    return FileResponse(io.BytesIO(template_xlsx()), as_attachment=True,
                        filename="templat-impor-pekerja.xlsx",
                        content_type=CONTENT_TYPES["xlsx"])


@login_required
@require_http_methods(["GET", "POST"])
def targets(request):
    code = request.GET.get("wilayah") or area_code_of(request.user)
    if not code or not in_area(request.user, code):
        raise Http404
    region = get_object_or_404(Region, code=code)
    current = dict(Target.objects.filter(region=region).values_list("category", "headcount"))
    errors, posted = {}, None
    if request.method == "POST":
        if not has_perm(request.user, "edit_targets"):
            raise PermissionDenied
        # Check every category first, save only when all are valid (all errors at once).
        errors, wanted = {}, {}
        for c in categories.CATEGORIES:
            raw = request.POST.get(c.key, "").strip().replace(".", "")
            if raw == "":
                continue
            if not raw.isdigit():
                errors[c.key] = _("%(cat)s: target harus bilangan bulat ≥ 0.") % {
                    "cat": c.label}
            elif current.get(c.key) != int(raw):
                wanted[c.key] = int(raw)
        if not errors:
            for key, headcount in wanted.items():
                set_target(region_code=region.code, category=key, headcount=headcount,
                           user=request.user)
            messages.success(request, _("Target disimpan."))
            return redirect(f"{request.path}?wilayah={region.code}")
        posted = {c.key: request.POST.get(c.key, "") for c in categories.CATEGORIES}
    children = Region.objects.filter(parent=region).order_by("code")
    return render(request, "registry/targets.html", {
        "region": region, "children": children,
        "can_edit": has_perm(request.user, "edit_targets"),
        "rows": [(c, posted[c.key] if posted else current.get(c.key), errors.get(c.key))
                 for c in categories.CATEGORIES],
        "summary": summary_of(errors, prefix="t-"),
    })


def _person(request, pk: int):
    from jamsos.registry.selectors import people_in

    return get_object_or_404(people_in(area_code_of(request.user)), pk=pk)


def _list_options(area_code: str, f) -> dict:
    """The kecamatan and desa a user may choose in the people list's filters."""
    depth = area_code.count(".")
    kecamatan = (Region.objects.filter(parent_id=area_code).order_by("name")
                 if depth == 1 else Region.objects.none())
    parent = area_code if depth == 2 else (f.kecamatan if depth == 1 else "")
    desa = (Region.objects.filter(parent_id=parent, level__in=VILLAGE_LEVELS).order_by("name")
            if parent and in_area_code(area_code, parent) else Region.objects.none())
    return {"kecamatan_options": kecamatan, "desa_options": desa}


def in_area_code(area_code: str, code: str) -> bool:
    return code == area_code or code.startswith(area_code + ".")


@login_required
@require("view_people")
def people(request):
    from jamsos.registry.selectors import (
        COUNT_CAP,
        STATUSES,
        PeopleFilter,
        people_page,
        role_summaries,
    )

    area = area_code_of(request.user)
    f = PeopleFilter.from_params(request.GET)
    page = people_page(area, f, request.GET.get("hal"))
    show = can_see_personal_data(request.user)
    if show:
        record_list_view(user=request.user, kind="person_list",
                         filters={**f.params(), "page": page.number}, count=len(page.rows))
    summaries = role_summaries([p.pk for p in page.rows])
    rows = [(p, summaries.get(p.pk)) for p in page.rows]
    return render(request, "registry/people.html", {
        "page": page, "rows": rows, "f": f, "show_nik": show, "cap": COUNT_CAP,
        "query": urlencode(f.params()), "sort_query": urlencode(f.params(urut="")),
        "status_choices": [(s, STATUS_LABELS[s]) for s in STATUSES],
        "category_choices": categories.CHOICES,
        "funding_choices": list(categories.FUNDING_SOURCES.items()),
        "filtered": bool(set(f.params()) - {"urut"}),
        **_list_options(area, f),
    })


#: The list's status filter in words.
STATUS_LABELS = {
    "dijamin": _lazy("Terlindungi sekarang"),
    "belum": _lazy("Belum terlindungi"),
    "berakhir": _lazy("Pernah terlindungi, peran berakhir"),
}


@login_required
@require("view_people")
def people_export(request):
    """The filtered list as XLSX, audited; NIK, phone and KPJ as text cells; at most the
    count cap (a larger list is refused with a message: narrow it with the filters)."""
    from jamsos.registry.selectors import COUNT_CAP, PeopleFilter, capped_count, list_people

    area = area_code_of(request.user)
    f = PeopleFilter.from_params(request.GET)
    people = list_people(area, f)
    count, exact = capped_count(people)
    if not exact:
        messages.error(request, _("Daftar ini lebih dari %(n)s orang, terlalu besar untuk "
                                  "diunduh. Persempit dengan saringan (kecamatan, desa, "
                                  "kategori atau status), lalu unduh lagi.")
                       % {"n": grouped(COUNT_CAP)})
        return redirect(f"{reverse('registry:people')}?{urlencode(f.params())}")
    show = can_see_personal_data(request.user)
    data = people_xlsx(list(people), show=show)
    return export(request, data, "daftar-pekerja.xlsx", obj_type="person_list",
                  changes={"rows": [None, count], "filters": [None, f.params()],
                           "nik_unmasked": [None, show]})


def people_xlsx(people: list, *, show: bool) -> bytes:
    from jamsos.registry.selectors import role_summaries

    summaries = role_summaries([p.pk for p in people])
    buf = io.BytesIO()
    book = workbook(buf)
    ws = book.add_worksheet(_("Pekerja"))
    bold = book.add_format({"bold": True})
    as_text = book.add_format({"num_format": "@"})
    header = [_("NIK"), _("Nama"), _("Jenis kelamin"), _("Tanggal lahir"), _("Desa domisili"),
              _("No. HP"), _("KPJ"), _("Kategori"), _("Status")]
    ws.write_row(0, 0, header, bold)
    for col in (0, 5, 6):  # NIK, phone, KPJ: text, never numbers (leading zeros, 16 digits)
        ws.set_column(col, col, 20, as_text)
    for r, p in enumerate(people, start=1):
        summary = summaries.get(p.pk)
        ws.write_string(r, 0, p.nik if show else mask_nik(p.nik), as_text)
        ws.write_string(r, 1, p.name)
        ws.write_string(r, 2, str(p.get_sex_display()))
        ws.write_string(r, 3, date_text(p.birth_date))  # the one date format (issue 13)
        ws.write_string(r, 4, p.desa.name)
        ws.write_string(r, 5, (p.phone if show else mask_contact(p.phone)) if p.phone else "",
                        as_text)
        ws.write_string(r, 6, (p.kpj if show else mask_contact(p.kpj)) if p.kpj else "",
                        as_text)
        ws.write_string(r, 7, ", ".join(summary.categories) if summary else "")
        ws.write_string(r, 8, str(summary.status_label) if summary else "")
    ws.set_column(1, 1, 30)
    ws.set_column(4, 4, 24)
    ws.set_column(7, 8, 28)
    ws.freeze_panes(1, 0)
    book.close()
    return buf.getvalue()


@login_required
@require("view_people")
@require_http_methods(["GET", "POST"])
def person_detail(request, pk: int):
    import datetime as dt

    from jamsos.registry.forms import EndRoleForm, PersonForm
    from jamsos.registry.services import RegistryError, end_enrolment, update_person

    person = _person(request, pk)
    can_edit = can_edit_registry(request.user)
    form = end_form = None
    if request.method == "POST":
        _require_writer(request.user)
        if request.POST.get("action") == "end":
            end_form = EndRoleForm(request.POST)
            end_form.is_valid()
            # Only a role held inside the user's own area.
            enrolment = get_object_or_404(
                person.enrolments.filter(subtree_q(area_code_of(request.user), "desa__code")),
                pk=end_form.cleaned_data.get("enrolment"))
            end_date = end_form.end_date_value()
            if end_date is not None:
                try:
                    end_enrolment(enrolment, end_date=end_date,
                                  reason=end_form.cleaned_data.get("reason", ""),
                                  user=request.user)
                except RegistryError as exc:
                    end_form.add_domain_error(exc)
                else:
                    messages.success(request, _("Kepesertaan diakhiri."))
                    return redirect("registry:person", pk=person.pk)
        else:
            form = PersonForm(request.POST)
            form.is_valid()
            changes = form.changes()
            if changes is not None:
                try:
                    warnings = update_person(person, user=request.user, **changes)
                except RegistryError as exc:
                    form.add_domain_error(exc)
                else:
                    messages.success(request, _("Data disimpan."))
                    for w in warnings:
                        messages.warning(request, w)
                    return redirect("registry:person", pk=person.pk)
    check = validate_nik(person.nik, today=dt.date.today(), declared_birth_date=person.birth_date,
                         declared_sex=person.sex)
    if can_see_personal_data(request.user) and request.method == "GET":
        audit_record(user=request.user, action="view_personal", obj_type="person",
                     obj_id=person.pk, changes={})
    return render(request, "registry/person.html", {
        "person": person,
        "enrolments": person.enrolments.select_related("desa").order_by("-end_date", "category"),
        "nik_warnings": [w.message for w in check.warnings], "can_edit": can_edit,
        "show_nik": can_see_personal_data(request.user), "form": form,
        "values": form.data if form is not None else None,
        "end_form": end_form, "end_pk": end_form.data.get("enrolment") if end_form else None,
        "summary": _person_summary(form, end_form),
        "today": dt.date.today(),
    })


def _person_summary(form, end_form) -> list[tuple[str, str]]:
    """The error summary of the person page; anchors are the template's field ids."""
    ids = {"nik": "f-nik", "name": "f-name", "sex": "f-sex", "birth_date": "f-birth",
           "desa_id": "f-desa", "phone": "f-phone", "kpj": "f-kpj"}
    if form is not None:
        return [(ids.get(f, ""), m) for f, msgs in form.errors.items() for m in msgs]
    if end_form is not None:
        pk = end_form.data.get("enrolment")
        return [(f"end-{f.replace('_', '-')}-{pk}" if f in ("end_date", "reason") else "", m)
                for f, msgs in end_form.errors.items() for m in msgs]
    return []


#: Findings on one page of ``/registri/temuan/ganda/``.
FINDINGS_PER_PAGE = 100


@login_required
@require("view_people")
def findings(request):
    """One page of the double-enrolment findings (:data:`FINDINGS_PER_PAGE`), counted up to
    the cap: a province has tens of thousands, and the page costs what it shows."""
    from jamsos.registry.selectors import capped_count, double_enrolments

    found = double_enrolments(area_code_of(request.user))
    count, exact = capped_count(found)
    try:
        number = max(1, int(request.GET.get("hal", "1")))
    except ValueError:
        number = 1
    last = max(1, -(-count // FINDINGS_PER_PAGE))
    if exact:
        number = min(number, last)
    start = (number - 1) * FINDINGS_PER_PAGE
    people = list(found[start:start + FINDINGS_PER_PAGE])
    return render(request, "registry/findings.html", {
        "people": people, "count": count, "exact": exact, "number": number,
        "first": start + 1, "last_index": start + len(people),
        "has_next": len(people) == FINDINGS_PER_PAGE and (not exact or number < last),
        "show_nik": can_see_personal_data(request.user)})

