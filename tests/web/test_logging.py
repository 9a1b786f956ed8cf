"""What the server log shows: one line for an ordinary refusal, no traceback."""

from __future__ import annotations

import io
import logging

import pytest

from tests.factories import PASSWORD, user


@pytest.mark.django_db
def test_an_ordinary_403_is_one_line_without_a_traceback(client, oki_regions):
    user("kades", "kepala_desa", "16.02.13.2005")
    client.login(username="kades", password=PASSWORD)
    console = next(h for h in logging.getLogger().handlers
                   if any(type(f).__name__ == "NoTracebackForClientErrors" for f in h.filters))
    stream = io.StringIO()
    old = console.setStream(stream)
    try:
        assert client.get("/audit/").status_code == 403
    finally:
        console.setStream(old)
    lines = stream.getvalue().splitlines()
    assert lines == ["Forbidden (Permission denied): /audit/"]
