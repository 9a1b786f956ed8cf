"""Reads: bills within an area, arrears, BPU lapse and eligibility, budget, premiums vs benefits.

Other apps call :func:`is_eligible` and :func:`arrears_months` wherever eligibility is shown.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

import polars as pl
from django.db import connection
from django.db.models import Count, Q, Sum

from jamsos.claims import selectors as claims_selectors
from jamsos.core.dates import month_text
from jamsos.core.numbers import grouped
from jamsos.coverage.selectors import coverage_by_area
from jamsos.premiums import billing, params
from jamsos.premiums.models import (
    BillingRun,
    Invoice,
    InvoiceLine,
    LineSummary,
    Reconciliation,
)
from jamsos.regions.models import Region
from jamsos.regions.selectors import deployment_area, kabupaten_code_of, subtree_q
from jamsos.registry import categories
from jamsos.registry import sql as registry_sql
from jamsos.registry.models import Enrolment
from jamsos.rules import (
    MissingParameterError,
    compute_contributions,
    contribution_facts,
    default_parameters,
)

# --- bills -------------------------------------------------------------------------------


def is_kabupaten(area_code: str) -> bool:
    """Whether ``area_code`` is the deployment's whole area (bills cover the whole of it)."""
    return area_code == deployment_area()


#: Length of a kecamatan code (``16.02.01``).
KECAMATAN_LEN = 8


@dataclass
class RunSummary:
    run: BillingRun
    lines: int
    due: int
    paid: int
    today: dt.date | None = None
    #: The run's kabupaten/kota as people say it.
    name: str = ""

    @property
    def outstanding(self) -> int:
        return self.due - self.paid

    @property
    def due_on(self) -> dt.date:
        return billing.due_date(self.run.period)

    @property
    def state(self) -> str:
        """``paid``, ``not_due`` (belum jatuh tempo) or ``overdue`` (menunggak)."""
        if self.outstanding <= 0:
            return "paid"
        today = self.today or dt.date.today()
        return "not_due" if today <= self.due_on else "overdue"


def covers(area_code: str, kabupaten: str) -> bool:
    """Whether the area holds the whole kabupaten/kota (it, or the province around it)."""
    return area_code == kabupaten or kabupaten.startswith(area_code + ".")


def runs_in_area(area_code: str):
    """The billing runs (one per month and kabupaten/kota, issue 16) an area sees: those of
    the regencies it holds (a province: all of them), or of the regency it lies in."""
    if "." in area_code:
        return BillingRun.objects.filter(kabupaten=kabupaten_code_of(area_code))
    return BillingRun.objects.filter(subtree_q(area_code, "kabupaten"))


def run_summaries(area_code: str, today: dt.date | None = None) -> list[RunSummary]:
    """Each billed month of each regency the area sees: due and paid for the area (an area
    holding the regency: invoice totals incl. corrections; smaller areas: their lines, a line
    counting as paid once its invoice's payments cover it)."""
    runs = list(runs_in_area(area_code))
    whole = [r.pk for r in runs if covers(area_code, r.kabupaten)]
    agg = {r["run_id"]: r for r in Invoice.objects.filter(run_id__in=whole).values(
        "run_id").annotate(n=Sum("lines"), due=Sum("billed") + Sum("adjusted"),
                           paid=Sum("paid"))}
    if len(whole) < len(runs):  # the area lies inside one regency: its months are its runs
        agg.update({r["period"]: r for r in LineSummary.objects.filter(
            subtree_q(area_code, "desa_code")).values("period").annotate(
            n=Sum("lines"), due=Sum("total"),
            paid=Sum("total", filter=Q(paid_on__isnull=False)))})
    names = dict(Region.objects.filter(code__in={r.kabupaten for r in runs})
                 .values_list("code", "name"))
    out = []
    for run in runs:
        r = agg.get(run.pk if run.pk in whole else run.period, {})
        out.append(RunSummary(run, r.get("n") or 0, r.get("due") or 0, r.get("paid") or 0,
                              today, names.get(run.kabupaten, run.kabupaten)))
    return out


def apbd_billed(year: int, area_code: str) -> dict[str, int]:
    """APBD premiums billed (with corrections) and paid for the months of ``year`` billed so
    far, in the area (kabupaten: invoice totals; smaller areas: their lines)."""
    if is_kabupaten(area_code):
        agg = Invoice.objects.filter(funding_source="APBD", period__year=year).aggregate(
            due=Sum("billed") + Sum("adjusted"), paid=Sum("paid"), months=Count("period",
                                                                             distinct=True))
    else:
        agg = LineSummary.objects.filter(subtree_q(area_code, "desa_code"), period__year=year,
                                         funding_source="APBD").aggregate(
            due=Sum("total"), paid=Sum("total", filter=Q(paid_on__isnull=False)),
            months=Count("period", distinct=True))
    return {k: agg[k] or 0 for k in ("due", "paid", "months")}


def overdue_invoices(area_code: str, today: dt.date) -> list[Invoice]:
    """Invoices of past months not paid in full that the area holds (may settle; see
    :func:`can_write_invoice`), oldest first."""
    from django.db.models import F

    return list(Invoice.objects.filter(subtree_q(area_code, "area_code"),
                                       period__lt=billing.month_start(today),
                                       paid__lt=F("billed") + F("adjusted"))
                .order_by("period", "number"))


