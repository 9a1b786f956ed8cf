"""Password reset links (issue 13 item 8): issued by an admin (web or CLI), single use, valid
24 h, audited (who issued, who used); using one sets a validated password and ends the user's
API tokens and sessions; e-mailed when the user has an address."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from jamsos.accounts import resets
from jamsos.accounts.models import ResetLink
from jamsos.api.models import ApiToken
from jamsos.audit.models import AuditEvent
from tests.factories import PASSWORD, user

pytestmark = pytest.mark.django_db
NEW = "Sawah-Hijau-Lempuing-7"


class Mailer:
    def __init__(self):
        self.sent = []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def send_messages(self, messages):
        self.sent.extend(messages)


def _path(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def test_admin_issues_a_link_the_user_sets_a_password_once(client, monkeypatch):
    mailer = Mailer()
    monkeypatch.setattr(resets, "mailers", type("M", (), {"default": mailer}))
    user("boss", "admin", "16.02")
    kades = user("kades", "kepala_desa", "16.02.13.2005")
    kades.email = "kades@example.org"
    kades.save()
    ApiToken.objects.create(user=kades, key_hash="k" * 64, expires_at="2999-01-01T00:00Z")
    other = client.__class__()
    other.login(username="kades", password=PASSWORD)  # a session the reset must end
    client.login(username="boss", password=PASSWORD)
    page = client.post(reverse("accounts:user_reset_link", args=[kades.pk]))
    url = re.search(r'id="reset-url" aria-label="[^"]*" style="[^"]*"|value="(http[^"]+)"',
                    page.content.decode()).group(1)
    assert "/akun/" in url or "sandi-baru" in url
    assert len(mailer.sent) == 1 and url in mailer.sent[0].body
    issued = AuditEvent.objects.get(action="reset_link_issued")
    assert issued.actor.username == "boss" and issued.object_id == str(kades.pk)
    client.logout()
    form = client.get(_path(url))
    assert form.status_code == 200 and "Kata sandi baru" in form.content.decode()
    weak = client.post(_path(url), {"new_password1": "123", "new_password2": "123"})
    assert "Ada masalah" in weak.content.decode() and 'href="#id_new_password2"' in \
        weak.content.decode()
    done = client.post(_path(url), {"new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302
    kades.refresh_from_db()
    assert kades.check_password(NEW)
    assert not ApiToken.objects.filter(user=kades).exists()
    assert other.get(reverse("web:home")).status_code == 302  # the old session has ended
    used = AuditEvent.objects.get(action="password_reset")
    assert used.actor_id == kades.pk and used.changes["issued_by"][0] == "boss"
    again = client.get(_path(url))
    assert again.status_code == 404 and "reset-invalid" in again.content.decode()


def test_a_link_expires_and_a_new_link_replaces_the_old():
    kades = user("kades", "kepala_desa", "16.02.13.2005")
    first, _ = resets.issue(kades, source="cli")
    second, _ = resets.issue(kades, source="cli")
    secret = lambda url: url.rstrip("/").rsplit("/", 1)[1]  # noqa: E731
    assert resets.find(secret(first)) is None and resets.find(secret(second)) is not None
    later = timezone.now() + dt.timedelta(hours=25)
    assert resets.find(secret(second), now=later) is None
    with pytest.raises(LookupError):
        resets.use(secret(second), NEW, now=later)


def test_only_an_admin_over_the_users_area_issues_links(client):
    user("camat", "camat", "16.02.13")
    kades = user("kades", "kepala_desa", "16.02.13.2005")
    client.login(username="camat", password=PASSWORD)
    assert client.post(reverse("accounts:user_reset_link", args=[kades.pk])).status_code == 403
    assert not ResetLink.objects.exists()


def test_cli_prints_the_link():
    kades = user("kades", "kepala_desa", "16.02.13.2005")
    out, err = io.StringIO(), io.StringIO()
    call_command("users_reset_link", "kades", "--base-url", "https://jamsos.example",
                 stdout=out, stderr=err)
    url = out.getvalue().strip()
    assert url.startswith("https://jamsos.example/") and "sekali pakai" in err.getvalue()
    link = ResetLink.objects.get(user=kades)
    assert link.issued_by is None and link.issued_by_name == "cli"
    assert AuditEvent.objects.filter(action="reset_link_issued", source="cli").exists()
    assert get_user_model().objects.get(pk=kades.pk).check_password(PASSWORD)


def test_login_page_explains_the_reset_path(client):
    html = client.get(reverse("accounts:login")).content.decode()
    assert "Lupa sandi? Hubungi admin" in html
