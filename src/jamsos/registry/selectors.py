"""Reads of the worker registry, always within a user's area."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import polars as pl
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from jamsos.regions.models import Region
from jamsos.regions.selectors import subtree_q
from jamsos.registry import categories
from jamsos.registry.models import Enrolment, EnrolmentStatus, Person


def people_in(area_code: str) -> QuerySet[Person]:
    """People living in the area or holding a role there."""
    roles = Enrolment.objects.filter(subtree_q(area_code, "desa__code"), person=OuterRef("pk"))
    return Person.objects.filter(subtree_q(area_code, "desa__code") | Q(Exists(roles)))


def search_people(area_code: str, query: str = "") -> QuerySet[Person]:
    people = people_in(area_code)
    query = query.strip()
    digits = re.sub(r"[\s.\-]", "", query)
    if re.fullmatch(r"\d{16}", digits):
        people = people.filter(nik=digits)
    elif re.fullmatch(r"[0-9A-Za-z]{11}", digits) and any(c.isdigit() for c in digits):
        people = people.filter(kpj=digits.upper())
    elif query:
        people = people.filter(name__icontains=query)
    return people.select_related("desa").order_by("name", "id")


def double_enrolments(area_code: str) -> QuerySet[Person]:
    """People with more than one open, active role: insured and paid for once, listed here.

    Of a person's open, active roles exactly one is insured (``is_primary``, kept by
    ``recompute_primary``), so only people holding an open, active role that is *not* insured
    can have several: found through a small partial index (issue 14), then counted exactly.
    """
    open_roles = Q(enrolments__status=EnrolmentStatus.ACTIVE, enrolments__end_date__isnull=True)
    candidates = Enrolment.objects.filter(status=EnrolmentStatus.ACTIVE, end_date__isnull=True,
                                          is_primary=False).values("person_id")
    return (
        people_in(area_code).filter(pk__in=candidates)
        .annotate(roles=Count("enrolments", filter=open_roles))
        .filter(roles__gt=1)
        .prefetch_related("enrolments")
        .order_by("desa_id", "name")
    )


def import_progress(batch) -> tuple[int, str]:
    """(percent, stage) of an import: while it runs, from the worker's progress file (the
    batch row is only written outside the import's transaction)."""
    import json
    from pathlib import Path

    from jamsos.registry.models import ImportStatus

    if batch.status == ImportStatus.RUNNING and batch.stored_path:
        path = Path(batch.stored_path).with_suffix(".progress.json")
        try:
            seen = json.loads(path.read_text())
            return max(int(seen["progress"]), batch.progress), str(seen["stage"])
        except (OSError, ValueError, KeyError, TypeError):
            pass
    return batch.progress, batch.stage


def import_batches_for(user, area_code: str | None):
    """Import batches a user may follow: those of their area, and their own uploads."""
    from jamsos.registry.models import ImportBatch

    return ImportBatch.objects.filter(subtree_q(area_code, "area__code") | Q(uploaded_by=user))


# ---- the people list: filters, search, sorting and a capped count (issues 13 and 14) -------

#: A count above this is shown as "more than …": never COUNT(*) over millions per request.
COUNT_CAP = 10_000
PER_PAGE = 50

#: Person statuses a list can be filtered on (value in the query string → meaning).
STATUS_COVERED = "dijamin"  # a role in force today (active, started, not ended)
STATUS_NOT_COVERED = "belum"  # no role in force today anywhere
STATUS_ENDED = "berakhir"  # a role in the area that has ended
STATUSES = (STATUS_COVERED, STATUS_NOT_COVERED, STATUS_ENDED)

#: Sort keys → ORDER BY. Name and NIK are served by an index at any size; desa and category
#: only sort a set no larger than the count cap (see :func:`list_people`).
SORTS = {
    "nama": ("name", "id"), "-nama": ("-name", "-id"),
    "nik": ("nik",), "-nik": ("-nik",),
    "desa": ("desa_id", "name", "id"), "-desa": ("-desa_id", "-name", "-id"),
    "kategori": ("first_category", "name", "id"), "-kategori": ("-first_category", "name", "id"),
}
SMALL_SET_SORTS = {"desa", "-desa", "kategori", "-kategori"}


