"""Each role's own start page, with the figures read back from the records."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jamsos.claims.selectors import claim_report
from jamsos.core.dates import date_text
from jamsos.core.numbers import rupiah_short as rupiah_short_text
from jamsos.coverage.selectors import coverage_by_category, programme_start
from jamsos.santunan.models import Case, Status
from tests.factories import PASSWORD
from tests.web import homes_demo

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(module_transaction):
    """Built once for the module; each test's changes are rolled back after it."""
    return homes_demo.build()


def home(username: str) -> str:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    page = client.get(reverse("web:home"))
    assert page.status_code == 200
    return page.content.decode()


def text(html: str, element_id: str) -> str:
    found = re.search(rf'id="{element_id}"[^>]*>(.*?)</', html, re.S)
    assert found, element_id
    return re.sub(r"<[^>]+>", "", found.group(1)).strip()


def test_the_leader_sees_the_launch_figures_without_typing_anything(demo):
    html = home("bupati")
    # The launch figures (Jan–Aug 2025) are every claim since the programme began.
    launch = claim_report("16.02", dt.date(2025, 1, 1), dt.date(2025, 8, 31))
    assert (launch.claims, launch.scholarship_children) == (660, 6)
    since = claim_report("16.02", programme_start(), timezone.localdate())
    assert (since.claims, since.amount) == (launch.claims, launch.amount)
    assert text(html, "claims-all-n") == "660"
    assert rupiah_short_text(launch.amount) == "Rp 8,33 miliar"
    assert "Rp 8,33 miliar" in html and 'title="Rp 8.330.000.000"' in html
    assert text(html, "scholarship-children") == "6"
    assert "Rp 522 juta" in html and 'title="Rp 522.000.000"' in html
    total = coverage_by_category()[-1]
    assert text(html, "total-covered") == f"{total.covered:,}".replace(",", ".")
    assert 'id="data-per"' in html
    # The trend since the programme began and the map of the 18 kecamatan, linked to desa maps.
    assert '<svg viewBox="0 0 640 260" role="img"' in html and 'class="line"' in html
    kecamatan = re.findall(r'<a href="/cakupan/\?wilayah=(16\.02\.\d\d)"><path class="m\d"',
                           html)
    assert len(kecamatan) == 18
    assert f"{dt.date.today().year}" in text(html, "claims-year")


def test_the_map_drills_down_to_the_desa_of_a_kecamatan(demo):
    client = Client()
    assert client.login(username="bupati", password=PASSWORD)
    page = client.get(reverse("coverage:dashboard"), {"wilayah": "16.02.13"}).content.decode()
    desa = re.findall(r'<path class="m\d" d="[^"]+" data-code="(16\.02\.13\.\d{4})"', page)
    assert len(desa) >= 10 and all(d.startswith("16.02.13.") for d in desa)


def test_the_kepala_desa_sees_what_needs_doing(demo):
    html = home("kades.tebingsuluh")
    drafts = Case.objects.filter(desa_id="16.02.13.2005", status=Status.DRAFT)
    assert drafts.exists()
    tasks = re.findall(r'<li class="task[^"]*">', html)
    assert text(html, "todo-title") == f"Perlu tindakan ({len(tasks)})"
    for case in drafts:
        assert case.number in html
    assert 'id="last-import"' in html and 'href="/santunan/baru/"' in html
    assert len(html.encode()) < 20_000  # light for a village phone


def test_the_verifikator_sees_the_sla_countdown(demo):
    html = home("dinsos")
    running = Case.objects.filter(status__in=[Status.VERIFIED, Status.APPROVED])
    assert running.exists()
    for case in running:
        assert case.number in text(html, "sla-queue") or case.number in html
    assert "terlambat" in html


@pytest.mark.parametrize("username", ["camat.lempuing", "operator", "bpjs", "auditor", "admin"])
def test_every_other_role_has_its_own_home(demo, username):
    html = home(username)
    assert 'id="data-per"' in html


@pytest.mark.parametrize("url", ["claims:report", "santunan:report", "premiums:budget",
                                 "premiums:dashboard", "coverage:dashboard"])
def test_every_dashboard_says_when_its_data_was_read(demo, url):
    client = Client()
    assert client.login(username="bupati", password=PASSWORD)
    page = client.get(reverse(url)).content.decode()
    assert 'id="data-per"' in page and "Data per" in page


def test_the_claims_report_starts_when_the_programme_began(demo):
    client = Client()
    assert client.login(username="bupati", password=PASSWORD)
    page = client.get(reverse("claims:report")).content.decode()
    assert 'id="n-claims">660<' in page
    assert '<span class="rp-short">Rp 8,33 miliar</span>' in page
    assert 'title="Rp 8.330.000.000"' in page
    assert text(page, "report-period").startswith(f"Periode: {date_text(programme_start())} –")