@dataclass
class InvoiceRow:
    invoice: Invoice
    lines: int
    due: int
    paid: int


def invoices_in_area(run: BillingRun, area_code: str) -> list[InvoiceRow]:
    """The run's invoices with the area's lines, due and paid (an area holding the run's
    regency: whole invoices)."""
    if covers(area_code, run.kabupaten):
        return [InvoiceRow(i, i.lines, i.amount_due, i.paid) for i in run.invoices.all()]
    agg = (LineSummary.objects.filter(subtree_q(area_code, "desa_code"), period=run.period,
                                      invoice_id__in=run.invoices.values("id"))
           .values("invoice_id").annotate(n=Sum("lines"), due=Sum("total"),
                                          paid=Sum("total", filter=Q(paid_on__isnull=False))))
    by_id = {r["invoice_id"]: r for r in agg}
    return [InvoiceRow(i, by_id[i.pk]["n"], by_id[i.pk]["due"], by_id[i.pk]["paid"] or 0)
            for i in Invoice.objects.filter(pk__in=by_id).order_by("number")]


def month_runs(area_code: str, period: dt.date, kabupaten: str | None = None) -> list[BillingRun]:
    """The month's runs the area sees (of ``kabupaten`` only, when given): empty when the
    area has none (pages and the API answer 404)."""
    qs = runs_in_area(area_code).filter(period=billing.month_start(period))
    if kabupaten:
        qs = qs.filter(kabupaten=kabupaten)
    return list(qs.order_by("kabupaten"))


def month_invoices(runs: list[BillingRun], area_code: str) -> list[InvoiceRow]:
    """:func:`invoices_in_area` of several runs of a month (a province: every regency's)."""
    return [row for run in runs for row in invoices_in_area(run, area_code)]


def visible_invoice(area_code: str, pk: int) -> Invoice | None:
    """The invoice if the area may see it (it has lines there), else None."""
    invoice = Invoice.objects.filter(pk=pk).select_related("run").first()
    if invoice is None or is_kabupaten(area_code):
        return invoice
    if LineSummary.objects.filter(subtree_q(area_code, "desa_code"), invoice_id=pk).exists():
        return invoice
    return None


def can_write_invoice(area_code: str, invoice: Invoice) -> bool:
    """Payments and corrections concern the whole invoice: the user's area must hold it."""
    a = invoice.area_code
    return a == area_code or a.startswith(area_code + ".")


def invoice_lines(invoice: Invoice, area_code: str, limit: int | None = 200):
    qs = (InvoiceLine.objects.filter(subtree_q(area_code, "desa_code"), invoice_id=invoice.pk)
          .order_by("id").values("id", "enrolment_id", "person__nik", "person__name",
                                 "desa_code", "category", "segment", "wage", "jkk", "jkm", "jht",
                                 "jp", "jkp", "worker_share", "total", "paid_on"))
    return list(qs[:limit] if limit else qs)


def _reconciliations_q(area_code: str | None) -> Q:
    """Reconciliations an area sees: of the regencies it holds or lies in, and those matched
    with a whole province's month before issue 16 (empty ``kabupaten``; their rows are still
    read per area)."""
    if area_code is None:
        return Q()
    if "." in area_code:
        return Q(kabupaten=kabupaten_code_of(area_code)) | Q(kabupaten="")
    return subtree_q(area_code, "kabupaten") | Q(kabupaten="")


def reconciliations(area_code: str | None = None) -> list[Reconciliation]:
    return list(Reconciliation.objects.filter(_reconciliations_q(area_code))[:50])


def visible_reconciliation(area_code: str, pk: int) -> Reconciliation | None:
    return Reconciliation.objects.filter(_reconciliations_q(area_code), pk=pk).first()


def whole_file(rec: Reconciliation, area_code: str) -> bool:
    """The area holds the whole file: the deployment's, or the regency's file it holds."""
    return is_kabupaten(area_code) or bool(rec.kabupaten and covers(area_code, rec.kabupaten))


def reconciliation_totals(rec: Reconciliation, area_code: str) -> dict:
    """Per-class count and rupiah for the area (kabupaten: the whole file)."""
    if whole_file(rec, area_code):
        return rec.summary
    from jamsos.premiums.models import RecClass, ReconciliationRow

    agg = {r["cls"]: r for r in ReconciliationRow.objects.filter(
        subtree_q(area_code, "desa_code"), reconciliation=rec).values("cls").annotate(
        count=Count("id"), bpjs=Sum("amount_bpjs"), ours=Sum("amount_ours"))}
    return {c.value: {"count": agg.get(c.value, {}).get("count", 0),
                      "bpjs": agg.get(c.value, {}).get("bpjs") or 0,
                      "ours": agg.get(c.value, {}).get("ours") or 0} for c in RecClass}


def reconciliation_rows(rec: Reconciliation, area_code: str, cls: str | None = None,
                        limit: int | None = 200):
    from jamsos.premiums.models import ReconciliationRow

    qs = ReconciliationRow.objects.filter(reconciliation=rec)
    if not whole_file(rec, area_code):
        qs = qs.filter(subtree_q(area_code, "desa_code"))
    if cls:
        qs = qs.filter(cls=cls)
    qs = qs.order_by("cls", "row", "nik").values(
        "cls", "row", "nik", "kpj", "name", "segment", "programs", "amount_bpjs", "amount_ours",
        "desa_code", "note")
    return list(qs[:limit] if limit else qs)


