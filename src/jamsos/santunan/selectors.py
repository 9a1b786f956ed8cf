"""Reads of the santunan workflow: cases in a user's area, SLA state, reports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from jamsos.accounts.models import Role
from jamsos.accounts.selectors import area_code_of, role_of
from jamsos.regions.models import Region
from jamsos.regions.selectors import deployment_kabupaten, kabupaten_code_of, subtree_q
from jamsos.registry.models import Enrolment
from jamsos.rules import CaseFacts, compute_benefit
from jamsos.santunan import conf
from jamsos.santunan.models import Case, GrantVersion, Status, TransferBatch, Transition
from jamsos.santunan.params import Scheme, SchemeVersion, document_kinds
from jamsos.santunan.sla import Clock, percentile

# --- each regency's scheme (issue 16) ----------------------------------------------------
#
# No process cache: every call reads the few rows of one regency through the unique index
# (kabupaten_code, valid_from), so a version another process adds or corrects counts at once.


def _version(row: GrantVersion) -> SchemeVersion:
    return SchemeVersion(
        valid_from=row.valid_from, valid_to=row.valid_to, citation=row.citation,
        amount=row.amount, max_decile=row.max_decile, sla_days=row.sla_days,
        notify_day=row.notify_day, documents=tuple(row.documents),
        exclusions=tuple(row.exclusions), max_days_after_death=row.max_days_after_death,
        min_age_years=row.min_age_years, unconfirmed=row.unconfirmed, note=row.note,
        unconfirmed_parts=tuple(row.unconfirmed_parts), pk=row.pk)


def scheme_for(kabupaten_code: str) -> Scheme | None:
    """The dated versions of a kabupaten/kota's death grant; None when it has none (no
    santunan there: no menu, pages 404, proposals refused)."""
    rows = GrantVersion.objects.filter(kabupaten_code=kabupaten_code).order_by("valid_from")
    versions = tuple(_version(r) for r in rows)
    if not versions:
        return None
    return Scheme(versions, document_kinds(), kabupaten_code=kabupaten_code)


def version_of(case: Case) -> SchemeVersion | None:
    """The version that decided a case: its regency's version with the stored key."""
    row = GrantVersion.objects.filter(kabupaten_code=kabupaten_code_of(case.desa_id),
                                      valid_from=case.scheme_version).first()
    return _version(row) if row is not None else None


def versions_used(kabupaten_code: str) -> set[str]:
    """The keys (``valid_from``) of a regency's versions that some case uses."""
    return set(cases_in(kabupaten_code).values_list("scheme_version", flat=True).distinct())


def kabupaten_with_scheme(codes) -> list[str]:
    """The codes among ``codes`` that have at least one version."""
    return sorted(set(GrantVersion.objects.filter(kabupaten_code__in=list(codes))
                      .values_list("kabupaten_code", flat=True)))


def kabupaten_of(user) -> list[str]:
    """The kabupaten/kota whose scheme the user sees: their own, or every one of the
    deployment for a province-level user."""
    area = area_code_of(user)
    if not area:
        return []
    if "." not in area:
        return [k for k in deployment_kabupaten() if k.startswith(area + ".")]
    return [kabupaten_code_of(area)]


def has_santunan(user) -> bool:
    """Whether the user's regency (or, for a province user, any regency of the province) has a
    death-grant scheme: otherwise no santunan menu and the santunan pages answer 404."""
    return bool(kabupaten_with_scheme(kabupaten_of(user)))


def may_edit_scheme(user, kabupaten_code: str) -> bool:
    """The regency's administrator (area = that kabupaten/kota) or a province administrator
    (the province holding it) may add and correct its versions."""
    area = area_code_of(user)
    return (role_of(user) == Role.ADMIN and area is not None
            and kabupaten_code in deployment_kabupaten()
            and (area == kabupaten_code or ("." not in area
                                            and kabupaten_code.startswith(area + "."))))


def grant_versions(kabupaten_code: str) -> QuerySet[GrantVersion]:
    return GrantVersion.objects.filter(kabupaten_code=kabupaten_code).order_by("valid_from")


