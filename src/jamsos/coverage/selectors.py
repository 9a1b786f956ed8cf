"""Coverage against targets, per category, kecamatan or desa, within an area."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import asdict, dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

from jamsos.coverage.models import ALL, CoverageCount
from jamsos.regions.models import Region
from jamsos.regions.selectors import deployment_area, subtree_q, villages_in
from jamsos.registry import categories
from jamsos.registry import sql as registry_sql
from jamsos.registry.models import Enrolment, EnrolmentStatus, Target


@dataclass
class CoverageRow:
    code: str
    name: str
    target: int
    covered: int
    percent: Decimal | None  # None when there is no target

    @property
    def shortfall(self) -> int:
        return max(self.target - self.covered, 0)

    def as_json(self) -> dict:
        d = asdict(self)
        d["percent"] = None if self.percent is None else float(self.percent)
        return d


def percent(covered: int, target: int) -> Decimal | None:
    if not target:
        return None
    return (Decimal(covered) * 100 / Decimal(target)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _desa_targets(area_code: str) -> dict[tuple[str, str], int]:
    """Target per (desa, category) inside the area."""
    return _universal({
        (desa, cat): n
        for desa, cat, n in Target.objects.filter(subtree_q(area_code, "region__code"))
        .filter(region__level__in=["desa", "kelurahan", "desa_adat"])
        .values_list("region_id", "category", "headcount")
    }, area_code)


def _explicit_targets(area_code: str) -> dict[tuple[str, str], int]:
    return _universal({
        (r, c): n for r, c, n in Target.objects.filter(subtree_q(area_code, "region__code"))
        .values_list("region_id", "category", "headcount")
    }, area_code)


RENTAN = "pekerja_rentan"


def _universal(targets: dict[tuple[str, str], int], area_code: str
               ) -> dict[tuple[str, str], int]:
    """With the regency's ``JAMSOS_RENTAN_TARGET_FROM_CANDIDATES`` (issue 17), every desa's
    pekerja rentan target is its covered pekerja rentan plus its DTSEN candidates, so that
    100 % means every working person of a poor household is protected; typed pekerja rentan
    targets (at any level) give way, and higher levels add their desa up."""
    if not getattr(settings, "JAMSOS_RENTAN_TARGET_FROM_CANDIDATES", False):
        return targets
    from jamsos.coverage.candidates import criteria, stored_per_desa

    out = {k: n for k, n in targets.items() if k[1] != RENTAN}
    universal: dict[str, int] = defaultdict(int)
    for desa, n in stored_per_desa(area_code, criteria()).items():
        if desa:
            universal[desa] += n
    for desa, n in _counts(area_code, RENTAN).items():
        universal[desa[0]] += n
    out.update({(desa, RENTAN): n for desa, n in universal.items()})
    return out


def _counts(area_code: str, category: str | None) -> dict[tuple[str, str], int]:
    qs = CoverageCount.objects.filter(subtree_q(area_code, "desa__code"))
    if category:
        qs = qs.filter(category=category)
    return {(d, c): n for d, c, n in qs.values_list("desa_id", "category", "covered")}


def _target_for(explicit: dict, desa_targets: dict, code: str, category: str) -> int:
    """An area's own target if set, else the sum of its desa targets."""
    if category == ALL:
        return sum(_target_for(explicit, desa_targets, code, c.key)
                   for c in categories.CATEGORIES)
    if (code, category) in explicit:
        return explicit[(code, category)]
    return sum(n for (d, c), n in desa_targets.items()
               if c == category and (d == code or d.startswith(code + ".")))


def coverage_by_category(area_code: str | None = None) -> list[CoverageRow]:
    area_code = area_code or deployment_area()
    counts = _counts(area_code, None)
    explicit, desa_t = _explicit_targets(area_code), _desa_targets(area_code)
    rows = []
    for c in [*categories.CATEGORIES, None]:
        key = c.key if c else ALL
        covered = sum(n for (_, cat), n in counts.items() if cat == key)
        target = _target_for(explicit, desa_t, area_code, key)
        rows.append(CoverageRow(key, str(c.label) if c else "Semua kategori (orang)",
                                target, covered, percent(covered, target)))
    return rows


