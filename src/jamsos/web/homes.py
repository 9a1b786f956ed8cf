"""Each role's start page: what it needs to see or do first, read through the apps' selectors."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from jamsos.accounts.models import Role
from jamsos.accounts.selectors import area_code_of, role_of
from jamsos.claims import selectors as claims
from jamsos.claims.selectors import claim_report
from jamsos.coverage.candidates import criteria, stored_per_desa
from jamsos.coverage.maps import coverage_map
from jamsos.coverage.selectors import (
    coverage_by_area,
    coverage_by_category,
    not_yet_covered,
)
from jamsos.coverage.trends import trend_for
from jamsos.premiums import selectors as premiums
from jamsos.premiums.selectors import apbd_billed
from jamsos.regions.models import Region
from jamsos.regions.selectors import deployment_area
from jamsos.registry.selectors import import_batches_for
from jamsos.santunan import conf
from jamsos.santunan.models import Status, Transition
from jamsos.santunan.permissions import can_propose
from jamsos.santunan.selectors import cases_in, running_cases, sla_report, sla_state


def _area(user) -> Region:
    return Region.objects.get(code=area_code_of(user) or deployment_area())


def overview(area_code: str, *, today: dt.date | None = None, links: bool = True) -> dict:
    """The leader's overview of an area, without typing anything: coverage against target, its
    trend since the programme began, the map, claims and scholarships, santunan paid on time and
    the APBD premiums of the year. Aggregates only (the public page shows the same)."""
    from jamsos.web.charts import trend_chart

    today = today or timezone.localdate()
    year_start = dt.date(today.year, 1, 1)
    stored = trend_for(area_code, today=today)
    trend = stored.points
    start = trend[0].month if trend else year_start  # the trend begins with the programme
    rows = coverage_by_category(area_code)
    total = rows[-1]
    level = {0: "kabupaten", 1: "kecamatan", 2: "desa"}.get(area_code.count("."))
    units = coverage_by_area(area_code, level=level) if level else []
    dashboard = reverse("coverage:dashboard")
    cmap = coverage_map(area_code, units, href=(lambda c: f"{dashboard}?wilayah={c}")
                        if links else None) if units else None
    sla = sla_report(area_code, date_from=start, date_to=today, today=today)
    return {
        "rows": rows, "total": total, "units": units, "unit_level": level,
        "trend": trend, "trend_at": stored.computed_at, "trend_current": stored.current,
        "trend_last": trend[-1] if trend else None,
        "trend_chart": trend_chart([(p.month, p.covered) for p in trend], total.target),
        "month_change": trend[-1].covered - trend[-2].covered if len(trend) > 1 else None,
        "map": cmap,
        "programme_start": start, "today": today, "year": today.year,
        "claims_all": claim_report(area_code, start, today),
        "claims_year": claim_report(area_code, year_start, today),
        "sla": sla,
        "apbd": apbd_billed(today.year, area_code),
    }


def _leader(request, region: Region) -> dict:
    return {"region": region, **overview(region.code)}


def _kepala_desa(request, region: Region) -> dict:
    drafts = list(cases_in(region.code).filter(status=Status.DRAFT).order_by("created_at"))
    returned = set(Transition.objects.filter(case__in=drafts, action="return")
                   .values_list("case_id", flat=True))
    gaps, people = not_yet_covered(region.code) if region.is_village else ([], [])
    candidates = _candidates(region.code) if region.is_village else 0
    return {
        "region": region,
        "returned": [c for c in drafts if c.pk in returned],
        "drafts": [c for c in drafts if c.pk not in returned],
        "not_covered": len(people), "gaps": gaps,
        "todo": len(drafts) + len(gaps) + (1 if people else 0) + (1 if candidates else 0),
        "last_import": import_batches_for(request.user, region.code).first(),
        "total": coverage_by_category(region.code)[-1],
        "can_propose": can_propose(request.user),
        "candidates": candidates,
    }


def _candidates(desa_code: str) -> int:
    """DTSEN working people of poor households in the desa not yet protected (issue 17)."""
    return sum(stored_per_desa(desa_code, criteria()).values())


def _camat(request, region: Region) -> dict:
    cases = cases_in(region.code).select_related("desa")
    return {"region": region,
            "to_check": list(cases.filter(status=Status.SUBMITTED).order_by("updated_at")),
            "at_desa": cases.filter(status=Status.DRAFT).count()}


def _verifikator(request, region: Region) -> dict:
    today = timezone.localdate()
    clock = conf.clock()
    running = [(c, sla_state(c, today=today, clock=clock))
               for c in running_cases(region.code).select_related("desa")]
    running.sort(key=lambda cs: (cs[1].days_left, cs[0].pk))
    return {"region": region,
            "to_verify": list(cases_in(region.code).filter(status=Status.FORWARDED)
                              .select_related("desa").order_by("updated_at")),
            "running": running, "overdue": sum(1 for _, s in running if s.overdue)}


def _operator(request, region: Region) -> dict:
    today = timezone.localdate()
    recs = premiums.reconciliations(region.code)
    latest = recs[0] if recs else None
    totals = premiums.reconciliation_totals(latest, region.code) if latest else {}
    return {"region": region,
            "imports": list(import_batches_for(request.user, region.code)[:5]),
            "overdue": premiums.overdue_invoices(region.code, today),
            "reconciliation": latest,
            "to_settle": sum(v.get("count", 0) for k, v in totals.items() if k != "matched")}


def _bpjs(request, region: Region) -> dict:
    today = timezone.localdate()
    return {"region": region,
            "follow_ups": list(claims.open_follow_ups(region.code).select_related("person")
                               .order_by("died_on")[:10]),
            "n_follow_ups": claims.open_follow_ups(region.code).count(),
            "differences": claims.differences(claims.claims_in(region.code)).count(),
            "scholarships_due": claims.scholarships_due(region.code, today)}


def _auditor(request, region: Region) -> dict:
    return {"region": region}


#: role → (template, context builder)
HOMES = {
    Role.ADMIN: ("web/home_leader.html", _leader),
    Role.PIMPINAN: ("web/home_leader.html", _leader),
    Role.KEPALA_DESA: ("web/home_desa.html", _kepala_desa),
    Role.CAMAT: ("web/home_camat.html", _camat),
    Role.VERIFIKATOR: ("web/home_verifikator.html", _verifikator),
    Role.OPERATOR: ("web/home_operator.html", _operator),
    Role.BPJS: ("web/home_bpjs.html", _bpjs),
    Role.AUDITOR: ("web/home_auditor.html", _auditor),
}


def home_for(request) -> tuple[str, dict]:
    template, build = HOMES[role_of(request.user)]
    return template, build(request, _area(request.user))
