"""Issue 15, finding 9: the trail cannot be wiped or rewritten undetected by someone with
database rights: checkpoints signed with a key from the environment, kept outside the
database, pin the chain."""

from __future__ import annotations

import json
import stat
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from jamsos.audit import chain
from jamsos.audit.checkpoints import read_checkpoints, write_checkpoint
from jamsos.audit.models import AuditEvent, ChainHead
from jamsos.audit.selectors import verify_chain
from jamsos.audit.services import FIELDS, record

pytestmark = pytest.mark.django_db


def _events(n: int) -> list[AuditEvent]:
    return [record(user=None, action="update", obj_type="person", obj_id=i,
                   changes={"name": [f"a{i}", f"b{i}"]}) for i in range(n)]


def _as_database_owner(sql: str, params=()):
    """What an administrator with full rights can do: triggers off, then anything."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
        else:
            cur.execute("DROP TRIGGER IF EXISTS jamsos_audit_append_only")
        cur.execute(sql, params)
        if connection.vendor == "postgresql":
            cur.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER USER")


def _rewrite_from(first_id: int) -> None:
    """Alter an entry and recompute every hash after it, head included: a consistent chain."""
    _as_database_owner("UPDATE audit_auditevent SET changes = %s WHERE id = %s",
                       [json.dumps({"name": ["a", "FORGED"]}), first_id])
    prev = chain.GENESIS
    for row in AuditEvent.objects.order_by("id").values(*FIELDS, "prev_hash", "hash"):
        digest = chain.link(prev, row)
        _as_database_owner("UPDATE audit_auditevent SET prev_hash = %s, hash = %s WHERE id = %s",
                           [prev, digest, row["id"]])
        prev = digest
        last = row["id"]
    ChainHead.objects.filter(pk=1).update(last_id=last, last_hash=prev)


def test_a_checkpoint_is_signed_appended_and_private(settings):
    events = _events(3)
    point = write_checkpoint()
    assert (point.last_id, point.last_hash) == (events[-1].pk, events[-1].hash)
    assert write_checkpoint() is None  # nothing new since: nothing appended
    _events(1)
    write_checkpoint()
    assert [p.last_id for p in read_checkpoints()] == [events[-1].pk, events[-1].pk + 1]
    assert all(p.genuine for p in read_checkpoints())
    mode = stat.S_IMODE(settings.AUDIT_CHECKPOINT_FILE.stat().st_mode)
    assert mode == 0o600
    result = verify_chain()
    assert result.ok and result.checkpoints == 2


def test_a_consistent_rewrite_is_invisible_to_the_chain_but_not_to_the_checkpoint():
    events = _events(5)
    write_checkpoint()
    _rewrite_from(events[1].pk)
    result = verify_chain()
    assert not result.ok and result.broken_at == events[-1].pk
    assert "ditulis ulang" in result.reason


def test_an_emptied_trail_with_its_head_reset_is_found():
    events = _events(4)
    write_checkpoint()
    _as_database_owner("DELETE FROM audit_auditevent")
    ChainHead.objects.filter(pk=1).update(last_id=0, last_hash="")
    result = verify_chain()
    assert (result.ok, result.broken_at) == (False, events[-1].pk)
    assert "hilang" in result.reason
    with pytest.raises(CommandError, match="hilang"):
        call_command("audit_verify", stdout=StringIO())


def test_a_deleted_tail_with_its_head_reset_is_found():
    events = _events(4)
    write_checkpoint()
    _as_database_owner("DELETE FROM audit_auditevent WHERE id >= %s", [events[2].pk])
    ChainHead.objects.filter(pk=1).update(last_id=events[1].pk, last_hash=events[1].hash)
    result = verify_chain()
    assert (result.ok, result.broken_at) == (False, events[-1].pk)


def test_a_forged_checkpoint_line_is_refused(settings):
    _events(2)
    write_checkpoint()
    with settings.AUDIT_CHECKPOINT_FILE.open("a") as out:
        out.write(json.dumps({"at": "2030-01-01T00:00:00Z", "last_id": 1, "last_hash": "0" * 64,
                              "mac": "f" * 64}) + "\n")
    result = verify_chain()
    assert not result.ok and "tidak sah" in result.reason


def test_a_key_change_makes_old_checkpoints_unverifiable(settings):
    _events(2)
    write_checkpoint()
    settings.AUDIT_KEY = "another-key-entirely-0123456789"
    assert not verify_chain().ok


def test_the_checkpoint_command_writes_one(settings):
    _events(2)
    out = StringIO()
    call_command("audit_checkpoint", stdout=out)
    [point] = read_checkpoints()
    assert f"#{point.last_id} " in out.getvalue()
