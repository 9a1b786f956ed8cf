"""Arrears mean overdue (issue 11, item 5): a month's bill is due by the 15th of the next
month (contribution.due_day; regulations.md §0 [S41]; a weekend moves it to Monday), and
counts as arrears only after that day.  The unpaid bill of a month not yet due is shown as
"belum jatuh tempo"."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from jamsos.premiums import billing, selectors
from jamsos.premiums.models import Invoice
from jamsos.premiums.services import run_billing
from tests.api.test_domain_api import bearer
from tests.factories import PASSWORD, user

pytestmark = pytest.mark.django_db
SEP, OCT = dt.date(2025, 9, 1), dt.date(2025, 10, 1)


@pytest.mark.parametrize(("period", "due"), [
    (dt.date(2025, 9, 1), dt.date(2025, 10, 15)),   # Wednesday
    (dt.date(2025, 10, 1), dt.date(2025, 11, 17)),  # 15 Nov is a Saturday -> Monday
    (dt.date(2025, 5, 1), dt.date(2025, 6, 16)),    # 15 Jun is a Sunday -> Monday
])
def test_due_date_is_the_15th_of_the_next_month_or_the_next_monday(period, due):
    assert billing.due_date(period) == due


@pytest.mark.parametrize(("today", "last"), [
    (dt.date(2025, 10, 15), dt.date(2025, 8, 1)),   # September due today: not yet arrears
    (dt.date(2025, 10, 16), dt.date(2025, 9, 1)),   # the day after: September is overdue
    (dt.date(2025, 11, 17), dt.date(2025, 9, 1)),   # October due on Monday 17 Nov
    (dt.date(2025, 11, 18), dt.date(2025, 10, 1)),
])
def test_last_overdue_period(today, last):
    assert selectors.last_overdue_period(today) == last


@pytest.fixture
def billed(people):
    run_billing(SEP)
    run_billing(OCT)
    return people


def _today(monkeypatch, day):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: day)


def test_dashboard_counts_only_overdue_bills(client, billed, monkeypatch):
    user("op", "operator", "16.02")
    client.login(username="op", password=PASSWORD)
    # 10 Nov 2025: September overdue (15 Oct), October not yet (17 Nov)
    _today(monkeypatch, dt.date(2025, 11, 10))
    page = client.get("/iuran/")
    n = len(selectors.arrears_list("16.02", SEP, limit=None))
    assert n and page.context["in_arrears"] == n
    assert page.context["not_due"] == 3  # the October lines, unpaid, not yet due
    text = page.content.decode()
    assert "belum jatuh tempo" in text
    row = {s.run.period: s for s in page.context["summaries"]}
    assert row[OCT].state == "not_due" and row[SEP].state == "overdue"
    # 14 Oct 2025: nothing is overdue yet (September is due on the 15th)
    _today(monkeypatch, dt.date(2025, 10, 14))
    page = client.get("/iuran/")
    assert page.context["in_arrears"] == 0


def test_arrears_page_and_invoice_status(client, billed, monkeypatch):
    user("op", "operator", "16.02")
    client.login(username="op", password=PASSWORD)
    _today(monkeypatch, dt.date(2025, 11, 10))
    page = client.get("/iuran/tunggakan/")
    assert page.context["month"] == SEP
    assert all(r["months"] == 1 for r in page.context["rows"])  # September only
    inv = Invoice.objects.filter(period=OCT).first()
    text = client.get(f"/iuran/faktur/{inv.pk}/").content.decode()
    assert "Belum jatuh tempo" in text


def test_api_arrears_default_and_cap_at_the_last_overdue_month(client, billed, monkeypatch):
    user("operator", "operator", "16.02")
    op = bearer(client, "operator")
    _today(monkeypatch, dt.date(2025, 11, 10))
    default = client.get("/api/v1/premiums/arrears", **op).json()
    asked = client.get("/api/v1/premiums/arrears", {"month": "2025-10"}, **op).json()
    want = selectors.arrears_list("16.02", SEP, limit=None)
    assert default["count"] == asked["count"] == len(want)
    assert {r["months"] for r in asked["items"]} == {1}
