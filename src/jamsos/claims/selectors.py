"""Reads of claims, scholarships and the heirs' follow-up, always within an area.

A claim, a scholarship child and a follow-up belong to the area of the participant's desa
(``person.desa``). Report rules (docs/claims.md):

* a claim counts in a period when **BPJS paid it** in the period (``paid_on``), for the amount
  BPJS paid (``paid_amount``);
* a scholarship child counts when the scholarship was **granted** in the period
  (``awarded_on``: the participant's claim paid), for the child's whole entitlement as the
  engine computed it — the way BPJS reports "6 anak penerima beasiswa Rp522 juta" (6 × Rp87 jt);
  the school-year payments are reported separately (``scholarship_paid``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Substr, TruncMonth

from jamsos.claims import entitlements as ent
from jamsos.claims.models import (
    Claim,
    ClaimStatus,
    FollowUp,
    FollowUpStatus,
    Program,
    ScholarshipChild,
    ScholarshipPayment,
)
from jamsos.core.dates import month_text
from jamsos.regions.models import Region
from jamsos.regions.selectors import subtree_q
from jamsos.registry import categories

PERSON_AREA = "person__desa__code"
KECAMATAN_CODE_LEN = len("16.02.13")


ROLE_AREA = "enrolment__desa__code"


def _claim_area_q(area_code: str, prefix: str = ""):
    """A claim lies in an area when its person lives there or the role it was made for is
    there (as :func:`jamsos.registry.selectors.people_in` finds people)."""
    return (subtree_q(area_code, prefix + PERSON_AREA)
            | subtree_q(area_code, prefix + ROLE_AREA))


def claims_in(area_code: str) -> QuerySet[Claim]:
    return Claim.objects.filter(_claim_area_q(area_code))


def children_in(area_code: str) -> QuerySet[ScholarshipChild]:
    return ScholarshipChild.objects.filter(_claim_area_q(area_code, "claim__"))


def payments_in(area_code: str) -> QuerySet[ScholarshipPayment]:
    return ScholarshipPayment.objects.filter(_claim_area_q(area_code, "child__claim__"))


def follow_ups_in(area_code: str) -> QuerySet[FollowUp]:
    return FollowUp.objects.filter(subtree_q(area_code, PERSON_AREA))


def search_claims(area_code: str, *, status: str = "", program: str = "", query: str = "",
                  flagged: bool = False) -> QuerySet[Claim]:
    qs = claims_in(area_code).select_related("person", "person__desa")
    if status in ClaimStatus.values:
        qs = qs.filter(status=status)
    if program in Program.values:
        qs = qs.filter(program=program)
    query = query.strip()
    if query.isdigit() and len(query) == 16:
        qs = qs.filter(person__nik=query)
    elif query:
        qs = qs.filter(Q(person__name__icontains=query) | Q(bpjs_reference=query)
                       | Q(person__kpj=query.upper()))
    if flagged:
        qs = differences(qs)
    return qs.order_by("-status_on", "-id")


def differences(qs: QuerySet[Claim]) -> QuerySet[Claim]:
    """Paid claims whose payment differs from the engine's entitlement, not yet followed up
    (estimated JHT/JP balances excluded)."""
    from django.db.models import F

    return qs.filter(status=ClaimStatus.PAID, entitlement__isnull=False,
                     paid_amount__isnull=False, entitlement_estimated=False,
                     difference_note="").exclude(paid_amount=F("entitlement"))


def follow_up_for(person) -> FollowUp | None:
    """The heirs' follow-up of a deceased insured person (for the santunan app to link to:
    ``reverse("claims:follow_up", args=[fu.pk])``); None if there is none."""
    return FollowUp.objects.filter(person=person).first()


# --- reports --------------------------------------------------------------------------------


@dataclass
class Row:
    key: str
    label: str
    claims: int
    amount: int
    share: float = 0.0  # of the largest amount, for bars (0–100)

    def as_json(self, name: str) -> dict:
        return {name: self.key, "label": self.label, "claims": self.claims,
                "amount": self.amount}


@dataclass
class Report:
    area_code: str
    area_name: str
    date_from: dt.date
    date_to: dt.date
    claims: int = 0
    amount: int = 0
    by_program: list[Row] = field(default_factory=list)
    by_month: list[Row] = field(default_factory=list)
    by_category: list[Row] = field(default_factory=list)
    by_kecamatan: list[Row] = field(default_factory=list)
    scholarship_children: int = 0
    scholarship_amount: int = 0
    scholarship_paid: int = 0
    scholarship_payments: int = 0
    differences: int = 0

    def as_json(self) -> dict:
        return {
            "area": self.area_code, "area_name": self.area_name,
            "from": self.date_from.isoformat(), "to": self.date_to.isoformat(),
            "claims": self.claims, "amount": self.amount,
            "by_program": [r.as_json("program") for r in self.by_program],
            "by_month": [r.as_json("month") for r in self.by_month],
            "by_category": [r.as_json("category") for r in self.by_category],
            "by_kecamatan": [r.as_json("kecamatan") for r in self.by_kecamatan],
            "scholarship_children": self.scholarship_children,
            "scholarship_amount": self.scholarship_amount,
            "scholarship_paid": self.scholarship_paid,
            "scholarship_payments": self.scholarship_payments,
            "differences": self.differences,
        }


def _rows(pairs: list[tuple[str, str, int, int]]) -> list[Row]:
    top = max((p[3] for p in pairs), default=0) or 1
    return [Row(k, label, n, a, round(100 * a / top, 1)) for k, label, n, a in pairs]


def paid_claims(area_code: str, date_from: dt.date, date_to: dt.date) -> QuerySet[Claim]:
    return claims_in(area_code).filter(status=ClaimStatus.PAID,
                                       paid_on__range=(date_from, date_to))


def claim_report(area_code: str, date_from: dt.date, date_to: dt.date) -> Report:
    """Claims paid and scholarships granted in ``[date_from, date_to]`` in the area."""
    area = Region.objects.get(code=area_code)
    rep = Report(area_code, area.name, date_from, date_to)
    paid = paid_claims(area_code, date_from, date_to)
    agg = paid.aggregate(n=Count("id"), amount=Sum("paid_amount"))
    rep.claims, rep.amount = agg["n"] or 0, agg["amount"] or 0

    def grouped(expr_name, **annot):
        qs = paid.annotate(**annot) if annot else paid
        return list(qs.values(expr_name).annotate(n=Count("id"), amount=Sum("paid_amount"))
                    .order_by(expr_name))

    rep.by_program = _rows([(r["program"], Program(r["program"]).label, r["n"], r["amount"])
                            for r in grouped("program")])
    rep.by_month = _rows([(r["month"].strftime("%Y-%m"), month_text(r["month"]), r["n"],
                           r["amount"]) for r in grouped("month", month=TruncMonth("paid_on"))])
    rep.by_category = _rows([
        (r["category"], str(categories.BY_KEY[r["category"]].label)
         if r["category"] in categories.BY_KEY else (r["category"] or "–"), r["n"], r["amount"])
        for r in grouped("category")])
    kec = grouped("kec", kec=Substr(PERSON_AREA, 1, KECAMATAN_CODE_LEN))
    names = dict(Region.objects.filter(code__in=[r["kec"] for r in kec])
                 .values_list("code", "name"))
    rep.by_kecamatan = _rows([(r["kec"], names.get(r["kec"], r["kec"]), r["n"], r["amount"])
                              for r in kec])
    granted = children_in(area_code).filter(awarded_on__range=(date_from, date_to),
                                            entitlement__gt=0)
    g = granted.aggregate(n=Count("id"), amount=Sum("entitlement"))
    rep.scholarship_children, rep.scholarship_amount = g["n"] or 0, g["amount"] or 0
    p = payments_in(area_code).filter(paid_on__range=(date_from, date_to)).aggregate(
        n=Count("id"), amount=Sum("amount"))
    rep.scholarship_payments, rep.scholarship_paid = p["n"] or 0, p["amount"] or 0
    rep.differences = differences(paid).count()
    return rep


def benefits_received(year: int, area_code: str) -> dict[str, int]:
    """Benefits BPJS paid to the area's people in ``year``, in whole rupiah, for the
    premiums/budget app: ``{"claims": paid claim amounts, "scholarships": scholarship
    payments}`` (by payment date)."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    claims = paid_claims(area_code, start, end).aggregate(s=Sum("paid_amount"))["s"] or 0
    sch = payments_in(area_code).filter(paid_on__range=(start, end)).aggregate(
        s=Sum("amount"))["s"] or 0
    return {"claims": int(claims), "scholarships": int(sch)}