def reconciliation_rows_query(rec: Reconciliation, area_code: str, cls: str | None = None):
    """The rows of :func:`reconciliation_rows` (plus ``id``) as a lazy queryset, in a stable
    order, for paginated listings (the database counts and slices)."""
    from jamsos.premiums.models import ReconciliationRow

    qs = ReconciliationRow.objects.filter(reconciliation=rec)
    if not whole_file(rec, area_code):
        qs = qs.filter(subtree_q(area_code, "desa_code"))
    if cls:
        qs = qs.filter(cls=cls)
    return qs.order_by("cls", "row", "nik", "id").values(
        "id", "cls", "row", "nik", "kpj", "name", "segment", "programs", "amount_bpjs",
        "amount_ours", "desa_code", "note")


# --- arrears, lapse, eligibility -----------------------------------------------------------

_UNPAID = "(l.paid_on IS NULL OR l.paid_on > %s)"
_PAID = "(l2.paid_on IS NOT NULL AND l2.paid_on <= %s)"


def _arrears_sql(where: str, *, by_desa: bool = False) -> str:
    """Consecutive unpaid billed months per enrolment, counting back from ``month``
    (``by_desa``: per enrolment and desa of the lines, with ``desa_code``)."""
    desa = ", l.desa_code" if by_desa else ""
    return (
        f"SELECT l.enrolment_id{desa}, COUNT(*) AS months, SUM(l.total) AS amount, "  # noqa: S608 - identifiers from this module; values are parameters
        "MIN(l.period) AS since FROM premiums_invoiceline l "
        f"WHERE l.period <= %s AND {_UNPAID} AND {where} AND l.period > COALESCE(("
        "SELECT MAX(l2.period) FROM premiums_invoiceline l2 WHERE l2.enrolment_id = "
        f"l.enrolment_id AND l2.period <= %s AND {_PAID}), %s) GROUP BY l.enrolment_id{desa}"
    )


def last_overdue_period(today: dt.date) -> dt.date:
    """The latest billing month whose bill is overdue on ``today`` (its due date has passed).
    A bill counts as arrears only after its due date (:func:`billing.due_date`)."""
    period = billing.add_months(billing.month_start(today), -1)
    while billing.due_date(period) >= today:
        period = billing.add_months(period, -1)
    return period


def not_due_count(area_code: str, today: dt.date) -> int:
    """Enrolments with an unpaid bill that is not yet due on ``today`` ("belum jatuh tempo")."""
    return (InvoiceLine.objects.filter(subtree_q(area_code, "desa_code"),
                                       period__gt=last_overdue_period(today))
            .filter(Q(paid_on__isnull=True) | Q(paid_on__gt=today))
            .values("enrolment_id").distinct().count())


def arrears_months(enrolment, month: dt.date, *, as_of: dt.date | None = None) -> int:
    """Billed months up to ``month`` left unpaid since the last paid one (0 = none).

    ``as_of``: count payments made up to that day only (default: all recorded payments).
    """
    month = billing.month_start(month)
    as_of = as_of or dt.date.max
    pk = getattr(enrolment, "pk", enrolment)
    with connection.cursor() as cur:
        cur.execute(_arrears_sql("l.enrolment_id = %s"),
                    [month, as_of, pk, month, as_of, dt.date(1, 1, 1)])
        row = cur.fetchone()
    return int(row[1]) if row else 0


@dataclass
class Eligibility:
    eligible: bool
    reason: str
    enrolment: object | None = None
    arrears: int = 0
    notes: list[str] = field(default_factory=list)


def is_eligible(person, on_date: dt.date) -> Eligibility:
    """Is the person protected on ``on_date``?

    The insured (primary) role must be in force that day and not suspended; a BPU member is
    not active after ``eligibility.bpu_lapse_arrears_months`` (3) months of arrears, counted
    over the months already due (those before ``on_date``'s month) and payments made by
    ``on_date``. PU arrears are the employer's debt and do not end protection (noted).
    """
    if getattr(person, "died_on", None) and person.died_on < on_date:
        return Eligibility(False, "meninggal dunia")
    role = (Enrolment.objects.filter(person_id=getattr(person, "pk", person), is_primary=True,
                                     start_date__lte=on_date)
            .exclude(status="suspended")
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=on_date))
            .order_by("start_date").first())
    if role is None:
        return Eligibility(False, "tidak ada kepesertaan yang berlaku pada tanggal ini")
    due_month = billing.add_months(billing.month_start(on_date), -1)
    arrears = arrears_months(role, due_month, as_of=on_date)
    lapse = params.bpu_lapse_months(on_date)
    if role.segment == "BPU" and arrears >= lapse:
        return Eligibility(False, f"kepesertaan BPU tidak aktif: menunggak {arrears} bulan",
                           role, arrears)
    notes = []
    if arrears:
        notes.append(f"menunggak {arrears} bulan")
    return Eligibility(True, "", role, arrears, notes)