#: Segments of a unit's code per level of ``coverage_by_area``.
UNIT_SEGMENTS = {"kabupaten": 2, "kecamatan": 3, "desa": 4}


def coverage_by_area(area_code: str | None = None, *, level: str = "kecamatan",
                     category: str | None = None) -> list[CoverageRow]:
    """One row per kabupaten/kota, kecamatan or desa inside ``area_code``; ``category`` None =
    all people. Set-based: the stored per-desa coverage counts and the targets, added up by the
    first segments of each desa code (a unit's own target, when set, wins over its desa)."""
    area_code = area_code or deployment_area()
    key = category or ALL
    if level == "kecamatan":
        units = Region.objects.filter(subtree_q(area_code), level="kecamatan")
    elif level == "kabupaten":
        units = Region.objects.filter(subtree_q(area_code), level__in=["kabupaten", "kota"])
    else:
        units = villages_in(area_code)
    units = list(units.order_by("code").values_list("code", "name"))
    segments = UNIT_SEGMENTS.get(level, 4)

    def unit_of(code: str) -> str:
        return ".".join(code.split(".")[:segments])

    counts = _counts(area_code, key)
    explicit, desa_t = _explicit_targets(area_code), _desa_targets(area_code)
    per_unit: dict[str, int] = defaultdict(int)
    for (desa, _cat), n in counts.items():
        per_unit[unit_of(desa)] += n
    desa_sum: dict[tuple[str, str], int] = defaultdict(int)
    for (desa, cat), n in desa_t.items():
        desa_sum[(unit_of(desa), cat)] += n
    keys = [c.key for c in categories.CATEGORIES] if key == ALL else [key]
    rows = []
    for code, name in units:
        target = sum(explicit.get((code, k), desa_sum.get((code, k), 0)) for k in keys)
        covered = per_unit.get(code, 0)
        rows.append(CoverageRow(code, name, target, covered, percent(covered, target)))
    return rows


def kabupaten_ranking(area_code: str | None = None, *,
                      category: str | None = None) -> list[CoverageRow]:
    """The kabupaten/kota of a province (or the one of a regency deployment) by coverage,
    highest percentage first; those without a target last, then by code."""
    rows = coverage_by_area(area_code, level="kabupaten", category=category)
    return sorted(rows, key=lambda r: (r.percent is None, -(r.percent or 0), r.code))


def coverage_report(by: str, area_code: str | None = None, category: str | None = None):
    if by == "category":
        return coverage_by_category(area_code)
    if by == "kabupaten":
        return kabupaten_ranking(area_code, category=category)
    if by in {"kecamatan", "desa"}:
        return coverage_by_area(area_code, level=by, category=category)
    raise ValueError(f"unknown grouping {by!r}")


def not_yet_covered(desa_code: str) -> tuple[list[CoverageRow], list[dict]]:
    """A desa's worklist: categories short of target, and registered people not covered now.

    Not covered: every enrolment of the person in this desa has ended, is suspended or has not
    started yet, and the person has no live enrolment anywhere.
    """
    from django.db.models import Exists, OuterRef, Q
    from django.utils import timezone


    today = timezone.localdate()
    gaps = [r for r in coverage_by_category(desa_code)[:-1] if r.target > r.covered]
    live = Enrolment.objects.filter(
        person_id=OuterRef("person_id"), status=EnrolmentStatus.ACTIVE, start_date__lte=today,
    ).filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
    people = list(
        Enrolment.objects.filter(desa_id=desa_code)
        .exclude(Exists(live))
        .order_by("person__name")
        .values("person_id", "person__nik", "person__name", "category", "status", "start_date",
                "end_date")[:2000]
    )
    labels = dict(categories.CHOICES)
    return gaps, [
        {"id": p["person_id"], "nik": p["person__nik"], "name": p["person__name"],
         "category": str(labels.get(p["category"], p["category"])),
         "status": p["status"], "status_label": str(EnrolmentStatus(p["status"]).label),
         "start_date": p["start_date"], "end_date": p["end_date"]}
        for p in people
    ]


