"""The santunan case page shows the regulation as "Ketentuan", never a news article, and says
what is unconfirmed (issue 11, item 6).  Sources belong in docs/santunan.md."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from jamsos.santunan.params import DataError, parse_scheme
from jamsos.santunan.selectors import scheme_for
from tests.factories import PASSWORD
from tests.santunan.conftest import make_case

pytestmark = pytest.mark.django_db

BASE = {"from": dt.date(2025, 9, 1), "amount": 1_000_000, "max_decile": 5, "sla_days": 7,
        "notify_day": 5, "documents": ["sktm"]}
DOCS = {"documents": {"sktm": "SKTM"}}


def test_the_regency_scheme_cites_only_the_regulation():
    v = scheme_for("16.02").in_force(dt.date(2025, 10, 1))
    assert v.citation == "Perbup OKI 17/2025 tentang Santunan Kematian"
    assert "Tribun" not in v.citation
    assert v.unconfirmed_parts  # what the full text would settle (regulations.md §7, §9.11)


@pytest.mark.parametrize("citation", [
    "Perbup OKI 17/2025; Tribun Sumsel 2 Sep 2025 (Kadinsos OKI)",
    "https://sumsel.tribunnews.com/…",
    "Tribun Sumsel 2 Sep 2025",
])
def test_a_citation_that_is_not_a_regulation_is_refused(citation):
    with pytest.raises(DataError):
        parse_scheme({**DOCS, "scheme": {"versions": [{**BASE, "citation": citation}]}})


def test_a_regulation_citation_is_accepted():
    s = parse_scheme({**DOCS, "scheme": {"versions": [
        {**BASE, "citation": "Perbup OKI 17/2025 tentang Santunan Kematian; Perda OKI 1/2026",
         "unconfirmed_parts": ["batas waktu pengajuan"]}]}})
    assert s.versions[0].unconfirmed_parts == ("batas waktu pengajuan",)


def test_case_page_shows_the_regulation_and_what_is_unconfirmed(people, users, extract):
    case = make_case(users)
    c = Client()
    assert c.login(username="dinsos", password=PASSWORD)
    page = c.get(f"/santunan/{case.pk}/").content.decode()
    assert "Ketentuan" in page and "Perbup OKI 17/2025 tentang Santunan Kematian" in page
    assert "Tribun" not in page
    assert "belum dikonfirmasi" in page
    assert "batas waktu pengajuan" in page