def arrears_list(area_code: str, month: dt.date, *, minimum: int = 1,
                 limit: int | None = 500, offset: int = 0) -> list[dict]:
    """Enrolments in the area with unpaid months up to ``month``, most months first.

    The latest overdue month (the pages' and the API's default) is read from the arrears
    summary (:mod:`jamsos.premiums.summaries`); another month is computed from the bill lines.
    """
    month = billing.month_start(month)
    area, area_args = "(a.desa_code = %s OR a.desa_code LIKE %s)", [area_code, area_code + ".%"]
    if _summarised(month):
        source, args, order = "premiums_arrearsentry a", [], "a.months DESC, a.name"
        # A range, not LIKE: an index serves it under any collation.
        area = "(a.desa_code = %s OR (a.desa_code >= %s AND a.desa_code < %s))"
        area_args = [area_code, area_code + ".", area_code + "/"]
        if is_kabupaten(area_code):  # every row: read in the order index's order
            area, area_args = "1 = 1", []
    else:
        source = "(" + _arrears_sql(area.replace("a.", "l."), by_desa=True) + ") a"
        args = [month, dt.date.max, area_code, area_code + ".%", month, dt.date.max,
                dt.date(1, 1, 1)]
        order = "a.months DESC, p.name"
    sql = (
        "SELECT a.enrolment_id, a.months, a.amount, a.since, p.nik, p.name, e.category, "  # noqa: S608 - identifiers from this module; values are parameters
        f"e.segment, e.desa_code, e.funding_source FROM {source} "
        f"JOIN {registry_sql.ENROLMENTS} e ON e.id = a.enrolment_id "
        f"JOIN {registry_sql.PEOPLE} p ON p.id = e.person_id WHERE {area} AND a.months >= %s "
        f"ORDER BY {order}, a.enrolment_id"
        + (f" LIMIT {int(limit)} OFFSET {int(offset)}" if limit else "")
    )
    lapse = params.bpu_lapse_months(month)
    with connection.cursor() as cur:
        cur.execute(sql, [*args, *area_args, minimum])
        names = [c[0] for c in cur.description]
        rows = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
    for r in rows:
        if isinstance(r["since"], str):  # SQLite returns the aggregate as text
            r["since"] = dt.date.fromisoformat(r["since"])
        r["lapsed"] = r["segment"] == "BPU" and r["months"] >= lapse
    return rows


def _summarised(month: dt.date) -> bool:
    """Is ``month`` the one the arrears summary holds (built now if it is due)?"""
    from django.utils import timezone

    from jamsos.premiums.summaries import ensure_arrears

    if month != last_overdue_period(timezone.localdate()):
        from jamsos.premiums.models import ArrearsMonth

        return ArrearsMonth.objects.filter(pk=1, month=month).exists()
    ensure_arrears(month)
    return True


class ArrearsRows:
    """:func:`arrears_list` as a lazy sequence for paginators (Django's ``Paginator``, the
    API's ``paginate``): the summary counts, and only the page asked for is read."""

    def __init__(self, area_code: str, month: dt.date, *, minimum: int = 1,
                 count: int | None = None):
        self.area_code, self.month, self.minimum = area_code, billing.month_start(month), minimum
        self._count = count  # known already (the page shows it): not counted twice

    def count(self) -> int:
        if self._count is None:
            if self.minimum == 1:
                self._count = arrears_counts(self.area_code, self.month)[0]
            else:
                self._count = len(arrears_list(self.area_code, self.month,
                                               minimum=self.minimum, limit=None))
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if isinstance(index, slice):
            start = index.start or 0
            if index.stop is None:
                return arrears_list(self.area_code, self.month, minimum=self.minimum,
                                    limit=None)[start:]
            if index.stop <= start:
                return []
            return arrears_list(self.area_code, self.month, minimum=self.minimum,
                                limit=index.stop - start, offset=start)
        rows = arrears_list(self.area_code, self.month, minimum=self.minimum, limit=1,
                            offset=index)
        if not rows:
            raise IndexError(index)
        return rows[0]


def arrears_counts(area_code: str, month: dt.date) -> tuple[int, int]:
    """(enrolments in arrears, BPU members lapsed by them) in the area, up to ``month``."""
    month = billing.month_start(month)
    if not _summarised(month):
        rows = arrears_list(area_code, month, limit=None)
        return len(rows), sum(1 for r in rows if r["lapsed"])
    from jamsos.premiums.models import ArrearsEntry

    rows = ArrearsEntry.objects.all() if is_kabupaten(area_code) else ArrearsEntry.objects.filter(
        Q(desa_code=area_code) | Q(desa_code__gte=area_code + ".", desa_code__lt=area_code + "/"))
    agg = rows.aggregate(
        n=Count("id"), lapsed=Count("id", filter=Q(
            segment="BPU", months__gte=params.bpu_lapse_months(month))))
    return agg["n"], agg["lapsed"]


# --- budget ------------------------------------------------------------------------------


@dataclass
class BudgetRow:
    kecamatan: str
    name: str
    category: str
    covered: int
    current_cost: int      # APBD, a year, current coverage
    target: int
    shortfall: int
    per_person: int        # representative APBD contribution per person-year
    additional_cost: int   # shortfall × per_person


