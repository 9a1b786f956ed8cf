"""Summaries the premium pages read instead of every bill line or enrolment (issue 14).

Derived data, written set-based (a few statements, never a query per row), like the coverage
summary:

* :class:`~jamsos.premiums.models.BillableProfile` — a month's billable enrolments grouped by
  what their price depends on (desa, category, segment, funding, wage, programmes). Built for
  a month the first time the budget asks for it; then every registry write that announces
  ``roles_changed`` rebuilds the announced desa of every stored month in its transaction.
* :class:`~jamsos.premiums.models.PricedProfile` — that profile priced for a budget year,
  summed per desa, category and funding source; rebuilt whole when the parameter data or any
  regency's billing settings change (``PricedState.key``), and for the announced desa with
  the profile.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from functools import cache

import polars as pl
from django.db import connection, transaction
from django.db.models import Count, Max

from jamsos.db import copy_frame
from jamsos.premiums import billing, params
from jamsos.premiums.models import PricedState, ProfileMonth
from jamsos.registry import sql as registry_sql

PROFILE_COLUMNS = ("desa_code", "category", "segment", "funding_source", "wage", "jkk_on",
                    "jkm_on", "jht_on", "jp_on", "jkp_on")


def _profile_insert(desa_codes: list[str] | None) -> tuple[str, list]:
    """INSERT … SELECT of a month's profile: :func:`billing.billable_sql`, one row per person
    (the role first by category order, then the oldest), grouped. With ``desa_codes``: only
    the people with a billable role there, and only rows whose chosen role is there."""
    scope, params = "", []
    if desa_codes is not None:
        marks = ", ".join(["%s"] * len(desa_codes))
        scope = (f" WHERE b.person_id IN (SELECT person_id FROM {registry_sql.ENROLMENTS} r "  # noqa: S608 - placeholders only
                 f"WHERE r.desa_code IN ({marks}) AND r.is_primary)")
        params = list(desa_codes)
    cols = ", ".join(PROFILE_COLUMNS)
    sql = (
        f"INSERT INTO premiums_billableprofile (month, {cols}, people) "  # noqa: S608 - identifiers from this module; values are parameters
        f"SELECT %s, {cols}, COUNT(*) FROM ("
        "SELECT b.desa_code, b.category, b.segment, b.funding_source, b.wage, "
        "b.jkk AS jkk_on, b.jkm AS jkm_on, b.jht AS jht_on, b.jp AS jp_on, b.jkp AS jkp_on, "
        "ROW_NUMBER() OVER (PARTITION BY b.person_id ORDER BY b.rank, b.id) AS pick "
        f"FROM ({registry_sql.billable_roles()}) b{scope}) b WHERE pick = 1"
        + (f" AND desa_code IN ({', '.join(['%s'] * len(desa_codes))})" if desa_codes else "")
        + f" GROUP BY {cols}"
    )
    return sql, params


def _write_profile(month: dt.date, desa_codes: list[str] | None) -> None:
    first, last = billing.month_start(month), billing.month_end(month)
    sql, scope_params = _profile_insert(desa_codes)
    with connection.cursor() as cur:
        if desa_codes is None:
            cur.execute("DELETE FROM premiums_billableprofile WHERE month = %s", [first])
        else:
            marks = ", ".join(["%s"] * len(desa_codes))
            cur.execute("DELETE FROM premiums_billableprofile WHERE month = %s "  # noqa: S608 - placeholders only
                        f"AND desa_code IN ({marks})", [first, *desa_codes])
        cur.execute(sql, [first, last, first, first, *scope_params,
                          *(desa_codes or [])])


@transaction.atomic
def ensure_profile(month: dt.date) -> bool:
    """The month's profile exists (built now, set-based, when it does not); true if built."""
    month = billing.month_start(month)
    if ProfileMonth.objects.filter(month=month).exists():
        return False
    _, created = ProfileMonth.objects.get_or_create(month=month)  # a concurrent builder waits
    if created:
        _write_profile(month, None)
    return created


def refresh_profiles(desa_codes: list[str]) -> None:
    """Rebuild the announced desa of every stored month (in the writer's transaction), and
    of every priced profile built on it."""
    if not desa_codes:
        return
    desa_codes = sorted(set(desa_codes))
    for month in ProfileMonth.objects.values_list("month", flat=True):
        _write_profile(month, desa_codes)
    for state in PricedState.objects.exclude(key=""):
        _refresh_priced(state, desa_codes)


def forget_profiles() -> None:
    """Drop every stored profile: the next read rebuilds it (after writes that bypass the
    registry's services, e.g. a restore, and once a day to be safe)."""
    with connection.cursor() as cur:
        cur.execute("DELETE FROM premiums_billableprofile")
        cur.execute("DELETE FROM premiums_pricedprofile")
    PricedState.objects.all().delete()
    ProfileMonth.objects.all().delete()


# --- the budget's priced profile ---------------------------------------------------------


PRICED_COLUMNS = ("desa_code", "category", "funding_source", "people", "total")


