"""The hash chain over audit events (pure functions; no database access)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

GENESIS = "0" * 64


def canonical(event: dict) -> bytes:
    """The bytes a row's hash covers: every field but the hashes, in a fixed form."""
    at = event["at"]
    if isinstance(at, dt.datetime):
        at = at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    changes = event["changes"]
    if isinstance(changes, str):
        changes = json.loads(changes)
    body = {
        "id": int(event["id"]),
        "at": at,
        "actor_id": event.get("actor_id"),
        "actor_name": event.get("actor_name") or "",
        "ip": event.get("ip") or "",
        "source": event.get("source") or "",
        "action": event["action"],
        "object_type": event["object_type"],
        "object_id": event.get("object_id") or "",
        "changes": changes,
    }
    if event.get("area"):  # events from before areas were recorded hash as they always did
        body["area"] = event["area"]
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                      default=str).encode()


def link(prev_hash: str, event: dict) -> str:
    return hashlib.sha256(prev_hash.encode() + b"\n" + canonical(event)).hexdigest()