def benefits_by_kecamatan(year: int, area_code: str) -> dict[str, int]:
    """:func:`benefits_received` (claims and scholarships together) of every kecamatan of an
    area at or above kecamatan level, in one grouped query per kind instead of two per
    kecamatan (a province has hundreds): a claim counts in its person's kecamatan and, when
    another one of the area, in that of the role it was made for, as the per-kecamatan
    :func:`claims_in` finds it."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    out: dict[str, int] = defaultdict(int)

    def inside(code: str | None) -> bool:
        return bool(code) and (code == area_code or code.startswith(area_code + "."))

    for qs, amount, prefix in (
            (paid_claims(area_code, start, end), "paid_amount", ""),
            (payments_in(area_code).filter(paid_on__range=(start, end)), "amount",
             "child__claim__")):
        pairs = qs.annotate(
            pkec=Substr(prefix + PERSON_AREA, 1, KECAMATAN_CODE_LEN),
            rkec=Substr(prefix + ROLE_AREA, 1, KECAMATAN_CODE_LEN),
        ).values("pkec", "rkec").annotate(s=Sum(amount)).order_by()
        for r in pairs:
            for kec in {r["pkec"], r["rkec"]}:
                if inside(kec):
                    out[kec] += int(r["s"] or 0)
    return dict(out)


# --- worklists ------------------------------------------------------------------------------


@dataclass
class Due:
    child: ScholarshipChild
    school_year: int
    level: str
    amount: int
    citation: str

    @property
    def school_year_label(self) -> str:
        return f"{self.school_year}/{self.school_year + 1}"


def scholarships_due(area_code: str, today: dt.date) -> list[Due]:
    """Children whose scholarship for the current school year is not yet paid (and whose
    scholarship has not ended: age 23, marriage, work, levels completed)."""
    from jamsos.claims.services import end_reason_on, yearly_entitlement

    year = ent.school_year_of(today)
    children = (children_in(area_code).filter(entitlement__gt=0, awarded_on__isnull=False,
                                              ended_on__isnull=True)
                .exclude(payments__school_year=year)
                .select_related("claim", "claim__person", "claim__person__desa"))
    out = []
    for child in children:
        if end_reason_on(child, dt.date(year, 7, 1)):
            continue
        level, amount, citation = yearly_entitlement(child, year)
        if level is None or amount == 0:
            continue
        out.append(Due(child, year, level, amount, citation))
    return out


def open_follow_ups(area_code: str) -> QuerySet[FollowUp]:
    return (follow_ups_in(area_code).filter(status=FollowUpStatus.OPEN)
            .select_related("person", "person__desa").order_by("died_on", "id"))


def unclaimed_entitlements(area_code: str) -> dict:
    """Entitlements of deceased insured people whose heirs have not yet claimed."""
    qs = open_follow_ups(area_code)
    agg = qs.aggregate(n=Count("id"), amount=Sum("entitlement"))
    return {"follow_ups": agg["n"] or 0, "amount": agg["amount"] or 0, "rows": list(qs)}


def paid_by_kabupaten(area_code: str, date_from: dt.date, date_to: dt.date
                      ) -> dict[str, dict[str, int]]:
    """Claims paid in ``[date_from, date_to]`` per kabupaten/kota of the person's desa (a
    province's ranking, issue 16): count and rupiah."""
    rows = (paid_claims(area_code, date_from, date_to)
            .annotate(kab=Substr(PERSON_AREA, 1, len("16.02"))).values("kab")
            .annotate(n=Count("id"), amount=Sum("paid_amount")))
    return {r["kab"]: {"count": r["n"], "amount": r["amount"] or 0} for r in rows}
