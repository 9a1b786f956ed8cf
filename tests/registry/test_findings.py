"""Double-enrolment findings (issues 14 and 16): one page at a time, page and API, built from
the database; a province has tens of thousands of them."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from jamsos.registry import views
from tests.api.test_domain_api import bearer
from tests.factories import PASSWORD, TEBING_SULUH, ULAK_KAPAL, import_rows, user

pytestmark = pytest.mark.django_db


def doubles(n: int, desa: str = TEBING_SULUH, first: int = 1) -> list[str]:
    """``n`` people, each an RT head and a posyandu cadre (two open roles: one insured)."""
    rows = []
    for i in range(first, first + n):
        nik = f"{desa[:2]}{desa[3:5]}{desa[6:8]}1708850{i:03d}"
        rows += [f"{nik};Ganda {i:03d};L;17-08-1985;{desa};d;Ketua RT",
                 f"{nik};Ganda {i:03d};L;17-08-1985;{desa};c;Kader posyandu"]
    return rows


@pytest.fixture
def found():
    assert not import_rows(*doubles(5), *doubles(2, ULAK_KAPAL, first=50)).rejected
    user("op", "operator", "16.02")
    user("camat", "camat", "16.02.02")


def test_the_page_shows_one_page_with_the_count_and_links_to_the_next(client, found,
                                                                      monkeypatch):
    monkeypatch.setattr(views, "FINDINGS_PER_PAGE", 3)
    assert client.login(username="op", password=PASSWORD)
    url = reverse("registry:findings")
    first = client.get(url)
    html = first.content.decode()
    # By desa (Ulak Kapal's code comes first), then name.
    assert [p.name for p in first.context["people"]] == ["Ganda 050", "Ganda 051", "Ganda 001"]
    assert "7 orang" in html and "menampilkan 1–3" in html and 'href="?hal=2"' in html
    third = client.get(url, {"hal": "3"})
    assert [p.name for p in third.context["people"]] == ["Ganda 005"]
    assert 'href="?hal=4"' not in third.content.decode()
    assert client.get(url, {"hal": "99"}).context["number"] == 3  # past the end: the last
    assert client.get(url, {"hal": "x"}).context["number"] == 1


def test_the_api_builds_only_the_page_asked_for_in_the_users_area(client, found):
    auth = bearer(client, "op")
    page = client.get("/api/v1/findings/double-enrolments", {"limit": 2, "offset": 0}, **auth)
    body = page.json()
    assert page.status_code == 200 and body["count"] == 7 and body["count_exact"] is True
    assert len(body["items"]) == 2
    assert all(set(i["categories"]) == {"rt_rw", "kelembagaan_desa"} for i in body["items"])
    assert all(i["insured_category"] == "kelembagaan_desa" for i in body["items"])
    camat = Client()
    mine = camat.get("/api/v1/findings/double-enrolments", **bearer(camat, "camat")).json()
    assert mine["count"] == 2 and {i["name"] for i in mine["items"]} == {"Ganda 050", "Ganda 051"}
