"""User forms with the error summary (issue 13 item 5): creation and a change of access."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import user

pytestmark = pytest.mark.django_db


def test_user_create_error_at_the_field_input_kept(client):
    client.force_login(user("boss", "admin", "16.02"))
    page = client.post(reverse("accounts:users"), {"username": "kades baru", "role": "camat",
                                                   "area": "16.02.13", "password": "x"})
    html = page.content.decode()
    assert page.status_code == 200 and "Ada masalah" in html
    assert 'href="#id_username"' in html and 'value="kades baru"' in html


def test_change_of_access_refused_in_the_summary(client):
    client.force_login(user("boss", "admin", "16.02"))
    kades = user("kades", "kepala_desa", "16.02.13.2005")
    page = client.post(reverse("accounts:user_change", args=[kades.pk]),
                       {"action": "change", "role": "kepala_desa", "area": "99.99"})
    html = page.content.decode()
    assert page.status_code == 200 and f'href="#area-{kades.pk}"' in html
    assert 'value="99.99"' in html
    kades.profile.refresh_from_db()
    assert kades.profile.area_id == "16.02.13.2005"
