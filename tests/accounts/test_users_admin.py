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


def _create_cli(username, role, area, password="Sandi-Yang-Kuat-2025"):
    import io
    import sys

    from django.core.management import call_command
    from django.core.management.base import CommandError

    stdin, sys.stdin = sys.stdin, io.StringIO(password + "\n")
    try:
        call_command("users_create", username, role=role, area=area, stdout=io.StringIO())
    except CommandError as exc:
        return str(exc)
    finally:
        sys.stdin = stdin
    return None


@pytest.mark.parametrize(("username", "role", "area", "password", "message"), [
    ('=HYPERLINK("http://x";"klik")', "camat", "16.02.17", None, "Nama pengguna"),
    ("<img src=x onerror=alert(1)>", "camat", "16.02.17", None, "Nama pengguna"),
    ("+62812", "camat", "16.02.17", None, "Nama pengguna"),
    ("kades.x", "kepala_desa", "16.02", None, "desa"),
    ("camat.x", "camat", "16.02.13.2005", None, "kecamatan"),
    ("bupati.x", "pimpinan", "16.02.13", None, "kabupaten"),
    ("op.x", "operator", "16.01", None, "di luar wilayah"),
    ("op.x", "operator", "16.02", "password123", "Kata sandi ditolak"),
    ("op.x", "operator", "16.02", "1234567890123", "Kata sandi ditolak"),
])
def test_users_create_refuses_with_one_clear_line(username, role, area, password, message):
    """Issue 15 (Low): users create accepted these; the web form refuses them too."""
    from jamsos.regions.models import Region

    Region.objects.get_or_create(code="16.01", defaults={"level": "kabupaten", "name": "OKU"})
    error = _create_cli(username, role, area, password or "Sandi-Yang-Kuat-2025")
    assert error is not None and message in error and "\n" not in error
    assert not get_user_model().objects.filter(username=username).exists()


def test_users_create_refuses_a_duplicate_without_a_traceback():
    assert _create_cli("camat.jejawi", "camat", "16.02.17") is None
    error = _create_cli("camat.jejawi", "camat", "16.02.17")
    assert error == "Nama pengguna sudah dipakai: camat.jejawi"
    assert _create_cli("Camat.Jejawi", "camat", "16.02.17") is not None


@pytest.mark.parametrize(("username", "role", "area"), [
    ('=HYPERLINK("http://x";"klik")', "camat", "16.02.13"),
    ("<img src=x>", "camat", "16.02.13"),
    ("kades.y", "kepala_desa", "16.02.13"),
])
def test_web_form_refuses_bad_usernames_and_levels(client, username, role, area):
    user("boss", "admin", "16.02")
    client.login(username="boss", password=PASSWORD)
    page = client.post(reverse("accounts:users"), {"username": username, "role": role,
                                                   "area": area,
                                                   "password": "Sandi-Kuat-Sekali-1"},
                       follow=True)
    assert page.status_code == 200
    assert not get_user_model().objects.filter(username=username).exists()


def test_the_new_user_form_reports_every_error_at_once(client):
    """Issue 13 item 5: username, area and password refused together, the input kept."""
    user("boss", "admin", "16.02.13")
    client.login(username="boss", password=PASSWORD)
    page = client.post(reverse("accounts:users"), {
        "username": "<b>x</b>", "role": "kepala_desa", "area": "16.02.02.2001",
        "email": "bukan-email", "password": "password123"})
    assert page.status_code == 200
    errors = page.context["form"].errors
    assert set(errors) == {"username", "area", "email", "password"}
    html = page.content.decode()
    summary = html.split('class="error-summary"')[1].split("</div>")[0]
    for field in errors:
        assert f'href="#id_{field}"' in summary
    assert 'value="16.02.02.2001"' in html  # input kept
    assert not get_user_model().objects.filter(username="<b>x</b>").exists()


def test_the_service_refuses_every_field_together():
    from django.core.exceptions import ValidationError

    from jamsos.accounts.services import create_user

    with pytest.raises(ValidationError) as caught:
        create_user(username="=x", role="camat", area_code="16.02.13.2005",
                    password="123", actor=None)
    assert set(caught.value.message_dict) == {"username", "area", "password"}
