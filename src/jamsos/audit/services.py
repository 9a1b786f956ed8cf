"""Append audit events to the hash chain."""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connection, transaction
from django.utils import timezone

from jamsos.audit import chain
from jamsos.audit.models import AuditEvent, ChainHead

FIELDS = ("id", "at", "actor_id", "actor_name", "ip", "source", "action", "object_type",
          "object_id", "changes", "area")
_request_ip = threading.local()
#: ``object_type`` → a function giving the region code an object of that type lies in.
_AREA_OF: dict[str, Callable[[str], str | None]] = {}


def register_area(obj_type: str, model, field: str) -> None:
    """Let the audit trail file events about ``obj_type`` (whose ``obj_id`` is a ``model``
    primary key) under the region ``field`` names, e.g. ``"desa_id"`` or
    ``"claim__person__desa_id"``. Apps call this from ``AppConfig.ready``; the audit app
    imports no other app."""

    def area_of(obj_id: str) -> str | None:
        if not obj_id.isdigit():
            return None
        return model.objects.filter(pk=int(obj_id)).values_list(field, flat=True).first()

    _AREA_OF[obj_type] = area_of


def area_for(obj_type: str, obj_id, user) -> str:
    """The area an event belongs to: its object's, else the acting user's, else '' (the
    whole deployment: only kabupaten-level viewers see it)."""
    resolve = _AREA_OF.get(obj_type)
    if resolve is not None and obj_id not in (None, ""):
        area = resolve(str(obj_id))
        if area:
            return area
    return _actor_area(user)


def _actor_area(user) -> str:
    from django.core.exceptions import ObjectDoesNotExist

    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    try:
        return user.profile.area_id or ""
    except (ObjectDoesNotExist, AttributeError):
        return ""


def set_request_ip(ip: str | None, source: str = "") -> None:
    """Called by the middleware: events recorded while serving a request carry its address
    and, for the API, the source ``api`` (unless the caller names another source)."""
    _request_ip.value = ip
    _request_ip.source = source


def current_ip() -> str | None:
    return getattr(_request_ip, "value", None)


def current_source() -> str:
    return getattr(_request_ip, "source", "")


def actor_fields(user) -> dict:
    if user is not None and getattr(user, "is_authenticated", False):
        return {"actor": user, "actor_name": user.get_username()}
    return {"actor": None, "actor_name": "sistem"}


def lock_chain() -> ChainHead:
    """Take the chain head's lock until the transaction ends.

    Bulk writers call it before inserting unsealed events, so that nobody seals past them; they
    then call :func:`seal_pending` in the same transaction.
    """
    return _head()


def _head() -> ChainHead:
    head = ChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        ChainHead.objects.get_or_create(pk=1)
        head = ChainHead.objects.select_for_update().get(pk=1)
    return head


@transaction.atomic
def record(*, user, action: str, obj_type: str, obj_id, changes: dict, source: str = "",
           ip: str | None = None, area: str | None = None) -> AuditEvent:
    """Append one event, chained to the previous one (writers queue on the chain head).

    ``area`` defaults to :func:`area_for` the object (or the actor)."""
    if area is None:
        area = area_for(obj_type, obj_id, user)
    head = _head()
    seal_pending(head)
    fields = actor_fields(user)
    event = AuditEvent.objects.create(
        **fields, at=timezone.now(), ip=ip or current_ip(), action=action,
        object_type=obj_type, object_id=str(obj_id if obj_id is not None else ""),
        changes=changes, source=source or current_source(), area=area,
    )
    row = {f: getattr(event, f) for f in FIELDS if f not in ("actor_id",)}
    row["actor_id"] = fields["actor"].pk if fields["actor"] else None
    event.prev_hash = head.last_hash or chain.GENESIS
    event.hash = chain.link(event.prev_hash, row)
    AuditEvent.objects.filter(pk=event.pk, hash="").update(prev_hash=event.prev_hash,
                                                           hash=event.hash)
    head.last_id, head.last_hash = event.pk, event.hash
    head.save(update_fields=["last_id", "last_hash"])
    return event