def cases_in(area_code: str | None) -> QuerySet[Case]:
    if not area_code:
        return Case.objects.none()
    return Case.objects.filter(subtree_q(area_code, "desa__code"))


def batches_in(area_code: str | None) -> QuerySet[TransferBatch]:
    """Transfer batches made in the area none of whose cases lies outside it."""
    if not area_code:
        return TransferBatch.objects.none()
    inside = cases_in(area_code).values("pk")
    return (TransferBatch.objects.filter(subtree_q(area_code, "area__code"))
            .exclude(cases__in=Case.objects.exclude(pk__in=inside)))


def cases_for(user) -> QuerySet[Case]:
    return cases_in(area_code_of(user))


def search(qs: QuerySet[Case], query: str) -> QuerySet[Case]:
    query = (query or "").strip()
    if not query:
        return qs
    return qs.filter(Q(deceased_name__icontains=query) | Q(deceased_nik__startswith=query)
                     | Q(heir_name__icontains=query))


@dataclass(frozen=True)
class SlaState:
    started: dt.date | None
    due: dt.date | None
    elapsed: int | None
    days_left: int | None
    overdue: bool
    within: bool | None  # for paid cases

    @property
    def late(self) -> int:
        return -self.days_left if self.days_left is not None and self.days_left < 0 else 0

    @property
    def running(self) -> bool:
        return self.started is not None and self.within is None


def sla_state(case: Case, *, today: dt.date, clock: Clock | None = None) -> SlaState:
    clock = clock or conf.clock()
    if case.sla_start is None:
        return SlaState(None, None, None, None, False, None)
    days = case.sla_days
    due = clock.due(case.sla_start, days)
    if case.paid_on is not None:
        elapsed = clock.elapsed(case.sla_start, case.paid_on)
        return SlaState(case.sla_start, due, elapsed, None, False, elapsed <= days)
    if case.status == Status.REJECTED:
        return SlaState(case.sla_start, due, None, None, False, None)
    elapsed = clock.elapsed(case.sla_start, today)
    left = days - elapsed
    return SlaState(case.sla_start, due, elapsed, left, left < 0, None)


def running_cases(area_code: str) -> QuerySet[Case]:
    """Cases whose SLA clock runs (verified, not yet paid)."""
    return cases_in(area_code).filter(status__in=[Status.VERIFIED, Status.APPROVED],
                                      sla_start__isnull=False)


def overdue(area_code: str, *, today: dt.date) -> list[tuple[Case, SlaState]]:
    clock = conf.clock()
    out = []
    for case in running_cases(area_code).select_related("desa").order_by("sla_start", "id"):
        state = sla_state(case, today=today, clock=clock)
        if state.overdue:
            out.append((case, state))
    return out


def counts_by_status(area_code: str) -> dict[str, int]:
    from django.db.models import Count

    rows = cases_in(area_code).values("status").annotate(n=Count("id"))
    return {r["status"]: r["n"] for r in rows}


def insurance_on_death(case: Case) -> dict | None:
    """The deceased's BPJS TK roles covering the date of death, with the JKM entitlement
    computed by the regulation engine (for information: the claims app follows it up)."""
    if case.person_id is None:
        return None
    roles = list(Enrolment.objects.filter(
        person_id=case.person_id, start_date__lte=case.died_on,
    ).filter(Q(end_date__isnull=True) | Q(end_date__gte=case.died_on)).order_by("-is_primary"))
    covered = [e for e in roles if e.jkm and e.status != "suspended"]
    benefit = None
    if covered:
        e = covered[0]
        try:
            result = compute_benefit(CaseFacts(
                "jkm", "death", case.died_on, int(e.wage or 0), segment=e.segment.lower(),
                membership_start=e.start_date, birth_date=case.person.birth_date))
            benefit = result
        except Exception:
            benefit = None
    return {"person": case.person, "roles": roles, "covered": bool(covered), "benefit": benefit}


# --- reports ---------------------------------------------------------------------------