@dataclass
class RegencyBudget:
    """A kabupaten/kota's APBD allocation (pagu) for premiums against what is billed and what
    the current coverage costs in the year (issue 16)."""

    kabupaten: str
    name: str
    allocation: int | None   # None: no allocation recorded for the year
    source: str
    billed: int              # APBD invoices of the year so far, with corrections
    paid: int
    months_billed: int
    projected: int | None    # APBD, a year, current coverage (None: settings missing)

    @property
    def remaining(self) -> int | None:
        """Allocation left after the projected cost (negative: short)."""
        if self.allocation is None or self.projected is None:
            return None
        return self.allocation - self.projected


@dataclass
class Budget:
    year: int
    area_code: str
    by_source: dict[str, int]          # funding source → rupiah a year (current coverage)
    by_category: dict[str, int]        # APBD, current coverage
    per_person: dict[str, int]         # representative APBD cost per person-year, per category
    per_person_basis: dict[str, str]
    rows: list[BudgetRow]
    notes: list[str]
    regencies: list[RegencyBudget] = field(default_factory=list)

    @property
    def apbd_current(self) -> int:
        return self.by_source.get("APBD", 0)

    @property
    def additional(self) -> int:
        return sum(r.additional_cost for r in self.rows)

    def as_json(self) -> dict:
        return {
            "year": self.year, "area": self.area_code, "apbd_current": self.apbd_current,
            "by_source": self.by_source, "by_category": self.by_category,
            "per_person": self.per_person, "per_person_basis": self.per_person_basis,
            "additional_to_full_target": self.additional,
            "apbd_at_full_target": self.apbd_current + self.additional,
            "rows": [r.__dict__ for r in self.rows], "notes": self.notes,
            "regencies": [{**r.__dict__, "remaining": r.remaining} for r in self.regencies],
        }


def _year_months(year: int) -> list[dt.date]:
    return [dt.date(year, m, 1) for m in range(1, 13)]


def price_periods(year: int, regs: dict) -> list[tuple[dt.date, list[dt.date]]]:
    """The year's months in runs that price alike: (the run's first month, its months).

    A line's price depends on the month only through the parameters in force: the
    regulation engine's, the billing data's and its regency's settings. Consecutive months
    with the same version of every one of them price alike, so the budget prices each run
    once (usually one or two a year) instead of every month. A test holds this equal to
    pricing month by month."""
    sets = (default_parameters(), params.billing_parameters())

    def in_force(month: dt.date) -> tuple:
        found = [tuple((name, (pv.valid_from, pv.valid_to) if pv else None)
                       for name in ps.names() for pv in [ps.get_optional(name, month)])
                 for ps in sets]
        found.append(tuple(sorted(
            (kab, name, v.valid_from) for kab, reg in regs.items() for name in reg.versions
            if (v := reg.version(name, month)) is not None)))
        return tuple(found)

    runs: list[tuple[dt.date, list[dt.date], tuple]] = []
    for month in _year_months(year):
        key = in_force(month)
        if runs and runs[-1][2] == key:
            runs[-1][1].append(month)
        else:
            runs.append((month, [month], key))
    return [(first, months) for first, months, _key in runs]


def _without_missing_settings(frame: pl.DataFrame, year: int, regs: dict,
                              notes: list[str],
                              periods: list[tuple[dt.date, list[dt.date]]] | None = None,
                              skip: dict[str, set[str]] | None = None,
                              ) -> tuple[pl.DataFrame, set[str]]:
    """The profile rows whose regency has the settings their price needs in every month of
    the year; the others are left out of the sums (``skip``, when given, is filled with each
    such regency's lacking settings), and a note names each such regency."""
    skip = {} if skip is None else skip
    for month, _months in periods or price_periods(year, regs):
        for kab, names in billing.missing_settings(frame, month, regs, payers=False).items():
            skip.setdefault(kab, set()).update(names)
    if not skip:
        return frame, set()
    notes.extend(_missing_settings_notes(skip, year))
    return frame.filter(~billing.KABUPATEN.is_in(list(skip))), set(skip)


def _missing_settings_notes(skip: dict, year: int) -> list[str]:
    names = dict(Region.objects.filter(code__in=list(skip)).values_list("code", "name"))
    out = []
    for kab, lacking in sorted(skip.items()):
        words = ", ".join(params.PARAMETER_WORDS[n] for n in params.REGENCY_PARAMETERS
                          if n in lacking)
        out.append(f"{names.get(kab, kab)}: pengaturan iuran ({words}) belum ada untuk tahun "
                   f"{year}; iuran pesertanya tidak dihitung.")
    return out


def _priced_year(frame: pl.DataFrame, year: int, notes: list[str], regs: dict,
                 periods: list[tuple[dt.date, list[dt.date]]] | None = None) -> pl.DataFrame:
    """Annual contribution per row (of the profile: a group of ``people`` alike): the engine
    run for each month of the year (once per run of months that price alike,
    :func:`price_periods`), each row with its own regency's settings."""
    frame = frame.with_row_index("row")
    total = None
    last_ok: pl.DataFrame | None = None
    for first, months in periods or price_periods(year, regs):
        try:
            priced = billing.price(frame, first, regs).select("row", "total")
            last_ok = priced
        except MissingParameterError as exc:
            if last_ok is None:
                raise
            missing = exc.args[0] if exc.args else exc
            notes.extend(f"{month_text(month)}: parameter belum ada ({missing})"
                         "; dipakai iuran bulan sebelumnya" for month in months)
            priced = last_ok
        priced = priced.with_columns(pl.col("total") * len(months))
        total = priced if total is None else total.join(
            priced, on="row", suffix="_m").select(
            "row", (pl.col("total") + pl.col("total_m")).alias("total"))
    return (frame.join(total, on="row") if total is not None else frame).drop("row")


