"""Sign-in, throttling, the user command, production settings and logs."""

from __future__ import annotations

import io
import logging
import os
import subprocess
import sys

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from jamsos.accounts.models import Profile
from jamsos.audit.models import AuditEvent
from jamsos.web.logging import MaskPersonalData, mask_text
from tests.factories import PASSWORD, user

pytestmark = pytest.mark.django_db


def _sign_in(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password},
                       REMOTE_ADDR="10.1.2.3")


def test_sign_in_and_failures_are_audited_with_the_address(client):
    user("op", "operator", "16.02")
    assert _sign_in(client, "op", "salah-sandi").status_code == 200
    assert _sign_in(client, "op", PASSWORD).status_code == 302
    actions = list(AuditEvent.objects.values_list("action", "ip"))
    assert ("login_failed", "10.1.2.3") in actions and ("login", "10.1.2.3") in actions


def test_five_failures_lock_the_username_even_with_the_right_password(client):
    user("op", "operator", "16.02")
    for _ in range(5):
        _sign_in(client, "op", "salah-sandi")
    page = _sign_in(client, "op", PASSWORD)
    assert page.status_code == 200 and "Terlalu banyak percobaan" in page.content.decode()
    assert "_auth_user_id" not in client.session


def test_users_create_reads_the_password_from_stdin(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("Sandi-Yang-Kuat-2025\n"))
    call_command("users_create", "camat.jejawi", role="camat", area="16.02.17",
                 stdout=io.StringIO())
    made = get_user_model().objects.get(username="camat.jejawi")
    assert made.check_password("Sandi-Yang-Kuat-2025")
    assert (made.profile.role, made.profile.area_id) == ("camat", "16.02.17")
    assert AuditEvent.objects.filter(action="permission_change", object_type="user").exists()


@pytest.mark.parametrize(("password", "area", "message"), [
    ("pendek", "16.02.17", "Kata sandi ditolak"),
    ("Sandi-Yang-Kuat-2025", "99.99", "Kode wilayah tidak dikenal"),
])
def test_users_create_refuses_weak_passwords_and_unknown_areas(monkeypatch, password, area,
                                                                message):
    monkeypatch.setattr(sys, "stdin", io.StringIO(password + "\n"))
    with pytest.raises(CommandError, match=message):
        call_command("users_create", "x", role="camat", area=area, stdout=io.StringIO())
    assert not Profile.objects.exists()


def test_production_settings_pass_the_deploy_check(tmp_path):
    env = {**os.environ, "JAMSOS_PRODUCTION": "1", "JAMSOS_DATA_DIR": str(tmp_path),
           "JAMSOS_SECRET_KEY": "k" * 20 + "Zq8#x!vT2@pL9$wR4^mN7&bH5*cJ3(fG6)dS1",
           "JAMSOS_ALLOWED_HOSTS": "jamsos.oganilir.example"}
    env.pop("DATABASE_URL", None)
    run = subprocess.run([sys.executable, "-m", "jamsos.cli", "check", "--deploy",
                          "--fail-level", "WARNING"], env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    env.pop("JAMSOS_SECRET_KEY")
    run = subprocess.run([sys.executable, "-m", "jamsos.cli", "check"], env=env,
                         capture_output=True, text=True)
    assert run.returncode != 0 and "JAMSOS_SECRET_KEY" in run.stderr


def test_logs_never_carry_a_nik():
    assert mask_text("NIK 1602131708850001 ditolak") == "NIK 1602********0001 ditolak"
    record = logging.LogRecord("x", logging.WARNING, __file__, 1, "gagal untuk %s",
                               ("1602131708850001",), None)
    MaskPersonalData().filter(record)
    assert "1602131708850001" not in record.getMessage()


@pytest.mark.parametrize("key", ["kunci-pendek", "a" * 60, "django-insecure-" + "x1y2z3" * 10])
def test_production_refuses_to_start_with_a_weak_secret_key(tmp_path, key):
    """Issue 15 (Low): a weak key was only a warning of ``check --deploy``."""
    env = {**os.environ, "JAMSOS_PRODUCTION": "1", "JAMSOS_DATA_DIR": str(tmp_path),
           "JAMSOS_SECRET_KEY": key, "JAMSOS_ALLOWED_HOSTS": "jamsos.oganilir.example"}
    env.pop("DATABASE_URL", None)
    run = subprocess.run([sys.executable, "-m", "jamsos.cli", "check"], env=env,
                         capture_output=True, text=True)
    assert run.returncode != 0 and "JAMSOS_SECRET_KEY" in run.stderr
    assert "ImproperlyConfigured" in run.stderr


# --- Issue 15 (Low): a shared office address does not lock out the right password ---------

def _fail_from_office(client, times=20):
    for n in range(times):
        _sign_in(client, f"orang{n % 7}", "salah-sandi")  # several users behind one NAT


def test_failures_from_one_address_do_not_lock_out_a_right_password(client):
    user("op", "operator", "16.02")
    _fail_from_office(client)
    page = _sign_in(client, "op", PASSWORD)
    assert page.status_code == 302 and "_auth_user_id" in client.session


def test_failures_from_one_address_still_throttle_wrong_passwords_and_say_how_long(client):
    user("op", "operator", "16.02")
    _fail_from_office(client)
    page = _sign_in(client, "op", "salah-lagi").content.decode()
    assert "Terlalu banyak percobaan masuk yang gagal dari alamat ini" in page
    assert "15 menit" in page


def test_a_locked_username_is_told_how_it_is_lifted(client):
    user("op", "operator", "16.02")
    for _ in range(5):
        _sign_in(client, "op", "salah-sandi")
    page = _sign_in(client, "op", PASSWORD).content.decode()
    assert "15 menit" in page and "administrator" in page


def test_users_unlock_lifts_a_username_lock(client):
    user("op", "operator", "16.02")
    for _ in range(5):
        _sign_in(client, "op", "salah-sandi")
    out = io.StringIO()
    call_command("users_unlock", "op", stdout=out)
    assert "5" in out.getvalue()
    assert _sign_in(client, "op", PASSWORD).status_code == 302
    assert AuditEvent.objects.filter(action="login_unlocked").exists()


def test_users_unlock_lifts_an_address_lock(client):
    user("op", "operator", "16.02")
    _fail_from_office(client)
    call_command("users_unlock", "--address", "10.1.2.3", stdout=io.StringIO())
    page = _sign_in(client, "op", "salah-lagi").content.decode()
    assert "Terlalu banyak" not in page


def test_users_unlock_refuses_an_unknown_username():
    with pytest.raises(CommandError, match="tidak dikenal"):
        call_command("users_unlock", "siapa", stdout=io.StringIO())


@pytest.mark.django_db
def test_a_wrong_password_says_so_plainly_and_keeps_the_username(client):
    """Issue 13 (login): one plain sentence, the username kept, where to get help."""
    from django.urls import reverse

    from tests.factories import user

    user("kades", "kepala_desa", "16.02.13.2005")
    page = client.post(reverse("accounts:login"), {"username": "kades", "password": "salah"})
    text = page.content.decode()
    assert "Nama pengguna atau kata sandi salah" in text
    assert "nama pengguna nama pengguna" not in text.lower()
    assert 'value="kades"' in text and "administrator jamsos" in text
