"""Who is not yet protected (issue 17): pekerja rentan candidates from the DTSEN extract.

A candidate is a person of the extract in force today, in deciles 1..``max_decile`` (the
regency's setting ``JAMSOS_CANDIDATE_MAX_DECILE``, default 5), of working age (a dated
parameter of the regulation engine, ``eligibility.working_age``), not covered today in the
registry under any category (no active enrolment that has started and not ended), not
registered as dead, and not on the exclusion list (ASN, TNI/Polri, insured elsewhere).

Set-based: one SQL statement counts per desa (two anti-joins: PostgreSQL hashes them), one
statement reads a page of a desa's worklist. Their annual premium as BPU (JKK + JKM at the
regency's income band, default the lowest: Rp16.800 a month) comes from the engine.

Pages, the API and the CLI read the per-desa counts stored in
:class:`~jamsos.coverage.models.CandidateCount` (:func:`stored_per_desa`), kept equal to the
live match (:func:`per_desa`) by :func:`jamsos.coverage.services.refresh_candidates`; only a
desa's named worklist is read live (one desa, one page, through the indexes).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from jamsos.dtsen.models import DtsenRecord
from jamsos.dtsen.selectors import extract_in_force
from jamsos.regions.models import Region
from jamsos.regions.selectors import deployment_area
from jamsos.registry import sql as registry_sql
from jamsos.rules.coverage import AnnualPremium, WorkingAge, age_on, bpu_annual_premium, working_age


def max_decile() -> int:
    return int(getattr(settings, "JAMSOS_CANDIDATE_MAX_DECILE", 5))


def income_band() -> int:
    return int(getattr(settings, "JAMSOS_CANDIDATE_INCOME", 1_000_000))


@dataclass
class Criteria:
    today: dt.date
    extract_id: int | None
    extract_valid_from: dt.date | None
    max_decile: int
    age: WorkingAge
    premium: AnnualPremium  # per person, 12 months from today


def criteria(today: dt.date | None = None) -> Criteria:
    today = today or timezone.localdate()
    extract = extract_in_force(today)
    return Criteria(today, extract.pk if extract else None,
                    extract.valid_from if extract else None, max_decile(),
                    working_age(today), bpu_annual_premium(today, income_band()))


def criteria_key(c: Criteria) -> str:
    """What the stored counts depend on besides the data: another key, another count."""
    return "|".join(str(v) for v in (c.today, c.extract_id, c.max_decile, c.age.born_after,
                                     c.age.born_on_or_before, c.premium.amount))


def _where(c: Criteria, area_code: str, alias: str = "r") -> tuple[str, list]:
    """The candidate condition on ``dtsen record`` rows ``alias`` inside ``area_code``."""
    r = alias
    sql = (f"{r}.extract_id = %s AND {r}.decile BETWEEN 1 AND %s "  # noqa: S608
           f"AND {r}.birth_date > %s AND {r}.birth_date <= %s "
           f"AND NOT EXISTS (SELECT 1 FROM {registry_sql.PEOPLE} p "
           f"JOIN {registry_sql.ENROLMENTS} e ON e.person_id = p.id "
           f"WHERE p.nik = {r}.nik AND {registry_sql.LIVE_ON}) "
           f"AND NOT EXISTS (SELECT 1 FROM {registry_sql.PEOPLE} d "
           f"WHERE d.nik = {r}.nik AND d.died_on IS NOT NULL) "
           f"AND NOT EXISTS (SELECT 1 FROM coverage_exclusion x WHERE x.nik = {r}.nik)")
    params: list = [c.extract_id, c.max_decile, c.age.born_after, c.age.born_on_or_before,
                    c.today, c.today]
    if area_code != deployment_area():
        sql += f" AND ({r}.desa_code = %s OR {r}.desa_code LIKE %s)"
        params += [area_code, area_code + ".%"]
    return sql, params


@dataclass
class AreaCount:
    code: str
    name: str
    candidates: int
    annual_premium: int

    def as_json(self) -> dict:
        return {"code": self.code, "name": self.name, "candidates": self.candidates,
                "annual_premium": self.annual_premium}


@dataclass
class Summary:
    area: Region
    criteria: Criteria
    total: int = 0
    annual_premium: int = 0
    unknown_desa: int = 0  # candidates whose extract row has no Kode Desa
    by_desa: list[AreaCount] = field(default_factory=list)
    by_kecamatan: list[AreaCount] = field(default_factory=list)

    @property
    def unknown_desa_premium(self) -> int:
        return self.unknown_desa * self.criteria.premium.amount

    def as_json(self) -> dict:
        return {"total": self.total, "annual_premium": self.annual_premium,
                "by_desa": [d.as_json() for d in self.by_desa]}


def per_desa(area_code: str, c: Criteria) -> dict[str, int]:
    """Candidates per desa code ('' = no Kode Desa in the extract): one statement."""
    if c.extract_id is None:
        return {}
    where, params = _where(c, area_code)
    table = DtsenRecord._meta.db_table
    with connection.cursor() as cur:
        cur.execute(f"SELECT r.desa_code, COUNT(*) FROM {table} r WHERE {where} "  # noqa: S608
                    "GROUP BY r.desa_code", params)
        return dict(cur.fetchall())


def count_sql(c: Criteria, desa_codes: list[str] | None = None) -> tuple[str, list]:
    """``SELECT desa_code, candidates, annual_premium`` per desa of the kabupaten (or of
    ``desa_codes`` only): the live match, as :func:`per_desa`, for storing."""
    where, params = _where(c, deployment_area())
    if desa_codes is not None:
        where += f" AND r.desa_code IN ({', '.join(['%s'] * len(desa_codes))})"
        params += list(desa_codes)
    table = DtsenRecord._meta.db_table
    return (f"SELECT r.desa_code, COUNT(*), COUNT(*) * %s FROM {table} r "  # noqa: S608
            f"WHERE {where} GROUP BY r.desa_code", [c.premium.amount, *params])


def stored_per_desa(area_code: str, c: Criteria, *, refresh: bool = True) -> dict[str, int]:
    """Candidates per desa code ('' = no Kode Desa, kabupaten only) from the stored counts:
    recounted first when they were counted for other criteria (another day, extract,
    setting), so the answer is always the live match's (``refresh`` False: as stored)."""
    from jamsos.coverage.models import CandidateCount

    if refresh:
        from jamsos.coverage.services import refresh_candidates

        refresh_candidates(c=c, if_stale=True)
    qs = CandidateCount.objects.all()
    if area_code != deployment_area():
        qs = qs.filter(Q(desa_code=area_code) | Q(desa_code__startswith=area_code + "."))
    return dict(qs.filter(candidates__gt=0).values_list("desa_code", "candidates"))