def priced_profile(month: dt.date, year: int) -> tuple[pl.DataFrame, dict, list[str]]:
    """The month's profile priced for ``year`` (the stored summary, built on first use):
    (rows per desa, category and funding source with ``people`` and ``total``, the regencies
    left out with the settings they lack, the pricing's notes)."""
    from jamsos.premiums.summaries import PRICED_COLUMNS, ensure_priced

    state = ensure_priced(month, year)
    frame = billing.read_sql_frame(
        f"SELECT {', '.join(PRICED_COLUMNS)} FROM premiums_pricedprofile "  # noqa: S608 - identifiers from this module; values are parameters
        "WHERE month = %s AND year = %s", [billing.month_start(month), year],
        {"desa_code": pl.String, "category": pl.String, "funding_source": pl.String,
         "people": pl.Int64, "total": pl.Int64})
    return frame, state.skipped, list(state.notes)


def _standard_contribution(category: str, year: int,
                           reg: params.RegencyBilling) -> tuple[int, str]:
    """A year's contribution for one typical new member of a category (no member yet), with
    the regency's default wage and risk class."""
    cat = categories.BY_KEY[category]
    seg = cat.segment.lower()
    amount = 0
    for month in _year_months(year):
        wage = (reg.default_wage(month) if seg == "pu"
                else params.default_wage("BPU", month))
        try:
            facts = contribution_facts(month, seg, wage, ",".join(categories.DEFAULT_PROGRAMS),
                                       risk_class=reg.risk_class(month) if seg == "pu"
                                       else None,
                                       **({"bpu_payer": "government"} if seg == "bpu" else {}))
            amount += compute_contributions(facts).total
        except MissingParameterError:
            continue
    return amount, (f"standar: segmen {cat.segment}, upah default, program JKK+JKM, "
                    "dihitung mesin regulasi")