@transaction.atomic
def record_many(*, user, action: str, events: list[dict], source: str = "") -> int:
    """Append one event per ``{"obj_type", "obj_id", "area", "changes"}`` in ``events`` with
    one bulk insert, then chain them (for acts that touch many objects at once)."""
    if not events:
        return 0
    head = _head()
    seal_pending(head)
    fields, now = actor_fields(user), timezone.now()
    AuditEvent.objects.bulk_create([
        AuditEvent(**fields, at=now, ip=current_ip(), action=action, object_type=e["obj_type"],
                   object_id=str(e["obj_id"]), area=e["area"], changes=e["changes"],
                   source=source or current_source())
        for e in events
    ], batch_size=2000)
    return seal_pending(head)


def record_list_view(*, user, kind: str, filters: dict, count: int) -> AuditEvent | None:
    """One event for one page of a list of named people shown unmasked: which list, with
    which filters, how many rows (never one event per row). Empty pages are not recorded."""
    if not count:
        return None
    shown = {k: str(v) for k, v in filters.items() if v not in (None, "", False)}
    return record(user=user, action="view_personal_list", obj_type=kind, obj_id="",
                  changes={"filters": [None, shown], "count": [None, count]})


#: The columns, in order, that :func:`insert_selected`'s SELECT must yield.
BULK_COLUMNS = ("at", "actor_id", "actor_name", "source", "action", "object_type",
                "object_id", "area", "changes")


def insert_selected(cur, select_sql: str, params) -> int:
    """Append the events a set-based SELECT yields (columns :data:`BULK_COLUMNS`), unsealed.

    For bulk writers: it takes the chain head's lock, so nobody seals past these rows; the
    caller calls :func:`seal_pending` before its transaction ends. Returns the row count.
    """
    lock_chain()
    # prev_hash and hash take their database default '' (unsealed).
    cur.execute(f"INSERT INTO audit_auditevent ({', '.join(BULK_COLUMNS)}) {select_sql}", params)
    return cur.rowcount


def seal_pending(head: ChainHead | None = None, batch: int = 20_000) -> int:
    """Chain the rows a bulk statement inserted without hashes, in id order.

    Bulk paths insert events set-based and call this in the same transaction. Returns the
    number of rows sealed.
    """
    if head is None:
        head = _head()
    prev = head.last_hash or chain.GENESIS
    sealed = 0
    while True:
        rows = list(
            AuditEvent.objects.filter(hash="", id__gt=head.last_id).order_by("id")
            .values(*FIELDS)[:batch]
        )
        if not rows:
            break
        updates = []
        for row in rows:  # each hash needs the previous one: this part is sequential
            digest = chain.link(prev, row)
            updates.append((row["id"], prev, digest))
            prev = digest
        _write_hashes(updates)
        head.last_id, head.last_hash = rows[-1]["id"], prev
        sealed += len(rows)
    if sealed:
        head.save(update_fields=["last_id", "last_hash"])
    return sealed


def _write_hashes(updates: list[tuple[int, str, str]]) -> None:
    """Store (id, prev_hash, hash) for a batch with one set-based UPDATE."""
    with connection.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS jamsos_audit_seal")
        cur.execute("CREATE TEMP TABLE jamsos_audit_seal (id bigint PRIMARY KEY, "
                    "prev_hash varchar(64), hash varchar(64))")
        if connection.vendor == "postgresql":
            with cur.cursor.copy("COPY jamsos_audit_seal (id, prev_hash, hash) FROM STDIN") as copy:
                for row in updates:
                    copy.write_row(row)
        else:
            cur.cursor.executemany("INSERT INTO jamsos_audit_seal VALUES (?, ?, ?)", updates)
        cur.execute(
            "UPDATE audit_auditevent SET prev_hash = s.prev_hash, hash = s.hash "
            "FROM jamsos_audit_seal s WHERE s.id = audit_auditevent.id")
        cur.execute("DROP TABLE jamsos_audit_seal")


def diff(before: dict | None, after: dict | None) -> dict:
    """``{"field": [old, new]}`` for the fields that differ (values made JSON-friendly)."""
    before, after = before or {}, after or {}
    out = {}
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        if old != new:
            out[key] = [_jsonable(old), _jsonable(new)]
    return out


def _jsonable(value):
    if value is None or isinstance(value, (str, int, bool)):
        return value
    return str(value)