@dataclass(frozen=True)
class PeopleFilter:
    """What a people list asks for: every field optional, values as typed in the query."""

    q: str = ""
    kecamatan: str = ""
    desa: str = ""
    category: str = ""
    status: str = ""
    funding: str = ""
    sort: str = "nama"

    @classmethod
    def from_params(cls, params) -> PeopleFilter:
        def get(key: str) -> str:
            return str(params.get(key) or "").strip()[:150]

        sort = get("urut")
        return cls(q=get("q"), kecamatan=get("kecamatan"), desa=get("desa"),
                   category=get("kategori") if get("kategori") in categories.BY_KEY else "",
                   status=get("status") if get("status") in STATUSES else "",
                   funding=(get("dana") if get("dana") in categories.FUNDING_SOURCES else ""),
                   sort=sort if sort in SORTS else "nama")

    def params(self, **override) -> dict[str, str]:
        """The filter as query-string parameters (empty ones left out), for page links."""
        values = {"q": self.q, "kecamatan": self.kecamatan, "desa": self.desa,
                  "kategori": self.category, "status": self.status, "dana": self.funding,
                  "urut": "" if self.sort == "nama" else self.sort, **override}
        return {k: v for k, v in values.items() if v}

    @property
    def has_role_conditions(self) -> bool:
        return bool(self.category or self.funding or self.status in (STATUS_COVERED,
                                                                      STATUS_ENDED))


def list_scope(area_code: str, f: PeopleFilter) -> str | None:
    """The area a list covers: the chosen desa or kecamatan when it lies in the user's area,
    else the user's area; None when the chosen one lies outside it (an empty list)."""
    for code in (f.desa, f.kecamatan):
        if code:
            inside = code == area_code or code.startswith(area_code + ".")
            return code if inside else None
    return area_code


def area_codes(code: str) -> list[str]:
    """``code`` and every region below it, found through the parent index (a desa: itself;
    a kecamatan: itself and its desa; at most three small queries)."""
    codes, frontier = [code], [code]
    while frontier:
        frontier = list(Region.objects.filter(parent_id__in=frontier)
                        .values_list("code", flat=True))
        codes += frontier
    return codes


def _small_area_q(codes: list[str]) -> Q:
    """People of a desa or kecamatan: those living there (the person desa index) and the few
    holding a role there while living elsewhere, found first as the difference of two index
    scans, so that the list itself is one bitmap scan of the person table, never a join
    the planner might answer with a scan of every person."""
    living = Person.objects.filter(desa_id__in=codes).values_list("id")
    outsiders = [pid for (pid,) in Enrolment.objects.filter(desa_id__in=codes)
                 .values_list("person_id").difference(living)]
    q = Q(desa_id__in=codes)
    return q | Q(pk__in=outsiders) if outsiders else q


def _is_large(code: str) -> bool:
    """A kabupaten or wider: most of the registry lies in it."""
    return code.count(".") < 2


def _live_roles(today: dt.date) -> Q:
    return Q(status=EnrolmentStatus.ACTIVE, start_date__lte=today) & (
        Q(end_date__isnull=True) | Q(end_date__gte=today))


def _search(people: QuerySet[Person], query: str) -> QuerySet[Person]:
    """Digits (spaces, dots and dashes ignored) are a NIK prefix, searched as a range on the
    unique NIK index; an 11-character code with digits a KPJ; anything else a part of the name
    (case-insensitive; a trigram index on PostgreSQL)."""
    query = query.strip()
    digits = re.sub(r"[\s.\-]", "", query)
    if digits.isdigit():
        return people.filter(**nik_prefix_range(digits[:16]))
    if re.fullmatch(r"[0-9A-Za-z]{11}", digits) and any(c.isdigit() for c in digits):
        return people.filter(kpj=digits.upper())
    if query:
        return people.filter(name__icontains=query)
    return people


def nik_prefix_range(prefix: str) -> dict:
    """NIKs starting with the digits ``prefix`` as a range (``nik >= '1602' AND nik < '1603'``):
    an index range scan in any collation, where ``LIKE '1602%'`` needs a C collation."""
    if len(prefix) == 16:
        return {"nik": prefix}
    stripped = prefix.rstrip("9")
    if not stripped:  # "999…": everything from there on
        return {"nik__gte": prefix}
    upper = stripped[:-1] + str(int(stripped[-1]) + 1)
    return {"nik__gte": prefix, "nik__lt": upper}


