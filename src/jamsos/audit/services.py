"""Append audit events."""

from __future__ import annotations

from jamsos.audit.models import AuditEvent


def actor_fields(user) -> dict:
    if user is not None and getattr(user, "is_authenticated", False):
        return {"actor": user, "actor_name": user.get_username()}
    return {"actor": None, "actor_name": "sistem"}


def record(*, user, action: str, obj_type: str, obj_id, changes: dict, source: str = "") -> None:
    AuditEvent.objects.create(
        **actor_fields(user), action=action, object_type=obj_type,
        object_id=str(obj_id or ""), changes=changes, source=source,
    )


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