def _per_person(apbd: pl.DataFrame, kab: str, year: int, reg: params.RegencyBilling,
                notes: list[str]) -> tuple[dict[str, int], dict[str, str]]:
    """A regency's representative APBD cost per person-year and category: the mean of its
    current APBD members, or with none a standard member; 0 and a note when the regency has
    no settings to price one."""
    mine = apbd.filter(billing.KABUPATEN == kab)
    mean = {r["category"]: (int(r["s"]), int(r["n"])) for r in mine.group_by("category")
            .agg(pl.col("total").sum().alias("s"), pl.col("people").sum().alias("n"))
            .iter_rows(named=True)}
    per_person, basis, lacking = {}, {}, False
    for c in categories.CATEGORIES:
        if c.key in mean and mean[c.key][1]:
            s, n = mean[c.key]
            per_person[c.key] = (s + n // 2) // n  # whole rupiah, half up
            basis[c.key] = f"rata-rata {grouped(n)} peserta APBD saat ini"
            continue
        try:
            per_person[c.key], basis[c.key] = _standard_contribution(c.key, year, reg)
        except params.MissingBillingSettings:
            per_person[c.key], basis[c.key] = 0, "pengaturan iuran kabupaten/kota belum ada"
            lacking = True
    if lacking:
        name = Region.objects.filter(code=kab).values_list("name", flat=True).first()
        note = (f"{name or kab}: pengaturan iuran kabupaten/kota belum ada; tambahan biaya "
                "kategori tanpa peserta tidak dihitung.")
        if note not in notes:
            notes.append(note)
    return per_person, basis


def regency_budgets(year: int, area_code: str, projected: dict[str, int],
                    skipped: set[str] = frozenset()) -> list[RegencyBudget]:
    """Allocation against billed and projected for the area's kabupaten/kota: the one a
    kabupaten (or smaller) area lies in, or every one of a province (issue 16)."""
    from jamsos.premiums.models import Allocation, Invoice
    from jamsos.regions.selectors import deployment_kabupaten, kabupaten_code_of

    kabs = deployment_kabupaten() if "." not in area_code else [kabupaten_code_of(area_code)]
    names = dict(Region.objects.filter(code__in=kabs).values_list("code", "name"))
    pagu = {a.kabupaten: a for a in Allocation.objects.filter(kabupaten__in=kabs, year=year)}
    billed = {r["area_code"]: r for r in Invoice.objects.filter(
        funding_source="APBD", period__year=year, area_code__in=kabs).values(
        "area_code").annotate(due=Sum("billed") + Sum("adjusted"), paid=Sum("paid"),
                              months=Count("period", distinct=True))}
    out = []
    for kab in kabs:
        a, b = pagu.get(kab), billed.get(kab, {})
        out.append(RegencyBudget(
            kab, names.get(kab, kab), a.amount if a else None, a.source if a else "",
            b.get("due") or 0, b.get("paid") or 0, b.get("months") or 0,
            None if kab in skipped else projected.get(kab, 0)))
    return out


def budget(year: int, area_code: str | None = None, *, today: dt.date | None = None,
           benefits=None) -> Budget:
    """APBD cost of the current coverage in ``year`` and of reaching every category's target.

    Current coverage: the primary enrolments in force this month (``today``), priced by the
    engine for each month of the budget year with each regency's own settings (a regency
    without them is left out, with a note). Reaching the target: per kecamatan and category,
    (target − covered) × the representative cost per person-year of that category in the
    kecamatan's kabupaten = the mean annual APBD contribution of its current APBD-funded
    members there (or, with none, a standard member: default wage, JKK+JKM). ``regencies``:
    each kabupaten's allocation against billed and projected.
    """
    from django.utils import timezone

    from jamsos.regions.selectors import deployment_kabupaten, kabupaten_code_of

    area_code = area_code or deployment_area()
    today = today or timezone.localdate()
    notes: list[str] = []
    # The profile priced for the year, stored per desa (its totals are for all its people).
    priced, lacking, priced_notes = priced_profile(billing.month_start(today), year)
    notes += _missing_settings_notes(lacking, year) + priced_notes
    skipped = set(lacking)
    kabs = sorted(set(deployment_kabupaten()) | set(
        priced.select(billing.KABUPATEN.unique())["desa_code"].to_list()))
    regs = params.regencies(kabs)
    apbd_all = priced.filter(pl.col("funding_source") == "APBD")
    per_kab: dict[str, tuple[dict[str, int], dict[str, str]]] = {}

    def per_person_of(kab: str) -> tuple[dict[str, int], dict[str, str]]:
        if kab not in per_kab:
            per_kab[kab] = _per_person(apbd_all, kab, year, regs.get(kab)
                                       or params.RegencyBilling(kab), notes)
        return per_kab[kab]

    in_area = priced.filter((pl.col("desa_code") == area_code)
                            | pl.col("desa_code").str.starts_with(area_code + "."))
    by_source = {r["funding_source"]: int(r["s"]) for r in in_area.group_by("funding_source")
                 .agg(pl.col("total").sum().alias("s")).iter_rows(named=True)}
    apbd = in_area.filter(pl.col("funding_source") == "APBD").with_columns(
        pl.col("desa_code").str.slice(0, KECAMATAN_LEN).alias("kec"))
    cost = {(r["kec"], r["category"]): (int(r["s"]), int(r["n"])) for r in apbd.group_by(
        "kec", "category").agg(pl.col("total").sum().alias("s"),
                               pl.col("people").sum().alias("n")).iter_rows(named=True)}
    by_category = defaultdict(int)
    for (_, cat), (s, _) in cost.items():
        by_category[cat] += s
    rows = []
    for c in categories.CATEGORIES:
        for unit in coverage_by_area(area_code, level="kecamatan", category=c.key):
            if not (unit.code == area_code or unit.code.startswith(area_code + ".")
                    or area_code.startswith(unit.code + ".")):
                continue
            s = cost.get((unit.code, c.key), (0, 0))[0]
            pp = per_person_of(kabupaten_code_of(unit.code))[0][c.key]
            rows.append(BudgetRow(unit.code, unit.name, c.key, unit.covered, s, unit.target,
                                  unit.shortfall, pp, unit.shortfall * pp))
    # The representative costs shown: the area's own regency's (a province shows them per
    # kabupaten/kota in its rows).
    per_person, basis = per_person_of(kabupaten_code_of(area_code)) if "." in area_code \
        else ({}, {})
    if not Region.objects.filter(code=area_code).exists():
        notes.append("wilayah tidak dikenal")
    projected = {r["kab"]: int(r["s"]) for r in apbd_all.with_columns(
        billing.KABUPATEN.alias("kab")).group_by("kab").agg(
        pl.col("total").sum().alias("s")).iter_rows(named=True)}
    return Budget(year, area_code, dict(sorted(by_source.items())), dict(by_category),
                  per_person, basis, rows, notes,
                  regency_budgets(year, area_code, projected, skipped))


# --- premiums paid versus benefits received ------------------------------------------------


@dataclass
class PremiumsVsBenefits:
    year: int
    rows: list[dict]        # kecamatan, category, premiums, benefits (None = no data)
    has_benefits: bool
    message: str

    @property
    def premiums(self) -> int:
        return sum(r["premiums"] for r in self.rows)

    @property
    def benefits(self) -> int | None:
        return sum(r["benefits"] or 0 for r in self.rows) if self.has_benefits else None


def _claims_benefits(area_code: str, year: int):
    """Benefits from the claims app: ``benefits_received(year, area_code)`` gives
    ``{"claims": rupiah, "scholarships": rupiah}`` for an area; asked once per kecamatan (or
    for the area itself below kecamatan level). None when the app does not provide it."""
    fn = getattr(claims_selectors, "benefits_received", None)
    if fn is None:
        return None

    grouped = getattr(claims_selectors, "benefits_by_kecamatan", None)
    if grouped is not None and len(area_code) <= KECAMATAN_LEN:
        return [{"kecamatan": code, "category": "", "amount": amount}
                for code, amount in sorted(grouped(year, area_code).items()) if amount]
    if len(area_code) > KECAMATAN_LEN:
        units = [area_code]
    else:
        units = list(Region.objects.filter(subtree_q(area_code), level="kecamatan")
                     .values_list("code", flat=True)) or [area_code]
    rows = []
    for code in units:
        got = fn(year, code)
        amount = int(got.get("claims", 0)) + int(got.get("scholarships", 0))
        if amount:
            rows.append({"kecamatan": code, "category": "", "amount": amount})
    return rows


def premiums_vs_benefits(area_code: str, year: int, benefits=None) -> PremiumsVsBenefits:
    """Premiums paid (lines covered by payments dated in ``year``) against benefits received
    by residents, per kecamatan and category.

    ``benefits``: rows ``{"desa_code" or "kecamatan", "category", "amount"}`` in rupiah
    (claims paid and scholarships). Without it the claims app is asked
    (``jamsos.claims.selectors.benefits_received(year, area_code)``, per kecamatan, category
    "" = all); when that app is absent the result says "belum ada data klaim".
    """
    cut = KECAMATAN_LEN
    paid = (LineSummary.objects.filter(subtree_q(area_code, "desa_code"),
                                       paid_on__year=year)
            .values("desa_code", "category").annotate(s=Sum("total")))
    premiums: dict[tuple[str, str], int] = defaultdict(int)
    for r in paid:
        premiums[(r["desa_code"][:cut], r["category"])] += r["s"] or 0
    if benefits is None:
        benefits = _claims_benefits(area_code, year)
    got: dict[tuple[str, str], int] = defaultdict(int)
    if benefits is not None:
        for b in benefits:
            code = (b.get("kecamatan") or b.get("desa_code") or "")[:cut]
            if code == area_code or code.startswith(area_code + ".") or \
                    area_code.startswith(code + "."):
                got[(code, b.get("category", ""))] += int(b["amount"])

    keys = sorted(set(premiums) | set(got))
    names = dict(Region.objects.filter(code__in={k for k, _ in keys}).values_list("code", "name"))
    rows = [{"kecamatan": k, "name": names.get(k, k), "category": c,
             "premiums": premiums.get((k, c), 0),
             "benefits": got.get((k, c), 0) if benefits is not None else None}
            for k, c in keys]
    has = benefits is not None
    return PremiumsVsBenefits(year, rows, has, "" if has else "belum ada data klaim")


def apbd_by_kabupaten(year: int, area_code: str) -> dict[str, dict[str, int]]:
    """APBD premiums billed and paid in ``year`` per kabupaten/kota of the area (a province's
    ranking, issue 16): the stored line summaries added up by the first two code segments."""
    from django.db.models.functions import Substr

    rows = (LineSummary.objects.filter(subtree_q(area_code, "desa_code"), period__year=year,
                                       funding_source="APBD")
            .annotate(kab=Substr("desa_code", 1, len("16.02"))).values("kab")
            .annotate(due=Sum("total"), paid=Sum("total", filter=Q(paid_on__isnull=False))))
    return {r["kab"]: {"due": r["due"] or 0, "paid": r["paid"] or 0} for r in rows}


# --- a regency's own settings (issue 16) ----------------------------------------------------


@dataclass
class RegencySettings:
    """Every version of one kabupaten/kota's billing settings, default funding sources and
    allocations, newest first; what is in force on ``on``; what it has none of."""

    kabupaten: str
    name: str
    on: dt.date
    versions: dict[str, list]          # parameter → BillingSetting versions, newest first
    in_force: dict[str, object]        # parameter → the version in force (None: none)
    funding: list                      # FundingDefault versions, newest first
    funding_in_force: dict[str, str]   # category → funding source ({}: none)
    allocations: list                  # Allocation per year, newest first

    @property
    def missing(self) -> list[str]:
        """The settings without a version in force, as pages name them."""
        out = [params.PARAMETER_WORDS[n] for n, v in self.in_force.items() if v is None]
        if not self.funding_in_force:
            out.append("sumber dana bawaan per kategori")
        return out


def regency_settings(kabupaten: str, on: dt.date | None = None) -> RegencySettings:
    """The settings page's data for a kabupaten/kota the caller may see (callers check:
    ``accounts.selectors.regencies_of``)."""
    from django.utils import timezone

    from jamsos.premiums.models import Allocation, BillingSetting
    from jamsos.registry.selectors import funding_default_versions, funding_defaults_in_force

    on = on or timezone.localdate()
    versions: dict[str, list] = {n: [] for n in params.REGENCY_PARAMETERS}
    for s in (BillingSetting.objects.filter(kabupaten=kabupaten)
              .order_by("name", "-valid_from").select_related("created_by")):
        versions[s.name].append(s)
    in_force = {n: next((v for v in vs if v.valid_from <= on), None)
                for n, vs in versions.items()}
    name = Region.objects.filter(code=kabupaten).values_list("name", flat=True).first()
    return RegencySettings(
        kabupaten, name or kabupaten, on, versions, in_force,
        funding_default_versions(kabupaten),
        funding_defaults_in_force(on, [kabupaten]).get(kabupaten, {}),
        list(Allocation.objects.filter(kabupaten=kabupaten).order_by("-year")
             .select_related("updated_by")))
