from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from jamsos.accounts.selectors import area_code_of, can_see_personal_data, in_area, require
from jamsos.audit.downloads import export
from jamsos.core.dates import date_text
from jamsos.core.downloads import sheets_xlsx
from jamsos.coverage.maps import coverage_map
from jamsos.coverage.selectors import coverage_by_area, coverage_by_category, not_yet_covered
from jamsos.regions.models import Region
from jamsos.regions.nik import mask_nik
from jamsos.regions.selectors import ancestors
from jamsos.registry import categories


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
    return {"kabupaten": "kecamatan", "kota": "kecamatan", "kecamatan": "desa"}.get(region.level)


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
        "crumbs": Region.objects.filter(code__in=ancestors(region.code),
                                        code__startswith=settings.JAMSOS_KABUPATEN[:2])
        .exclude(level="provinsi").order_by("code"),
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