def list_people(area_code: str, f: PeopleFilter, *, today: dt.date | None = None
                ) -> QuerySet[Person]:
    """The people list of a user whose area is ``area_code``, filtered, searched and sorted.

    Built so that a page costs what it shows, not what the registry holds:

    * a desa or kecamatan (a user's, or one chosen): the people living there (the person desa
      index) or holding a role there (the few living elsewhere found first);
    * a whole kabupaten: the walk along the name (or NIK) index, each row checked against the
      area, stopping after one page;
    * category, funding source and status "covered"/"ended": roles in the area with those
      values (the roles' desa index); "not covered": no role in force anywhere today.
    """
    from django.db.models import Min, OuterRef, Subquery
    from django.utils import timezone

    today = today or timezone.localdate()
    scope = list_scope(area_code, f)
    if scope is None:
        return Person.objects.none()
    codes = None if _is_large(scope) else area_codes(scope)
    roles = Enrolment.objects.filter(
        Q(desa_id__in=codes) if codes is not None else subtree_q(scope, "desa__code"))
    if f.category:
        roles = roles.filter(category=f.category)
    if f.funding:
        roles = roles.filter(funding_source=f.funding)
    if f.status == STATUS_COVERED:
        roles = roles.filter(_live_roles(today))
    elif f.status == STATUS_ENDED:
        roles = roles.filter(Q(status=EnrolmentStatus.ENDED) | Q(end_date__lt=today))
    # The people of the area first, through their own index (the person desa index for a
    # desa or kecamatan; along the name or NIK index for a kabupaten); the role conditions
    # then as a semi-join (a plain "id IN roles" let the planner scan every person).
    people = people_in(scope) if codes is None else Person.objects.filter(_small_area_q(codes))
    if f.has_role_conditions:
        people = people.filter(Exists(roles.filter(person_id=OuterRef("pk"))))
    if f.status == STATUS_NOT_COVERED:
        # Someone not covered holds a role not in force (every person is registered with a
        # role): suspended, ended or with an end date (a partial index), or starting later.
        # Those few are the candidates, instead of checking every person of the area.
        not_open = Enrolment.objects.filter(
            ~Q(status=EnrolmentStatus.ACTIVE) | Q(end_date__isnull=False))
        later = Enrolment.objects.filter(start_date__gt=today)
        live = Enrolment.objects.filter(_live_roles(today), person_id=OuterRef("pk"))
        candidates = not_open.values("person_id").union(later.values("person_id"))
        people = people.filter(pk__in=candidates).exclude(Exists(live))
    people = _search(people, f.q)
    if f.sort in ("kategori", "-kategori"):
        first = (Enrolment.objects.filter(person_id=OuterRef("pk")).order_by()
                 .values("person_id").annotate(c=Min("category")).values("c"))
        people = people.annotate(first_category=Subquery(first))
    order = SORTS[f.sort]
    if f.q or not _is_large(scope):
        # The set is found through an index of its own (trigram, NIK, desa): sort it, rather
        # than let the planner walk the name index hoping to meet matches early (a search for
        # "siti" walked 800,000 names before the first S).
        order = tuple(_unindexed(o) if o.lstrip("-") == "name" else o for o in order)
    return people.select_related("desa").order_by(*order)


def _unindexed(field: str):
    """``name`` ordered through an expression no index matches (same order as the column)."""
    from django.db.models import F, Value
    from django.db.models.functions import Concat

    expression = Concat(F(field.lstrip("-")), Value(""))
    return expression.desc() if field.startswith("-") else expression.asc()


def capped_count(people: QuerySet, cap: int | None = None) -> tuple[int, bool]:
    """(count, exact): the number of rows up to ``cap`` (default :data:`COUNT_CAP`); past it
    (cap, False). One query that stops after ``cap + 1`` rows
    (``SELECT COUNT(*) FROM (… LIMIT cap + 1)``)."""
    cap = COUNT_CAP if cap is None else cap
    n = people.order_by()[: cap + 1].count()
    return (n, True) if n <= cap else (cap, False)


