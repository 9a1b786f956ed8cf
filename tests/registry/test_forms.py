"""Registry forms (issue 13 item 5, issue 12): every error at once in the summary and at the
field, the input kept; the web page and the API refuse a bad change the same way."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jamsos.registry.models import Person, Target
from tests.api.test_domain_api import bearer, post
from tests.factories import PEOPLE, TEBING_SULUH, import_rows, user

pytestmark = pytest.mark.django_db


@pytest.fixture
def budi():
    import_rows(*PEOPLE)
    return Person.objects.get(nik="1602131708850001")


def _post(person, **over):
    data = {"nik": person.nik, "name": person.name, "sex": person.sex,
            "birth_date": person.birth_date.isoformat(), "desa_id": person.desa_id,
            "phone": "", "kpj": ""}
    return {**data, **over}


def test_person_edit_reports_every_error_and_keeps_the_input(client, budi):
    client.force_login(user("kades", "kepala_desa", TEBING_SULUH))
    page = client.post(reverse("registry:person", args=[budi.pk]),
                       _post(budi, name="", nik="123", desa_id="99.99"))
    html = page.content.decode()
    assert page.status_code == 200 and "Ada masalah" in html
    for anchor in ("f-nik", "f-name", "f-desa"):
        assert f'href="#{anchor}"' in html
    assert 'value="99.99"' in html
    budi.refresh_from_db()
    assert budi.name == "Budi Santoso"


def test_web_and_api_refuse_a_bad_person_change_alike(client, budi):
    client.force_login(user("kades", "kepala_desa", TEBING_SULUH))
    page = client.post(reverse("registry:person", args=[budi.pk]), _post(budi, nik="123"))
    web = {f: " ".join(m) for f, m in page.context["form"].errors.items()}
    reply = post(client, f"/api/v1/people/{budi.pk}", {"nik": "123"}, bearer(client, "kades"),
                 method="patch")
    assert reply.status_code == 422
    assert {reply.json()["field"]: reply.json()["detail"]} == web


def test_end_role_errors_at_the_row(client, budi):
    client.force_login(user("kades", "kepala_desa", TEBING_SULUH))
    role = budi.enrolments.get()
    page = client.post(reverse("registry:person", args=[budi.pk]),
                       {"action": "end", "enrolment": role.pk, "end_date": "1990-01-01",
                        "reason": ""})
    html = page.content.decode()
    assert f'href="#end-end-date-{role.pk}"' in html and f'href="#end-reason-{role.pk}"' in html
    role.refresh_from_db()
    assert role.end_date is None


def test_targets_save_nothing_when_one_is_wrong(client, budi):
    client.force_login(user("op", "operator", "16.02"))
    page = client.post(reverse("registry:targets") + "?wilayah=16.02",
                       {"non_asn": "1200", "perangkat_desa": "banyak"})
    html = page.content.decode()
    assert "Ada masalah" in html and 'href="#t-perangkat_desa"' in html and 'value="banyak"' in html
    assert not Target.objects.exists()
