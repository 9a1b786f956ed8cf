from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
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
from jamsos.audit.services import record_list_view
from jamsos.core.dates import date_text
from jamsos.core.downloads import sheets_xlsx
from jamsos.core.forms import summary_of
from jamsos.core.importing.reader import UnreadableFile, refuse_upload
from jamsos.coverage.maps import coverage_map
from jamsos.coverage.selectors import coverage_by_area, coverage_by_category, not_yet_covered
from jamsos.regions.models import Region
from jamsos.regions.nik import mask_nik
from jamsos.regions.selectors import ancestors, deployment_area
from jamsos.registry import categories
from jamsos.registry.categories import FUNDING_SOURCES


def _area(request, code: str | None) -> Region:
    """The area asked for, if the user may see it; 404 otherwise (no hint it exists)."""
    code = code or area_code_of(request.user)
    if not code or not in_area(request.user, code):
        raise Http404
    try:
        return Region.objects.get(code=code)
    except Region.DoesNotExist as exc:
        raise Http404 from exc


def _child_level(region: Region) -> str | None:
    return {"provinsi": "kabupaten", "kabupaten": "kecamatan", "kota": "kecamatan",
            "kecamatan": "desa"}.get(region.level)


def _context(region: Region, category: str | None) -> dict:
    level = _child_level(region)
    rows = coverage_by_category(region.code)
    units = coverage_by_area(region.code, level=level, category=category) if level else []
    return {
        "map": coverage_map(region.code, units, href=lambda c: f"?wilayah={c}")
        if units else None,
        "unit_level": level,
        "region": region,
        "rows": rows,
        "total": rows[-1],
        "units": units,
        "child_level": level,
        "category": category,
        "categories": categories.CATEGORIES,
        # The deployment's levels only: a province deployment starts at the province.
        "crumbs": Region.objects.filter(code__in=ancestors(region.code),
                                        code__startswith=deployment_area()[:2])
        .exclude(level="provinsi" if "." in deployment_area() else "").order_by("code"),
    }


@login_required
def dashboard(request):
    region = _area(request, request.GET.get("wilayah"))
    category = request.GET.get("kategori") or None
    if category and category not in categories.BY_KEY:
        category = None
    ctx = _context(region, category)
    ctx["crumbs"] = [c for c in ctx["crumbs"] if in_area(request.user, c.code)]
    return render(request, "coverage/dashboard.html", ctx)


def _rows(rows) -> list[list]:
    return [[r.code, r.name, r.target, r.covered,
             None if r.percent is None else float(r.percent)] for r in rows]


@login_required
def export_xlsx(request):
    region = _area(request, request.GET.get("wilayah"))
    ctx = _context(region, None)
    header = [_("Kode"), _("Nama"), _("Target"), _("Terlindungi"), _("Persen")]
    sheets = [(_("Per kategori"), header, _rows(ctx["rows"]))]
    if ctx["units"]:
        sheets.append((_("Per wilayah"), header, _rows(ctx["units"])))
    data = sheets_xlsx(sheets, title=_("Cakupan BPJS Ketenagakerjaan — %(area)s")
                            % {"area": region.name})
    return export(request, data, f"cakupan-{region.code}.xlsx", obj_type="coverage",
                  obj_id=region.code)


@login_required
@require("view_people")
def worklist(request, desa_code: str):
    region = _area(request, desa_code)
    if not region.is_village:
        raise Http404
    gaps, people = not_yet_covered(region.code)
    return render(request, "coverage/worklist.html",
                  {"region": region, "gaps": gaps, "people": people})


@login_required
@require("view_people")
def worklist_xlsx(request, desa_code: str):
    region = _area(request, desa_code)
    if not region.is_village:
        raise Http404
    gaps, people = not_yet_covered(region.code)
    unmasked = can_see_personal_data(request.user)
    data = sheets_xlsx(
        [
            (_("Kekurangan"), [_("Kategori"), _("Target"), _("Terlindungi"), _("Kurang")],
             [[g.name, g.target, g.covered, g.target - g.covered] for g in gaps]),
            (_("Belum terlindungi"), [_("NIK"), _("Nama"), _("Kategori"), _("Status"),
                                      _("Mulai"), _("Berakhir")],
             [[p["nik"] if unmasked else mask_nik(p["nik"]), p["name"], p["category"],
               p["status_label"], date_text(p["start_date"]),
               date_text(p["end_date"]) if p["end_date"] else ""] for p in people]),
        ],
        title=_("Belum terlindungi — %(area)s") % {"area": region.name},
    )
    return export(request, data, f"belum-terlindungi-{region.code}.xlsx", obj_type="worklist",
                  obj_id=region.code,
                  changes={"people": [None, len(people)], "nik_unmasked": [None, unmasked]})


# --- pekerja rentan candidates from DTSEN (issue 17) ------------------------------------------


