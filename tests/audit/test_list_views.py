"""Issue 15, finding 5: a page of named people shown unmasked is audited once per page (the
list, its filters and how many rows), on the web and through the API; masked views are not."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jamsos.audit.models import AuditEvent
from tests.factories import PASSWORD, PEOPLE, import_rows, user

pytestmark = pytest.mark.django_db


def views():
    return list(AuditEvent.objects.filter(action="view_personal_list").order_by("id"))


@pytest.fixture
def people():
    import_rows(*PEOPLE)


def test_the_registry_list_page_is_audited_once_per_page(client, people):
    user("op", "operator", "16.02")
    assert client.login(username="op", password=PASSWORD)
    assert client.get(reverse("registry:people"), {"q": "a"}).status_code == 200
    [event] = views()
    assert event.object_type == "person_list" and event.actor_name == "op"
    assert event.changes["count"] == [None, 3]
    assert event.changes["filters"][1]["q"] == "a"


def test_an_api_page_of_people_is_audited_with_its_paging(client, people):
    user("op", "operator", "16.02")
    token = client.post("/api/v1/auth/token", {"username": "op", "password": PASSWORD},
                        content_type="application/json").json()["token"]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    response = client.get("/api/v1/people", {"limit": 2, "offset": 1}, **auth)
    assert response.status_code == 200 and len(response.json()["items"]) == 2
    [event] = views()
    assert event.changes["count"] == [None, 2]
    assert event.changes["filters"][1]["limit"] == "2"
    assert event.changes["filters"][1]["offset"] == "1"


def test_masked_lists_are_not_recorded_as_personal_views(client, people):
    user("aud", "auditor", "16.02")
    assert client.login(username="aud", password=PASSWORD)
    assert client.get(reverse("registry:people")).status_code == 200
    assert views() == []


def test_the_claims_list_is_audited_when_it_shows_someone(client):
    import datetime as dt

    from jamsos.claims import services
    from tests.claims.helpers import workers

    people = workers()
    op = user("op", "operator", "16.02")
    assert client.login(username="op", password=PASSWORD)
    assert client.get(reverse("claims:list")).status_code == 200
    assert views() == []  # nothing shown: nothing recorded
    services.create_claim(person=people["ahmad"], program="jkk", event="work_accident",
                          event_date=dt.date(2025, 3, 5), user=op,
                          reported_on=dt.date(2025, 3, 5))
    assert client.get(reverse("claims:list"), {"program": "jkk"}).status_code == 200
    [event] = views()
    assert event.object_type == "claim_list" and event.changes["count"] == [None, 1]
    assert event.changes["filters"][1]["program"] == "jkk"


def test_premium_lists_are_audited_on_the_web_and_through_the_api(client, people):
    """Invoice lines and arrears (web and API): one event per page shown unmasked."""
    import datetime as dt

    from jamsos.premiums.models import Invoice
    from jamsos.premiums.services import run_billing

    op = user("op", "operator", "16.02")
    run_billing(period=dt.date(2025, 9, 1), user=op)
    invoice = Invoice.objects.filter(lines__isnull=False).distinct().first()
    assert client.login(username="op", password=PASSWORD)
    assert client.get(reverse("premiums:invoice", args=[invoice.pk])).status_code == 200
    [event] = views()
    assert event.object_type == "invoice_lines" and event.changes["count"][1] >= 1
    token = client.post("/api/v1/auth/token", {"username": "op", "password": PASSWORD},
                        content_type="application/json").json()["token"]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert client.get(f"/api/v1/premiums/invoices/{invoice.pk}", **auth).status_code == 200
    assert [e.object_type for e in views()] == ["invoice_lines", "invoice_lines"]
