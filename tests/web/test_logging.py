"""What the server log shows: one line per request, without personal data, and no traceback
for an ordinary refusal."""

from __future__ import annotations

import contextlib
import io
import logging
import re

import pytest

from tests.factories import PASSWORD, PEOPLE, import_rows, user

LINE = re.compile(r"^(GET|POST|HEAD) \S+ \d{3} \d+ms user=(\d+|-)$")


@contextlib.contextmanager
def server_log():
    """What the console handler of the settings' LOGGING writes."""
    console = next(h for h in logging.getLogger().handlers
                   if any(type(f).__name__ == "NoTracebackForClientErrors" for f in h.filters))
    stream = io.StringIO()
    old = console.setStream(stream)
    try:
        yield stream
    finally:
        console.setStream(old)


@pytest.mark.django_db
def test_an_ordinary_403_is_one_line_without_a_traceback(client, oki_regions):
    kades = user("kades", "kepala_desa", "16.02.13.2005")
    client.login(username="kades", password=PASSWORD)
    with server_log() as log:
        assert client.get("/audit/").status_code == 403
    assert log.getvalue().splitlines() == [
        line for line in log.getvalue().splitlines() if LINE.match(line)]
    [line] = log.getvalue().splitlines()
    assert line.startswith("GET /audit/ 403 ") and line.endswith(f" user={kades.pk}")


@pytest.mark.django_db
def test_a_request_carrying_a_nik_or_a_name_logs_one_line_without_them(client, oki_regions):
    import_rows(*PEOPLE)
    op = user("op", "operator", "16.02")
    client.login(username="op", password=PASSWORD)
    from jamsos.registry.models import Person

    budi = Person.objects.get(nik="1602131708850001")
    with server_log() as log:
        assert client.get(f"/registri/orang/{budi.pk}/",
                          {"q": "Budi Santoso", "nik": "1602131708850001"}).status_code == 200
        assert client.get("/registri/orang/1602131708850001/Budi-Santoso/").status_code == 404
        client.logout()
        assert client.get("/api/v1/people", {"q": "Siti Aminah 1602135708900002"},
                          HTTP_AUTHORIZATION="Bearer salah").status_code == 401
    lines = log.getvalue().splitlines()
    assert len(lines) == 3 and all(LINE.match(line) for line in lines), lines
    text = log.getvalue()
    for secret in ("1602131708850001", "1602135708900002", "Budi", "Santoso", "Siti", "Aminah",
                   "0001", "0002", "q="):
        assert secret not in text, text
    assert lines[0].startswith("GET /registri/orang/<int:pk>/ 200 ")
    assert lines[0].endswith(f"user={op.pk}")
    assert lines[1].startswith("GET /registri/… 404 ")
    assert lines[2].startswith("GET /api/v1/people 401 ") and lines[2].endswith("user=-")