@login_required
def candidates(request):
    """Candidates and their annual premium in the user's area (aggregates: every role)."""
    from jamsos.coverage.candidates import summary
    from jamsos.coverage.exclusions import may_import_exclusions

    region = _area(request, request.GET.get("wilayah"))
    s = summary(region.code)
    return render(request, "coverage/candidates.html", {
        "region": region, "s": s, "c": s.criteria,
        "units": s.by_desa if region.level == "kecamatan" or region.is_village
        else s.by_kecamatan,
        "by_desa": region.level == "kecamatan" or region.is_village,
        "can_list": has_perm(request.user, "view_people"),
        "can_exclude": may_import_exclusions(request.user)})


def _desa(request, desa_code: str) -> Region:
    region = _area(request, desa_code)
    if not region.is_village:
        raise Http404
    return region


@login_required
@require("view_people")
@require_http_methods(["GET", "POST"])
def candidate_worklist(request, desa_code: str):
    """A desa's candidates, a page at a time, with the enrol action for registry writers."""
    from django.contrib import messages
    from django.shortcuts import redirect

    from jamsos.coverage.candidates import PAGE_SIZE, criteria, worklist
    from jamsos.coverage.services import EnrolError, enrol_candidates

    region = _desa(request, desa_code)
    error = None
    if request.method == "POST":
        if not can_edit_registry(request.user):
            raise PermissionDenied
        try:
            batch = enrol_candidates(user=request.user, desa_code=region.code,
                                     niks=request.POST.getlist("nik"),
                                     funding_source=request.POST.get("funding_source", ""))
        except EnrolError as exc:
            error = str(exc)
        else:
            batch.refresh_from_db(fields=["summary"])
            n = batch.summary.get("rows", 0)
            messages.success(request, _("%(n)d orang didaftarkan sebagai pekerja rentan.")
                             % {"n": n})
            return redirect("coverage:candidate_worklist", desa_code=region.code)
    try:
        page = max(int(request.GET.get("halaman", 1)), 1)
    except ValueError:
        page = 1
    c = criteria()
    people, total = worklist(region.code, page=page, c=c)
    pages = max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    if can_see_personal_data(request.user):  # a page of named people shown unmasked
        record_list_view(user=request.user, kind="candidates",
                         filters={"desa": region.code, "page": page}, count=len(people))
    return render(request, "coverage/candidate_worklist.html", {
        "region": region, "people": people, "total": total, "c": c, "page": page,
        "pages": pages, "annual_premium": total * c.premium.amount,
        "unmasked": can_see_personal_data(request.user),
        "can_enrol": can_edit_registry(request.user), "error": error,
        "funding_sources": FUNDING_SOURCES.items(), "funding": request.POST.get(
            "funding_source", "APBD"), "chosen": set(request.POST.getlist("nik"))})


@login_required
@require("view_people")
def candidate_worklist_xlsx(request, desa_code: str):
    from jamsos.coverage.candidates import criteria, worklist

    region = _desa(request, desa_code)
    c = criteria()
    people, total = worklist(region.code, page_size=1_000_000, c=c)
    unmasked = can_see_personal_data(request.user)
    data = sheets_xlsx([(
        _("Calon peserta"),
        [_("NIK"), _("No KK"), _("Nama"), _("Jenis kelamin"), _("Umur"), _("Desil"),
         _("Pekerjaan"), _("Iuran setahun (Rp)")],
        [[p.nik if unmasked else mask_nik(p.nik), p.no_kk if unmasked else mask_nik(p.no_kk),
          p.name, p.sex, p.age, p.decile, p.occupation, c.premium.amount] for p in people],
    )], title=_("Calon peserta pekerja rentan — %(area)s") % {"area": region.name})
    return export(request, data, f"calon-peserta-{region.code}.xlsx", obj_type="candidates",
                  obj_id=region.code,
                  changes={"people": [None, total], "nik_unmasked": [None, unmasked]})


@login_required
@require_http_methods(["GET", "POST"])
def exclusions(request):
    """Upload the exclusion list (ASN, TNI/Polri, insured elsewhere), with the row report
    (admin or operator of the kabupaten; the service checks it and audits the import)."""
    from django.db.models import Count

    from jamsos.coverage.exclusions import import_exclusions, may_import_exclusions
    from jamsos.coverage.models import Exclusion, ExclusionReason

    if not may_import_exclusions(request.user):
        raise PermissionDenied
    report, errors = None, {}
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            errors["f-file"] = _("Pilih berkas daftar pengecualian (CSV atau XLSX).")
        elif (why := refuse_upload(upload, suffixes=None)) is not None:
            errors["f-file"] = why
        else:
            try:
                report = import_exclusions(upload.read(), upload.name, user=request.user,
                                           dry_run=bool(request.POST.get("dry_run")))
            except UnreadableFile as exc:
                errors["f-file"] = str(exc)
    labels = dict(ExclusionReason.choices)
    stored = [(labels.get(r, r), n) for r, n in Exclusion.objects.values_list("reason")
              .annotate(n=Count("id")).order_by("reason")]
    return render(request, "coverage/exclusions.html", {
        "report": report, "summary": summary_of(errors, prefix=""), "stored": stored})
