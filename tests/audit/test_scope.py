"""Issue 15, findings 2 and 9: the audit trail is scoped to the viewer's area like everything
else, the area is part of what the chain covers, and PostgreSQL refuses TRUNCATE."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from jamsos.audit import chain
from jamsos.audit.models import AuditEvent
from jamsos.audit.selectors import verify_chain
from jamsos.registry.models import Person
from tests.factories import PASSWORD, PEOPLE, TEBING_SULUH, ULAK_KAPAL, import_rows, user

pytestmark = pytest.mark.django_db
LEMPUING = "16.02.13"  # kecamatan of Tebing Suluh


@pytest.fixture
def trail():
    operator = user("op", "operator", "16.02")
    import_rows(*PEOPLE, user=operator)
    import_rows(PEOPLE[0].replace("Budi Santoso", "Budi Santosa"),
                PEOPLE[2].replace("Ahmad Fauzi", "Ahmad Fauzan"), user=operator)
    return operator


def login(client, username, role, area):
    user(username, role, area)
    assert client.login(username=username, password=PASSWORD)


def test_person_events_are_filed_under_the_persons_desa(trail):
    budi = Person.objects.get(nik="1602131708850001")
    ahmad = Person.objects.get(nik="1602021708800003")
    updates = dict(AuditEvent.objects.filter(action="update", object_type="person")
                   .values_list("object_id", "area"))
    assert updates == {str(budi.pk): TEBING_SULUH, str(ahmad.pk): ULAK_KAPAL}


@pytest.mark.parametrize("role", ["auditor", "admin"])
def test_a_kecamatan_viewer_reads_only_its_own_area(client, trail, role):
    login(client, "kec", role, LEMPUING)
    text = client.get(reverse("audit:trail"), {"jenis": "person"}).content.decode()
    assert "Budi Santosa" in text
    assert "Ahmad Fauzan" not in text and "Ahmad Fauzi" not in text
    export = client.get(reverse("audit:export"))
    body = b"".join(export.streaming_content).decode()
    assert "Budi Santosa" in body and "Ahmad" not in body
    # Events of the whole kabupaten (the operator's imports) are not the kecamatan's either
    assert "t.csv" not in body


def test_a_kabupaten_auditor_reads_everything(client, trail):
    login(client, "kab", "auditor", "16.02")
    body = b"".join(client.get(reverse("audit:export")).streaming_content).decode()
    assert "Budi Santosa" in body and "Ahmad Fauzan" in body and "t.csv" in body


def test_the_area_is_covered_by_the_hash():
    event = {"id": 7, "at": "2025-01-01T00:00:00.000000Z", "action": "update",
             "object_type": "person", "object_id": "3", "changes": {}, "area": "16.02.13"}
    moved = {**event, "area": "16.02.02"}
    assert chain.link(chain.GENESIS, event) != chain.link(chain.GENESIS, moved)
    # Events written before areas existed hash exactly as they did
    old = {k: v for k, v in event.items() if k != "area"}
    assert chain.link(chain.GENESIS, {**old, "area": ""}) == chain.link(chain.GENESIS, old)


def test_moving_an_event_out_of_an_area_is_refused(trail):
    event = AuditEvent.objects.filter(area=ULAK_KAPAL).first()
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(area="16.02.13.2005")
    assert verify_chain().ok


def test_truncate_is_refused_on_postgresql(trail):
    if connection.vendor != "postgresql":
        pytest.skip("TRUNCATE is PostgreSQL's (SQLite has none)")
    with pytest.raises(DatabaseError, match="TRUNCATE"), transaction.atomic(), \
            connection.cursor() as cur:
        cur.execute("SET LOCAL jamsos.audit_truncate = 'off'")
        cur.execute("TRUNCATE audit_auditevent")
    assert AuditEvent.objects.count() > 0


def test_an_auditor_sees_identifiers_in_diffs_masked_an_admin_does_not(client, trail):
    """Finding 4: NIK changes, phones and bank accounts are masked by the viewer's rights."""
    from jamsos.audit.services import record

    record(user=None, action="update", obj_type="santunan_case", obj_id="",
           changes={"heir_nik": ["1602131708850001", "1602135708900002"],
                    "heir_phone": ["", "081234567890"], "account_number": ["0123456789", None],
                    "note": [None, "lihat NIK 1602021708800003"]})
    login(client, "aud", "auditor", "16.02")
    text = client.get(reverse("audit:trail"), {"jenis": "santunan_case"}).content.decode()
    body = b"".join(client.get(reverse("audit:export"), {"jenis": "santunan_case"})
                    .streaming_content).decode()
    for shown in (text, body):
        for secret in ("1602131708850001", "1602135708900002", "081234567890", "0123456789",
                       "1602021708800003"):
            assert secret not in shown
        assert "160213******0001" in shown
    client.logout()
    login(client, "adm", "admin", "16.02")
    text = client.get(reverse("audit:trail"), {"jenis": "santunan_case"}).content.decode()
    assert "1602131708850001" in text and "081234567890" in text