def summary(area_code: str | None = None, *, today: dt.date | None = None) -> Summary:
    """Candidates and their annual premium in an area, per desa and per kecamatan (from the
    stored counts)."""
    area_code = area_code or deployment_area()
    c = criteria(today)
    area = Region.objects.get(code=area_code)
    counts = stored_per_desa(area_code, c)
    each = c.premium.amount
    out = Summary(area, c)
    out.unknown_desa = counts.pop("", 0)
    regions = {r.code: r for r in Region.objects.filter(code__in=counts)}
    kec_names = dict(Region.objects.filter(
        code__in={r.parent_id for r in regions.values()}).values_list("code", "name"))
    kec: dict[str, int] = {}
    for code in sorted(counts):
        n = counts[code]
        name = regions[code].name if code in regions else code
        out.by_desa.append(AreaCount(code, name, n, n * each))
        parent = regions[code].parent_id if code in regions else code.rsplit(".", 1)[0]
        kec[parent] = kec.get(parent, 0) + n
    out.by_kecamatan = [AreaCount(k, kec_names.get(k, k), n, n * each)
                        for k, n in sorted(kec.items())]
    out.total = sum(counts.values()) + out.unknown_desa
    out.annual_premium = out.total * each
    return out


@dataclass
class Candidate:
    nik: str
    no_kk: str
    name: str
    sex: str
    birth_date: dt.date | None
    decile: int
    occupation: str
    employment_status: str

    @property
    def age(self) -> int | None:
        return None if self.birth_date is None else age_on(self.birth_date, timezone.localdate())


PAGE_SIZE = 50  # a phone's screenful a few times over; keeps the page's rendering cheap


def worklist(desa_code: str, *, page: int = 1, page_size: int = PAGE_SIZE,
             niks: list[str] | None = None, c: Criteria | None = None,
             offset: int | None = None) -> tuple[list[Candidate], int]:
    """One page of a desa's candidates, by name then NIK, and the desa's total (``niks``
    limits it to those people, for the enrol action). Live and cheap: one statement walks
    the desa's extract rows in name order on the index ``dtsen_desa_name`` and stops after
    the page; the total is the stored count."""
    c = c or criteria()
    if c.extract_id is None:
        return [], 0
    where, params = _where(c, deployment_area())
    where += " AND r.desa_code = %s"
    params.append(desa_code)
    if niks is not None:
        if not niks:
            return [], 0
        where += f" AND r.nik IN ({', '.join(['%s'] * len(niks))})"
        params += list(niks)
    table = DtsenRecord._meta.db_table
    with connection.cursor() as cur:
        cur.execute(
            "SELECT r.nik, r.no_kk, r.name, r.sex, r.birth_date, r.decile, r.occupation, "  # noqa: S608
            f"r.employment_status FROM {table} r WHERE {where} "
            "ORDER BY r.name, r.nik LIMIT %s OFFSET %s",
            [*params, page_size,
             (max(page, 1) - 1) * page_size if offset is None else max(offset, 0)])
        rows = cur.fetchall()
    if rows and isinstance(rows[0][4], str):  # SQLite returns dates as text
        rows = [(*r[:4], dt.date.fromisoformat(r[4]) if r[4] else None, *r[5:]) for r in rows]
    total = (len(rows) if niks is not None
             else stored_per_desa(desa_code, c).get(desa_code, 0))
    return [Candidate(*r) for r in rows], total
