"""Auditors search and export the trail; everyone else is kept out."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jamsos.audit.models import AuditEvent
from tests.factories import PASSWORD, PEOPLE, import_rows, user

pytestmark = pytest.mark.django_db


def login(client, username, role, area="16.02"):
    user(username, role, area)
    assert client.login(username=username, password=PASSWORD)


@pytest.mark.parametrize("role", ["operator", "pimpinan", "camat", "bpjs", "verifikator"])
def test_only_auditors_and_admins_read_the_trail(client, role):
    login(client, "u", role)
    assert client.get(reverse("audit:trail")).status_code == 403
    assert client.get(reverse("audit:export")).status_code == 403


def test_auditor_searches_checks_and_exports(client):
    import_rows(*PEOPLE)
    import_rows(PEOPLE[0].replace("Budi Santoso", "Budi Santosa"))
    login(client, "aud", "auditor")
    page = client.get(reverse("audit:trail"), {"jenis": "person", "periksa": "1"})
    text = page.content.decode()
    assert page.status_code == 200 and "Budi Santoso" in text and "Budi Santosa" in text
    assert 'id="chain-ok"' in text
    export = client.get(reverse("audit:export"), {"jenis": "person"})
    body = b"".join(export.streaming_content).decode()
    lines = body.strip().splitlines()
    assert lines[0].startswith("id,waktu,pelaku") and len(lines) == 2  # one person update
    assert AuditEvent.objects.filter(action="export", object_type="audit_trail").count() == 1
