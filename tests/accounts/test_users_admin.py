"""Admins manage users inside their area; every permission change is audited."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from jamsos.api.models import ApiToken
from jamsos.audit.models import AuditEvent
from tests.factories import PASSWORD, user

pytestmark = pytest.mark.django_db


def test_admin_creates_changes_and_deactivates_a_user(client):
    user("boss", "admin", "16.02")
    client.login(username="boss", password=PASSWORD)
    made = client.post(reverse("accounts:users"), {"username": "kades.x", "role": "kepala_desa",
                                                   "area": "16.02.13.2005",
                                                   "password": "Sandi-Kuat-Sekali-1"})
    assert made.status_code == 302
    target = get_user_model().objects.get(username="kades.x")
    ApiToken.objects.create(user=target, key_hash="x" * 64, expires_at="2999-01-01T00:00Z")
    client.post(reverse("accounts:user_change", args=[target.pk]),
                {"action": "change", "role": "camat", "area": "16.02.13"})
    target.profile.refresh_from_db()
    assert (target.profile.role, target.profile.area_id) == ("camat", "16.02.13")
    assert not ApiToken.objects.filter(user=target).exists()
    client.post(reverse("accounts:user_change", args=[target.pk]), {"action": "deactivate"})
    target.refresh_from_db()
    assert not target.is_active
    changes = list(AuditEvent.objects.filter(action="permission_change", object_id=str(target.pk))
                   .values_list("changes", flat=True))
    assert {"role": ["kepala_desa", "camat"], "area": ["16.02.13.2005", "16.02.13"]} in changes
    assert {"is_active": [True, False]} in changes


def test_a_kecamatan_admin_cannot_hand_out_rights_elsewhere(client):
    user("boss", "admin", "16.02.13")
    other = user("far", "kepala_desa", "16.02.02.2001")
    client.login(username="boss", password=PASSWORD)
    client.post(reverse("accounts:users"), {"username": "y", "role": "admin", "area": "16.02",
                                            "password": "Sandi-Kuat-Sekali-1"})
    assert not get_user_model().objects.filter(username="y").exists()
    assert client.post(reverse("accounts:user_change", args=[other.pk]),
                       {"action": "deactivate"}).status_code == 404
    assert client.get(reverse("accounts:users")).status_code == 200


def test_non_admins_cannot_manage_users(client):
    user("op", "operator", "16.02")
    client.login(username="op", password=PASSWORD)
    assert client.get(reverse("accounts:users")).status_code == 403
