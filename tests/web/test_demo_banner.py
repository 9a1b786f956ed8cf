"""The demo banner (issue 16): every page of a demo database says its data are synthetic; a
province demo names the synthetic kabupaten/kota and their scale. No banner otherwise."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import PASSWORD, user

pytestmark = pytest.mark.django_db


def banner(client) -> str | None:
    user("u", "pimpinan", "16.02")
    assert client.login(username="u", password=PASSWORD)
    body = client.get(reverse("web:home")).content.decode()
    found = re.search(r'<div class="demo-banner" role="note">(.*?)</div>', body, re.S)
    return found.group(1) if found else None


def test_no_banner_outside_a_demo(settings, client):
    settings.JAMSOS_DEMO = {}
    assert banner(client) is None


def test_the_kabupaten_demo_says_its_data_are_synthetic(settings, client):
    settings.JAMSOS_DEMO = {"area": "16.02", "synthetic": [], "per_regency": 0}
    text = banner(client)
    assert text and "sintetis" in text and "kabupaten/kota lain" not in text


def test_the_province_demo_names_the_synthetic_regencies_and_their_scale(settings, client):
    settings.JAMSOS_DEMO = {"area": "16", "synthetic": ["16.01", "16.03", "16.04"],
                            "per_regency": 2500}
    text = banner(client)
    assert text and "3 kabupaten/kota lain" in text and "2.500" in text
    assert "Ogan Komering Ilir" in text


def test_the_banner_in_english(settings, client):
    settings.JAMSOS_DEMO = {"area": "16", "synthetic": ["16.01"], "per_regency": 300}
    with translation.override("en"):
        from jamsos.web.context_processors import demo_banner

        assert demo_banner().startswith("Province demo: all data are synthetic.")