# --- coverage over time ---------------------------------------------------------------------


@dataclass(frozen=True)
class TrendPoint:
    month: dt.date  # first day of the month
    covered: int    # distinct people with an enrolment in force at some time in the month


def _month_key_sql(column: str) -> str:
    from django.db import connection

    if connection.vendor == "postgresql":
        return f"to_char({column}, 'YYYY-MM')"
    return f"substr({column}, 1, 7)"  # SQLite keeps dates as ISO text


def programme_start(area_code: str | None = None) -> dt.date | None:
    """The first day of the first month anyone in the area was enrolled."""
    from django.db.models import Min


    area_code = area_code or deployment_area()
    first = (Enrolment.objects.filter(subtree_q(area_code, "desa__code"))
             .aggregate(m=Min("start_date"))["m"])
    return first.replace(day=1) if first else None


def coverage_trend(area_code: str | None = None, *,
                   today: dt.date | None = None) -> list[TrendPoint]:
    """People protected in each month from the first enrolment to ``today``.

    A person counts in a month when one of their enrolments in the area was in force during it
    (start ≤ month end and no end or end ≥ month start), so the trend needs no stored history
    and is true for every past month after corrections. Suspended enrolments do not count (the
    registry does not record since when they are suspended). One statement, set-based: people
    with one enrolment are counted by their start and end months (then cumulated); the few with
    several are counted distinct over the month series.
    """
    from django.db import connection
    from django.utils import timezone

    area_code = area_code or deployment_area()
    today = today or timezone.localdate()
    first = programme_start(area_code)
    if first is None or first > today:
        return []
    months: list[tuple[str, dt.date, dt.date]] = []
    month = first
    while month <= today:
        following = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        months.append((f"{month:%Y-%m}", month, following - dt.timedelta(days=1)))
        month = following
    live = "status <> 'suspended' AND (desa_code = %s OR desa_code LIKE %s)"
    area = [area_code, area_code + ".%"]  # codes are digits and dots
    series = ", ".join(["(%s, %s, %s)"] * len(months))
    # Only placeholders and fixed SQL are put together here.
    sql = (
        "WITH p AS (SELECT person_id, COUNT(*) AS n, "  # noqa: S608
        "MIN(start_date) AS s, MAX(end_date) AS en "
        f"FROM {registry_sql.ENROLMENTS} r WHERE {live} GROUP BY person_id), "
        f"months (mk, m_start, m_end) AS (VALUES {series}) "
        f"SELECT {_month_key_sql('s')}, {_month_key_sql('en')}, COUNT(*), 0 FROM p "
        "WHERE n = 1 GROUP BY 1, 2 "
        "UNION ALL "
        "SELECT months.mk, NULL, COUNT(DISTINCT e.person_id), 1 FROM months "
        f"JOIN {registry_sql.ENROLMENTS} e ON e.start_date <= months.m_end "
        "AND (e.end_date IS NULL OR e.end_date >= months.m_start) "
        f"WHERE {live.replace('status', 'e.status').replace('desa_code', 'e.desa_code')} "
        "AND e.person_id IN (SELECT person_id FROM p WHERE n > 1) GROUP BY months.mk"
    )
    with connection.cursor() as cur:
        cur.execute(sql, [*area, *(v for m in months for v in m), *area])
        rows = cur.fetchall()
    singles = [(s, en, n) for s, en, n, multi in rows if not multi]
    several = {s: n for s, _, n, multi in rows if multi}
    return [TrendPoint(start, sum(n for s, en, n in singles if s <= key and (en is None
                                                                             or en >= key))
                       + several.get(key, 0))
            for key, start, _ in months]
