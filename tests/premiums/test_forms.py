"""Premium forms (issue 13 item 5, issue 12): a payment or correction refused shows every
error at once on the invoice page, input kept, with the same fields and messages the API
answers for the same input."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from jamsos.premiums.models import Payment
from tests.api.test_domain_api import post
from tests.api.test_premiums_api_writes import invoices, op, people  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def _web(page) -> list[tuple[str, str]]:
    form = page.context["pay_form"] or page.context["adj_form"]
    return [(f, m) for f, msgs in form.errors.items() for m in msgs]


def _api(reply) -> list[tuple[str, str]]:
    assert reply.status_code == 422, reply.content
    return [(e["field"], e["detail"]) for e in reply.json()["errors"]]


def test_payment_errors_all_at_once_and_as_the_api(client, invoices, op):  # noqa: F811
    apbd = invoices["apbd"]
    bad = {"amount": 1_000_000_000, "paid_on": "2025-08-01", "reference": ""}
    client.force_login(get_user_model().objects.get(username="op"))
    page = client.post(reverse("premiums:pay", args=[apbd.pk]),
                       {k: str(v) for k, v in bad.items()})
    html = page.content.decode()
    assert page.status_code == 200 and "Ada masalah" in html
    for anchor in ("amount", "paid_on", "reference"):
        assert f'href="#{anchor}"' in html
    assert 'value="2025-08-01"' in html
    web = _web(page)
    assert [f for f, _m in web] == ["amount", "paid_on", "reference"]
    api = _api(post(client, f"/api/v1/premiums/invoices/{apbd.pk}/payments", bad, op))
    assert api == web
    assert not Payment.objects.exists()


def test_adjustment_errors_as_the_api(client, invoices, op):  # noqa: F811
    apbd = invoices["apbd"]
    client.force_login(get_user_model().objects.get(username="op"))
    page = client.post(reverse("premiums:adjust", args=[apbd.pk]), {"amount": "0",
                                                                     "reason": " "})
    assert 'href="#adj-amount"' in page.content.decode()
    api = _api(post(client, f"/api/v1/premiums/invoices/{apbd.pk}/adjustments",
                    {"amount": 0, "reason": " "}, op))
    assert api == _web(page) and len(api) == 2


def test_reconciliation_upload_reports_file_and_month_together(client, invoices, op):  # noqa: F811
    client.force_login(get_user_model().objects.get(username="op"))
    page = client.post(reverse("premiums:reconciliations"), {"period": "09-2025"})
    html = page.content.decode()
    assert 'href="#file"' in html and 'href="#period"' in html and 'value="09-2025"' in html
