"""Issue 15, finding 10: the documented production setup behind a TLS proxy works end to end
with ``jamsos serve`` — no redirect loop, HSTS sent, sign-in passes the CSRF origin check, and
the audit trail records the client's address from the proxy."""

from __future__ import annotations

import http.client
import re
import time
import urllib.parse

import pytest

from tests.web.test_serve import Served

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "rahasia-uji-123"


def request(served, method, path, *, headers=None, body=None):
    conn = http.client.HTTPConnection("127.0.0.1", served.port, timeout=15)
    conn.request(method, path, body=body, headers=headers or {})
    reply = conn.getresponse()
    return reply.status, dict(reply.getheaders()), reply.read().decode(errors="replace")


def wait_up(served):
    deadline = time.monotonic() + 90
    while True:
        try:
            return request(served, "GET", "/healthz")
        except OSError:
            assert served.proc.poll() is None, served.output()
            assert time.monotonic() < deadline, served.output()
            time.sleep(0.5)


@pytest.fixture
def behind_proxy(tmp_path, monkeypatch, oki_regions):
    monkeypatch.setenv("JAMSOS_PRODUCTION", "1")
    monkeypatch.setenv("JAMSOS_BEHIND_PROXY", "1")
    monkeypatch.setenv("JAMSOS_SECRET_KEY", "uji-" + "k3y-Acak-" * 8)
    monkeypatch.setenv("JAMSOS_ALLOWED_HOSTS", "jamsos.example.go.id,127.0.0.1")
    monkeypatch.setenv("JAMSOS_EMAIL", "file")
    served = Served(tmp_path, f"sqlite:///{tmp_path}/proxy.sqlite3", "--no-worker",
                    "--no-periodic")
    try:
        wait_up(served)
        yield served
    finally:
        served.kill()


def test_https_from_the_proxy_is_trusted_and_sign_in_works(behind_proxy):
    served = behind_proxy
    served.jamsos("users", "create", "op", "--role", "operator", "--area", "16.02",
                  stdin=PASSWORD + "\n")
    proxy = {"Host": "jamsos.example.go.id", "X-Forwarded-Proto": "https",
             "X-Forwarded-For": "203.0.113.7"}
    # Straight to the server without the proxy's word: redirected to HTTPS
    status, headers, _ = request(served, "GET", "/akun/masuk/",
                                 headers={"Host": "jamsos.example.go.id"})
    assert status == 301 and headers["Location"].startswith("https://")
    # Through the proxy: served, with HSTS (no redirect loop)
    status, headers, page = request(served, "GET", "/akun/masuk/", headers=proxy)
    assert status == 200, page[:300]
    assert "max-age=" in headers.get("Strict-Transport-Security", "")
    cookie = re.search(r"csrftoken=([^;]+)", headers["Set-Cookie"]).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": "op",
                                   "password": PASSWORD})
    status, headers, page = request(served, "POST", "/akun/masuk/", body=body, headers={
        **proxy, "Origin": "https://jamsos.example.go.id",
        "Referer": "https://jamsos.example.go.id/akun/masuk/",
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={cookie}"})
    assert status == 302, page[:500]  # signed in, not 403
    assert "sessionid=" in headers.get("Set-Cookie", "")
    log = served.jamsos("shell", "-c", "from jamsos.audit.models import AuditEvent; "
                        "print(AuditEvent.objects.filter(action='login').get().ip)")
    assert log.strip().splitlines()[-1] == "203.0.113.7"


def test_a_client_cannot_claim_https_unless_it_is_the_trusted_proxy(tmp_path, monkeypatch,
                                                                      behind_proxy):
    """The same request from an address that is not the configured proxy: its headers are
    dropped, so it is redirected to HTTPS like any plain request."""
    behind_proxy.kill()
    monkeypatch.setenv("JAMSOS_TRUSTED_PROXY", "192.0.2.10")  # documentation range, unused
    served = Served(tmp_path, f"sqlite:///{tmp_path}/proxy.sqlite3", "--no-worker",
                    "--no-periodic")
    try:
        wait_up(served)
        status, headers, _ = request(served, "GET", "/akun/masuk/", headers={
            "Host": "jamsos.example.go.id", "X-Forwarded-Proto": "https"})
        assert status == 301 and headers["Location"].startswith("https://")
    finally:
        served.kill()
