"""The premium summaries (issue 14) equal what they summarise, recomputed from the bill lines
and the registry, after any sequence of billing runs, re-runs, payments, corrections and
registry changes."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from django.db import connection, transaction
from django.db.models import Count, F, Q, Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jamsos.premiums import billing, summaries
from jamsos.premiums.models import (
    ArrearsEntry,
    ArrearsMonth,
    BillableProfile,
    Invoice,
    InvoiceLine,
    LineSummary,
)
from jamsos.premiums.selectors import _arrears_sql, arrears_counts, arrears_list
from jamsos.premiums.services import PremiumError, add_adjustment, record_payment, run_billing
from jamsos.registry.models import Enrolment, Person
from jamsos.registry.services import end_enrolment, record_death

from .conftest import SITI

pytestmark = pytest.mark.django_db

MONTHS = [dt.date(2025, m, 1) for m in (7, 8, 9, 10)]
TODAY = dt.date(2025, 11, 2)


def line_summary() -> list[tuple]:
    return sorted(LineSummary.objects.values_list(
        "period", "desa_code", "invoice_id", "funding_source", "category", "paid_on", "lines",
        "total"))


def lines_grouped() -> list[tuple]:
    return sorted(InvoiceLine.objects.values(
        "period", "desa_code", "invoice_id", fs=F("invoice__funding_source"), cat=F("category"),
        paid=F("paid_on")).annotate(n=Count("id"), s=Sum("total")).values_list(
        "period", "desa_code", "invoice_id", "fs", "cat", "paid", "n", "s"))


def arrears_stored() -> list[tuple]:
    return sorted(ArrearsEntry.objects.values_list("enrolment_id", "desa_code", "months",
                                                   "amount", "since"))


def arrears_recomputed(month: dt.date) -> list[tuple]:
    with connection.cursor() as cur:
        cur.execute(_arrears_sql("1 = 1", by_desa=True),
                    [month, dt.date.max, month, dt.date.max, dt.date(1, 1, 1)])
        rows = cur.fetchall()
    return sorted((e, d, n, a, s if isinstance(s, dt.date) else dt.date.fromisoformat(s))
                  for e, d, n, a, s in rows)


def profile_stored(month: dt.date) -> list[tuple]:
    return sorted(BillableProfile.objects.filter(month=month).values_list(
        "desa_code", "category", "segment", "funding_source", "wage", "jkk_on", "jkm_on",
        "jht_on", "jp_on", "jkp_on", "people"))


def profile_recomputed(month: dt.date) -> list[tuple]:
    keys = ["desa_code", "category", "segment", "funding_source", "wage", "jkk_on", "jkm_on",
            "jht_on", "jp_on", "jkp_on"]
    frame = billing.billable_frame(month)
    if not frame.height:
        return []
    return sorted(tuple(r) for r in frame.group_by(keys).agg(pl.len().alias("n").cast(pl.Int64))
                  .select(*keys, "n").iter_rows())


def check(arrears_month: dt.date, profile_month: dt.date) -> None:
    assert line_summary() == lines_grouped()
    summaries.ensure_arrears(arrears_month)
    assert arrears_stored() == arrears_recomputed(arrears_month)
    summaries.ensure_profile(profile_month)
    assert profile_stored(profile_month) == profile_recomputed(profile_month)


step = st.one_of(
    st.tuples(st.just("bill"), st.sampled_from(MONTHS)),
    st.tuples(st.just("pay"), st.integers(0, 20), st.integers(1, 60_000)),
    st.tuples(st.just("adjust"), st.integers(0, 20), st.integers(-20_000, 20_000)),
    st.tuples(st.just("end"), st.sampled_from(MONTHS)),
    st.tuples(st.just("death"), st.sampled_from(MONTHS)),
)


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=st.lists(step, min_size=1, max_size=7), look=st.sampled_from(MONTHS))
def test_summaries_equal_the_recomputed_values(people, steps, look):
    with transaction.atomic():
        summaries.ensure_profile(look)  # stored before the changes: kept up to date by them
        for s in steps:
            kind = s[0]
            if kind == "bill":
                run_billing(s[1], today=TODAY)
            elif kind in ("pay", "adjust"):
                invoices = list(Invoice.objects.order_by("id"))
                if not invoices:
                    continue
                inv = invoices[s[1] % len(invoices)]
                try:
                    if kind == "pay":
                        record_payment(inv, amount=min(s[2], max(inv.outstanding, 1)),
                                       paid_on=inv.period + dt.timedelta(days=40),
                                       reference="SP2D")
                    else:
                        add_adjustment(inv, amount=s[2] or 1, reason="koreksi")
                except PremiumError:
                    pass
            elif kind == "end":
                role = Enrolment.objects.filter(end_date__isnull=True).order_by("id").first()
                if role is not None:
                    end_enrolment(role, end_date=s[1], reason="berhenti", user=None)
            else:
                person = Person.objects.get(nik=SITI)
                if person.died_on is None:
                    record_death(person, died_on=s[1] + dt.timedelta(days=4), source="test")
            check(look, look)
        transaction.set_rollback(True)


def test_arrears_pages_and_counts_read_the_summary(people, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)
    for m in MONTHS:
        run_billing(m, today=TODAY)
    last_due = dt.date(2025, 9, 1)  # October's bill falls due on 17 November
    rows = arrears_list("16.02", last_due, limit=None)
    assert ArrearsMonth.objects.get().month == last_due
    assert arrears_counts("16.02", last_due) == (len(rows), sum(r["lapsed"] for r in rows))
    assert [r["enrolment_id"] for r in arrears_list("16.02", last_due, limit=2, offset=1)] == [
        r["enrolment_id"] for r in rows[1:3]]
    # A month other than the latest overdue one is computed from the lines, the same way.
    other = arrears_list("16.02", dt.date(2025, 8, 1), limit=None)
    assert {r["months"] for r in other} == {2}
    assert not ArrearsEntry.objects.filter(~Q(months=3)).exists()


def test_the_periodic_job_builds_the_summaries_ahead_of_the_first_reader(people):
    from jamsos.premiums.models import BillableProfile, PricedState, ProfileMonth
    from jamsos.web import periodic

    for m in MONTHS:
        run_billing(m, today=TODAY)
    done = periodic.run_once(TODAY)
    assert done["premium_summaries"] == ["arrears", "profile", "priced"]
    last_due = dt.date(2025, 9, 1)  # October's bill falls due on 17 November
    assert ArrearsMonth.objects.get().month == last_due
    assert arrears_stored() == arrears_recomputed(last_due)
    assert ProfileMonth.objects.filter(month=dt.date(2025, 11, 1)).exists()
    assert BillableProfile.objects.filter(month=dt.date(2025, 11, 1)).exists()
    assert PricedState.objects.filter(month=dt.date(2025, 11, 1), year=2025).exists()
    assert periodic.run_once(TODAY)["premium_summaries"] == []  # built once
    # After October's bill falls due, the next run moves the arrears on by a month.
    assert periodic.run_once(dt.date(2025, 11, 18))["premium_summaries"] == ["arrears"]
    assert ArrearsMonth.objects.get().month == dt.date(2025, 10, 1)


def test_the_budget_reads_its_priced_profile_kept_equal_to_pricing_it_all_again(people):
    """Issues 14/16: the budget reads the profile priced per desa (a few rows per desa, not one
    per wage); registry writes price their desa again, a regency's new settings price it all
    again — and the budget is the same as after pricing everything from scratch."""
    from jamsos.premiums.models import PricedProfile, PricedState
    from jamsos.premiums.selectors import budget
    from jamsos.premiums.services import add_billing_settings
    from tests.factories import TEBING_SULUH, import_rows, user

    today = dt.date(2025, 9, 10)

    def from_scratch():
        summaries.forget_profiles()
        return budget(2025, "16.02", today=today)

    first = budget(2025, "16.02", today=today)
    state = PricedState.objects.get(month=dt.date(2025, 9, 1), year=2025)
    assert PricedProfile.objects.filter(month=state.month, year=2025).exists()
    assert first.apbd_current > 0
    # Registry writes: a new RT head, a role ended; the stored sums follow (not rebuilt).
    op = user("op", "operator", "16.02")
    assert not import_rows(f"1602131708850077;Baru Sekali;L;17-08-1985;{TEBING_SULUH};d;"
                           "Ketua RT", today=today).rejected
    siti = Person.objects.get(nik=SITI).enrolments.get()
    end_enrolment(siti, end_date=dt.date(2025, 8, 31), reason="pindah", user=op)
    kept = budget(2025, "16.02", today=today)
    assert PricedState.objects.get(pk=state.pk).built_at == state.built_at  # refreshed per desa
    assert kept != first
    assert kept == from_scratch()
    # A new version of OKI's settings (UMK from July): priced again, whole.
    add_billing_settings(kabupaten="16.02", valid_from=dt.date(2025, 7, 1),
                         pu_wage=4_000_000, citation="SK Gubernur Sumsel UMK 2025 (uji)",
                         user=None)
    changed = budget(2025, "16.02", today=today)
    assert changed != kept
    assert changed == from_scratch()
