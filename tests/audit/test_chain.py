"""The audit trail is append-only and tamper-evident."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from jamsos.audit.models import AuditEvent, ChainHead
from jamsos.audit.selectors import verify_chain
from jamsos.audit.services import record
from tests.factories import PEOPLE, import_rows

pytestmark = pytest.mark.django_db


def _events(n: int = 5) -> list[AuditEvent]:
    return [record(user=None, action="update", obj_type="person", obj_id=i,
                   changes={"name": [f"a{i}", f"b{i}"]}) for i in range(n)]


def test_a_fresh_trail_verifies_and_links_each_entry_to_the_previous():
    events = _events()
    assert verify_chain().ok and verify_chain().checked == 5
    assert [e.prev_hash for e in events[1:]] == [e.hash for e in events[:-1]]
    out = StringIO()
    call_command("audit_verify", stdout=out)
    assert "5 entri" in out.getvalue()


def test_bulk_import_events_are_sealed_into_the_chain():
    import_rows(*PEOPLE)
    import_rows(PEOPLE[0].replace("Budi Santoso", "Budi Santosa"))
    assert AuditEvent.objects.filter(hash="").count() == 0
    result = verify_chain()
    assert result.ok and result.checked == AuditEvent.objects.count() >= 3


def test_the_database_refuses_to_edit_a_sealed_entry():
    event = _events(1)[0]
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(changes={"name": ["x", "y"]})
    assert AuditEvent.objects.get(pk=event.pk).changes == {"name": ["a0", "b0"]}


def _drop_trigger():
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER jamsos_audit_append_only")
        else:
            cur.execute("DROP TRIGGER jamsos_audit_append_only")


def test_an_edit_behind_the_triggers_back_is_found_at_the_first_broken_link():
    events = _events(6)
    _drop_trigger()  # an administrator with full database rights
    AuditEvent.objects.filter(pk=events[3].pk).update(changes={"name": ["a3", "TAMPERED"]})
    result = verify_chain()
    assert (result.ok, result.broken_at, result.checked) == (False, events[3].pk, 3)
    with pytest.raises(CommandError, match=f"#{events[3].pk}"):
        call_command("audit_verify", stdout=StringIO())


def test_a_deleted_last_entry_is_found():
    events = _events(4)
    _drop_trigger()
    with connection.cursor() as cur:
        cur.execute("DELETE FROM audit_auditevent WHERE id = %s", [events[-1].pk])
    result = verify_chain()
    assert not result.ok and "hilang" in result.reason
    assert ChainHead.objects.get().last_id == events[-1].pk


def test_a_deleted_middle_entry_is_named():
    """Issue 15 (low): verify names the missing entry, not the one after it."""
    events = _events(4)
    _drop_trigger()
    with connection.cursor() as cur:
        cur.execute("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk])
    result = verify_chain()
    assert (result.ok, result.broken_at) == (False, events[1].pk)
    assert result.reason == f"entri #{events[1].pk} hilang"