@dataclass
class PeoplePage:
    """One page of a people list, with the count as far as it was counted."""

    rows: list
    number: int
    count: int  # exact when ``exact``; else the cap ("more than …")
    exact: bool
    per_page: int
    sort: str  # the sort applied (a small-set sort on a large set falls back to the name)
    sort_refused: bool = False

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.count // self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def first_index(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.rows else 0

    @property
    def last_index(self) -> int:
        return (self.number - 1) * self.per_page + len(self.rows)

    def page_numbers(self) -> list[int | None]:
        """1 2 3 … n-1 n n+1 … last (None marks a gap)."""
        last = self.num_pages
        shown = sorted({1, 2, last - 1, last, self.number - 1, self.number, self.number + 1}
                       & set(range(1, last + 1)))
        out: list[int | None] = []
        for n in shown:
            if out and n - (out[-1] or 0) > 1:
                out.append(None)
            out.append(n)
        return out


def people_page(area_code: str, f: PeopleFilter, page: str | int | None = 1, *,
                per_page: int = PER_PAGE, cap: int | None = None) -> PeoplePage:
    """One page of :func:`list_people`: a capped count and the rows of one page. A page past
    the counted ones is the last counted page (lists past the cap are narrowed by filters)."""
    people = list_people(area_code, f)
    count, exact = capped_count(people, cap)
    sort, refused = f.sort, False
    if sort in SMALL_SET_SORTS and not exact:
        sort, refused = "nama", True
        people = list_people(area_code, PeopleFilter(**{**f.__dict__, "sort": "nama"}))
    try:
        number = max(1, int(page or 1))
    except (TypeError, ValueError):
        number = 1
    number = min(number, max(1, -(-count // per_page)))
    start = (number - 1) * per_page
    rows = list(people[start:start + per_page])
    return PeoplePage(rows, number, count, exact, per_page, sort, refused)


@dataclass
class RoleSummary:
    """What the list shows of one person's roles: category names and whether covered."""

    categories: list[str]
    covered: bool

    @property
    def status_label(self):
        from django.utils.translation import gettext_lazy as _

        return _("Terlindungi") if self.covered else _("Belum terlindungi")


def role_summaries(person_ids: list[int], *, today: dt.date | None = None
                   ) -> dict[int, RoleSummary]:
    """One query for a page of people: each one's role categories and whether any role is in
    force today."""
    from django.utils import timezone

    today = today or timezone.localdate()
    labels = {c.key: str(c.short) for c in categories.CATEGORIES}
    out: dict[int, RoleSummary] = {}
    roles = (Enrolment.objects.filter(person_id__in=person_ids)
             .values_list("person_id", "category", "status", "start_date", "end_date"))
    for pid, category, status, start, end in roles:
        s = out.setdefault(pid, RoleSummary([], False))
        label = labels.get(category, "")
        if label and label not in s.categories:
            s.categories.append(label)
        s.covered |= (status == EnrolmentStatus.ACTIVE and start <= today
                      and (end is None or end >= today))
    for s in out.values():
        s.categories.sort()
    return out


# --- default funding source per category, per kabupaten/kota (issue 16) ---------------------


def funding_default_versions(kabupaten: str):
    """Every dated version of a kabupaten/kota's default funding sources, newest first."""
    from jamsos.registry.models import FundingDefault

    return list(FundingDefault.objects.filter(kabupaten=kabupaten).order_by("-valid_from")
                .select_related("created_by"))


def funding_defaults_in_force(on: dt.date, kabupaten=None) -> dict[str, dict[str, str]]:
    """kabupaten → {category → funding source} of the version in force on ``on`` (the latest
    one beyond the data); a kabupaten/kota without one is absent."""
    from jamsos.registry.models import FundingDefault

    rows = FundingDefault.objects.filter(valid_from__lte=on).order_by("kabupaten", "valid_from")
    if kabupaten is not None:
        rows = rows.filter(kabupaten__in=list(kabupaten))
    out: dict[str, dict[str, str]] = {}
    for kab, sources in rows.values_list("kabupaten", "sources"):
        out[kab] = dict(sources)  # later versions replace earlier ones
    return out


def funding_defaults_frame(on: dt.date) -> pl.DataFrame:
    """The defaults in force on ``on`` as rows (``kabupaten``, ``category``,
    ``default_funding``), for the import's set-based join."""
    rows = [(kab, cat, src) for kab, m in funding_defaults_in_force(on).items()
            for cat, src in m.items()]
    return pl.DataFrame(rows, schema=FUNDING_DEFAULTS_SCHEMA, orient="row")


FUNDING_DEFAULTS_SCHEMA = {"kabupaten": pl.String, "category": pl.String,
                           "default_funding": pl.String}
