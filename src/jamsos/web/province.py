"""A province's kabupaten/kota side by side (issue 16): the ranking by coverage, overall and per
category, with APBD premiums, claims and santunan per kabupaten/kota, and the province map.

Open to users whose area is a province (a province deployment, ``JAMSOS_AREA=16``); for anybody
else the page does not exist (404). Aggregates only: no names."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from jamsos.accounts.selectors import area_code_of
from jamsos.regions.models import Level, Region


def province_of(user) -> Region | None:
    """The user's area when it is a province, else None."""
    code = area_code_of(user)
    if not code or "." in code:
        return None
    return Region.objects.filter(code=code, level=Level.PROVINSI).first()


def ranking_context(area_code: str, category: str | None, *, today: dt.date) -> dict:
    from jamsos.claims.selectors import paid_by_kabupaten as claims_paid
    from jamsos.coverage.maps import coverage_map
    from jamsos.coverage.selectors import kabupaten_ranking
    from jamsos.premiums.selectors import apbd_by_kabupaten
    from jamsos.santunan.selectors import paid_by_kabupaten as santunan_paid

    year_start = dt.date(today.year, 1, 1)
    rows = kabupaten_ranking(area_code, category=category)
    apbd = apbd_by_kabupaten(today.year, area_code)
    claims = claims_paid(area_code, year_start, today)
    santunan = santunan_paid(area_code, year_start, today)
    none = {"due": 0, "paid": 0, "count": 0, "amount": 0}
    table = [{"row": r, "rank": i, "apbd": apbd.get(r.code, none),
              "claims": claims.get(r.code, none), "santunan": santunan.get(r.code, none)}
             for i, r in enumerate(rows, 1)]
    dashboard = reverse("coverage:dashboard")
    return {
        "table": table, "year": today.year, "today": today,
        "map": coverage_map(area_code, rows, href=lambda c: f"{dashboard}?wilayah={c}"),
        "unit_level": "kabupaten",
        "totals": {"apbd_due": sum(t["apbd"]["due"] for t in table),
                   "claims": sum(t["claims"]["count"] for t in table),
                   "claims_amount": sum(t["claims"]["amount"] for t in table),
                   "santunan": sum(t["santunan"]["count"] for t in table),
                   "santunan_amount": sum(t["santunan"]["amount"] for t in table)},
    }


@login_required
def ranking(request):
    from jamsos.registry import categories

    region = province_of(request.user)
    if region is None:
        raise Http404
    category = request.GET.get("kategori") or None
    if category and category not in categories.BY_KEY:
        category = None
    ctx = ranking_context(region.code, category, today=timezone.localdate())
    return render(request, "web/province.html", {
        "region": region, "category": category, "categories": categories.CATEGORIES,
        "category_label": categories.BY_KEY[category].label if category else None, **ctx})