@cache
def _data_digest() -> str:
    """The regulation engine's and the billing data's parameters of this release."""
    from jamsos.rules import default_parameters

    digest = hashlib.sha256()
    for ps in (default_parameters(), params.billing_parameters()):
        for name in ps.names():
            for v in ps.versions(name):
                digest.update(repr((name, v.start, v.end, v.value)).encode())
    return digest.hexdigest()[:16]


def pricing_key() -> str:
    """What a priced profile was priced with: the parameter data and every regency's billing
    settings (versions are only ever added, so their count and last id name the set)."""
    from jamsos.premiums.models import BillingSetting

    got = BillingSetting.objects.aggregate(n=Count("id"), last=Max("id"))
    return f"{_data_digest()}:{got['n']}:{got['last'] or 0}"


def read_profile(month: dt.date, desa_codes: list[str] | None = None) -> pl.DataFrame:
    """The stored profile of a month (of some desa only), as the budget prices it."""
    cols = [*PROFILE_COLUMNS, "people"]
    schema = {**{k: v for k, v in billing.SCHEMA.items() if k in cols}, "people": pl.Int64}
    where, args = "month = %s", [billing.month_start(month)]
    if desa_codes is not None:
        where += f" AND desa_code IN ({', '.join(['%s'] * len(desa_codes))})"
        args += list(desa_codes)
    return billing.read_sql_frame(
        f"SELECT {', '.join(cols)} FROM premiums_billableprofile WHERE {where}",  # noqa: S608 - identifiers from this module; values are parameters
        args, {c: schema[c] for c in cols})


def _priced_sums(frame: pl.DataFrame, year: int, regs: dict, notes: list[str]) -> pl.DataFrame:
    from jamsos.premiums.selectors import _priced_year

    if not frame.height:
        return pl.DataFrame(schema={"desa_code": pl.String, "category": pl.String,
                                    "funding_source": pl.String, "people": pl.Int64,
                                    "total": pl.Int64})
    priced = _priced_year(frame, year, notes, regs)
    return priced.group_by("desa_code", "category", "funding_source").agg(
        pl.col("people").sum().cast(pl.Int64),
        (pl.col("total") * pl.col("people")).sum().cast(pl.Int64).alias("total"))


def _store_priced(month: dt.date, year: int, sums: pl.DataFrame,
                  desa_codes: list[str] | None) -> None:
    with connection.cursor() as cur:
        if desa_codes is None:
            cur.execute("DELETE FROM premiums_pricedprofile WHERE month = %s AND year = %s",
                        [month, year])
        else:
            marks = ", ".join(["%s"] * len(desa_codes))
            cur.execute("DELETE FROM premiums_pricedprofile WHERE month = %s AND year = %s "  # noqa: S608 - placeholders only
                        f"AND desa_code IN ({marks})", [month, year, *desa_codes])
        copy_frame(cur, "premiums_pricedprofile", ("month", "year", *PRICED_COLUMNS),
                   sums.with_columns(pl.lit(month).alias("month"),
                                     pl.lit(year, pl.Int64).alias("year")))


@transaction.atomic
def ensure_priced(month: dt.date, year: int) -> PricedState:
    """The month's profile priced for ``year`` is stored with the current parameters and
    settings (priced now, whole, when it is not); a concurrent builder waits for the first."""
    from jamsos.premiums.selectors import _without_missing_settings, price_periods

    month, key = billing.month_start(month), pricing_key()
    state = PricedState.objects.filter(month=month, year=year).first()
    if state is not None and state.key == key:
        return state
    ensure_profile(month)
    state, _ = PricedState.objects.select_for_update().get_or_create(month=month, year=year)
    if state.key == key:
        return state
    frame = read_profile(month)
    kabs = frame.select(billing.KABUPATEN.unique())["desa_code"].to_list()
    regs = params.regencies(kabs)
    periods = price_periods(year, regs)
    notes: list[str] = []
    skip: dict[str, set[str]] = {}
    frame, _ = _without_missing_settings(frame, year, regs, [], periods, skip=skip)
    _store_priced(month, year, _priced_sums(frame, year, regs, notes), None)
    state.key, state.notes = key, notes
    state.skipped = {k: sorted(v) for k, v in skip.items()}
    state.save()
    return state


def _refresh_priced(state: PricedState, desa_codes: list[str]) -> None:
    """Price again the announced desa of a stored priced profile. When their roles now need
    a setting their regency lacks, the whole is priced again at the next read."""
    from jamsos.premiums.selectors import _without_missing_settings

    frame = read_profile(state.month, desa_codes)
    frame = frame.filter(~billing.KABUPATEN.is_in(list(state.skipped)))
    kabs = frame.select(billing.KABUPATEN.unique())["desa_code"].to_list()
    regs = params.regencies(kabs)
    if _without_missing_settings(frame, state.year, regs, [])[1]:
        PricedState.objects.filter(pk=state.pk).update(key="")
        return
    _store_priced(state.month, state.year, _priced_sums(frame, state.year, regs, []),
                  desa_codes)