STAGES = (
    ("desa", "propose", "submit"),
    ("kecamatan", "submit", "forward"),
    ("verifikasi", "forward", "verify"),
    ("persetujuan", "verify", "approve"),
    ("transfer", "approve", "paid"),
)


def _days(a: dt.datetime, b: dt.datetime) -> float:
    return round((b - a).total_seconds() / 86400, 1)


def _stats(values: list[float]) -> dict:
    return {"n": len(values),
            "median": None if not values else round(percentile(values, 0.5), 1),
            "p90": None if not values else round(percentile(values, 0.9), 1)}


def sla_report(area_code: str, *, date_from: dt.date, date_to: dt.date,
               today: dt.date | None = None) -> dict:
    """Cases whose SLA clock started in ``[date_from, date_to]`` (verification date).

    ``median_days``/``p90_days``: SLA days (per the configured clock) of the paid cases.
    Stage times are calendar days between the first entry into a stage and the first exit.
    """
    today = today or timezone.localdate()
    clock = conf.clock()
    cases = list(cases_in(area_code).filter(sla_start__gte=date_from, sla_start__lte=date_to)
                 .exclude(status=Status.REJECTED).order_by("id"))
    kec_names = dict(Region.objects.filter(code__in={c.kecamatan_code for c in cases})
                     .values_list("code", "name"))
    firsts: dict[tuple[int, str], dt.datetime] = {}
    for case_id, action, at in Transition.objects.filter(case__in=cases).order_by(
            "at", "id").values_list("case_id", "action", "at"):
        firsts.setdefault((case_id, action), at)

    def summarise(group: list[Case]) -> dict:
        states = [sla_state(c, today=today, clock=clock) for c in group]
        paid = [s for s in states if s.within is not None]
        within = sum(1 for s in paid if s.within)
        durations = [s.elapsed for s in paid]  # whole days
        stages = {}
        for name, start, end in STAGES:
            if end == "paid":  # the bank's transfer date, not when its file was recorded
                vals = [(c.paid_on - timezone.localtime(firsts[(c.pk, start)]).date()).days
                        for c in group
                        if c.paid_on is not None and (c.pk, start) in firsts]
            else:
                vals = [_days(firsts[(c.pk, start)], firsts[(c.pk, end)]) for c in group
                        if (c.pk, start) in firsts and (c.pk, end) in firsts]
            stages[name] = _stats(vals)
        return {
            "cases": len(group), "paid": len(paid), "paid_within_sla": within,
            "percent_within_sla": round(100 * within / len(paid), 1) if paid else None,
            "median_days": _stats(durations)["median"], "p90_days": _stats(durations)["p90"],
            "overdue": sum(1 for s in states if s.overdue), "stages": stages,
        }

    by_kec: dict[str, list[Case]] = {}
    by_month: dict[str, list[Case]] = {}
    for c in cases:
        by_kec.setdefault(c.kecamatan_code, []).append(c)
        by_month.setdefault(f"{c.sla_start:%Y-%m}", []).append(c)
    return {
        "from": date_from.isoformat(), "to": date_to.isoformat(), "area": area_code,
        "today": today.isoformat(), "day_kind": clock.mode,
        **summarise(cases),
        "by_kecamatan": [{"code": k, "name": kec_names.get(k, k), **summarise(v)}
                         for k, v in sorted(by_kec.items())],
        "by_month": [{"month": m, **summarise(v)} for m, v in sorted(by_month.items())],
    }


def paid_by_kabupaten(area_code: str, date_from: dt.date, date_to: dt.date
                      ) -> dict[str, dict[str, int]]:
    """Death grants paid in ``[date_from, date_to]`` per kabupaten/kota of the desa (a
    province's ranking, issue 16): count and rupiah."""
    from django.db.models import Count, Sum
    from django.db.models.functions import Substr

    rows = (cases_in(area_code).filter(paid_on__range=(date_from, date_to))
            .annotate(kab=Substr("desa_id", 1, len("16.02"))).values("kab")
            .annotate(n=Count("id"), amount=Sum("amount")))
    return {r["kab"]: {"count": r["n"], "amount": r["amount"] or 0} for r in rows}
