"""Issue 15 (low): a proposal can name any NIK, so the desa and kecamatan see whether each
eligibility check passes, not the household's DTSEN decile, and not the BPJS record of a
registered person of another area; Dinas Sosial sees everything."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import PASSWORD, ULAK_KAPAL
from tests.santunan.conftest import KK, TODAY, advance, make_case

pytestmark = pytest.mark.django_db
AHMAD = "1602021708800003"  # registered, lives in Ulak Kapal (another kecamatan), perangkat desa


@pytest.fixture
def case(people, users, extract):
    from jamsos.dtsen.importing import import_extract

    import_extract(f"NIK;No KK;Desil\n{AHMAD};{KK};3".encode(), "d2.csv",
                   valid_from=TODAY.replace(month=2), today=TODAY)
    c = make_case(users, deceased_nik=AHMAD, deceased_name="Ahmad Fauzi")
    return advance(c, users, "submitted")


def page(client, username, case) -> str:
    assert client.login(username=username, password=PASSWORD)
    response = client.get(reverse("santunan:detail", args=[case.pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("who", ["kades", "camat"])
def test_the_desa_and_kecamatan_see_pass_or_fail_without_the_decile(client, case, who):
    text = page(client, who, case)
    assert 'data-check="dtsen"' in text and "memenuhi syarat" in text
    assert "Desil DTSEN" not in text and "desil 1–" not in text.lower()
    assert 'id="insured"' not in text  # Ahmad's roles belong to Ulak Kapal
    assert case.person.desa_id == ULAK_KAPAL


def test_dinas_sosial_sees_the_decile_and_the_insurance_record(client, case, users):
    from jamsos.santunan import services

    case = services.transition(case.pk, action="forward", user=users["camat"],
                               expected="submitted", today=TODAY)
    text = page(client, "dinsos", case)
    assert "Desil DTSEN 3" in text and 'id="insured"' in text


def test_the_api_gives_the_desa_no_decile(client, case):
    token = client.post("/api/v1/auth/token", {"username": "kades", "password": PASSWORD},
                        content_type="application/json").json()["token"]
    body = client.get(f"/api/v1/santunan/cases/{case.pk}",
                      HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert body["decile"] is None
    assert all("Desil" not in c["message"] for c in body["checks"])