# --- arrears ------------------------------------------------------------------------------


def _write_arrears(month: dt.date, invoice_id: int | None = None) -> None:
    """(Re)compute the arrears rows of every enrolment, or of those billed on ``invoice_id``."""
    from jamsos.premiums.selectors import _arrears_sql

    where, params = "1 = 1", []
    with connection.cursor() as cur:
        if invoice_id is None:
            cur.execute("DELETE FROM premiums_arrearsentry")
        else:
            billed = ("SELECT i.enrolment_id FROM premiums_invoiceline i "
                      "WHERE i.invoice_id = %s")
            cur.execute(f"DELETE FROM premiums_arrearsentry WHERE enrolment_id IN ({billed})",  # noqa: S608 - identifiers from this module; values are parameters
                        [invoice_id])
            where, params = f"l.enrolment_id IN ({billed})", [invoice_id]
        cur.execute(
            "INSERT INTO premiums_arrearsentry (enrolment_id, desa_code, segment, name, months, "  # noqa: S608 - identifiers from this module; values are parameters
            "amount, since) SELECT a.enrolment_id, a.desa_code, e.segment, p.name, a.months, "
            f"a.amount, a.since FROM ({_arrears_sql(where, by_desa=True)}) a "
            f"JOIN {registry_sql.ENROLMENTS} e ON e.id = a.enrolment_id "
            f"JOIN {registry_sql.PEOPLE} p ON p.id = e.person_id",
            [month, dt.date.max, *params, month, dt.date.max, dt.date(1, 1, 1)])


@transaction.atomic
def ensure_arrears(month: dt.date) -> bool:
    """The stored arrears count up to ``month`` (rebuilt, set-based, when they count up to
    another: once a month, when the next bill falls due; concurrent readers wait for one
    rebuild); true if rebuilt."""
    from jamsos.premiums.models import ArrearsMonth

    month = billing.month_start(month)
    if ArrearsMonth.objects.filter(pk=1, month=month).exists():
        return False
    ArrearsMonth.objects.get_or_create(pk=1, defaults={"month": dt.date(1, 1, 1)})
    marker = ArrearsMonth.objects.select_for_update().get(pk=1)
    if marker.month == month:
        return False
    _write_arrears(month)
    marker.month = month
    marker.save()
    return True


def build_ahead(today: dt.date) -> list[str]:
    """Build the summaries the pages will ask for today, so no reader waits for them: the
    arrears up to the last month whose bill has fallen due (rebuilt once a month) and the
    budget's profile of this month (built once a month). Run by the periodic job; returns what
    it built."""
    from jamsos.premiums.selectors import last_overdue_period

    built = []
    if ensure_arrears(last_overdue_period(today)):
        built.append("arrears")
    if ensure_profile(today):
        built.append("profile")
    state = PricedState.objects.filter(month=billing.month_start(today), year=today.year).first()
    if state is None or state.key != pricing_key():
        ensure_priced(today, today.year)
        built.append("priced")
    return built


def refresh_arrears_of_invoice(invoice_id: int) -> None:
    """An invoice's payments were re-allocated: recount its enrolments (in that transaction)."""
    from jamsos.premiums.models import ArrearsMonth

    month = ArrearsMonth.objects.filter(pk=1).values_list("month", flat=True).first()
    if month is not None:
        _write_arrears(month, invoice_id)


def forget_arrears_from(period: dt.date) -> None:
    """A month at or before the stored one was billed (late): rebuild at the next read."""
    from jamsos.premiums.models import ArrearsMonth

    ArrearsMonth.objects.filter(month__gte=period).delete()


# --- bill lines per area ------------------------------------------------------------------


def write_line_summary(*, period: dt.date | None = None, invoice_id: int | None = None,
                       run_id: int | None = None) -> None:
    """(Re)group the lines of a billing month, of one billing run (one regency's month) or of
    one invoice into ``LineSummary``."""
    if run_id is not None:
        where = ("invoice_id IN (SELECT r.id FROM premiums_invoice r WHERE r.run_id = %s)")
        value = run_id
    else:
        column, value = ("period", period) if invoice_id is None else ("invoice_id", invoice_id)
        where = f"{column} = %s"
    with connection.cursor() as cur:
        cur.execute(f"DELETE FROM premiums_linesummary WHERE {where}", [value])  # noqa: S608 - identifiers from this module; values are parameters
        cur.execute(
            "INSERT INTO premiums_linesummary (period, desa_code, invoice_id, funding_source, "  # noqa: S608 - identifiers from this module; values are parameters
            "category, paid_on, lines, total) SELECT l.period, l.desa_code, l.invoice_id, "
            "i.funding_source, l.category, l.paid_on, COUNT(*), SUM(l.total) "
            "FROM premiums_invoiceline l JOIN premiums_invoice i ON i.id = l.invoice_id "
            f"WHERE l.{where} GROUP BY l.period, l.desa_code, l.invoice_id, "
            "i.funding_source, l.category, l.paid_on", [value])
