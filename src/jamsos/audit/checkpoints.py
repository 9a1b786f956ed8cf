"""Checkpoints of the audit chain kept outside the database.

The hash chain shows an edit of any entry, but someone with full database rights could
rewrite every entry from one onward, or empty the table and reset its head. A checkpoint —
the head's id and hash, signed with a key from the environment — appended to a file the
database cannot reach pins the chain: ``verify`` then also checks that every checkpointed
entry still exists with the same hash.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from jamsos.audit.models import AuditEvent, ChainHead

log = logging.getLogger("jamsos.audit")


@dataclass(frozen=True)
class Checkpoint:
    at: str
    last_id: int
    last_hash: str
    mac: str

    @property
    def genuine(self) -> bool:
        return hmac.compare_digest(self.mac, _mac(self.at, self.last_id, self.last_hash))


def _key() -> bytes:
    if settings.AUDIT_KEY:
        return settings.AUDIT_KEY.encode()
    return hmac.new(settings.SECRET_KEY.encode(), b"jamsos-audit-checkpoint",
                    hashlib.sha256).digest()


def _mac(at: str, last_id: int, last_hash: str) -> str:
    return hmac.new(_key(), f"{at}|{last_id}|{last_hash}".encode(), hashlib.sha256).hexdigest()


def path() -> Path:
    return Path(settings.AUDIT_CHECKPOINT_FILE)


def write_checkpoint(now: dt.datetime | None = None) -> Checkpoint | None:
    """Append the current chain head (if the trail has entries and it moved since the last
    checkpoint). The file is created private and only ever appended to."""
    head = ChainHead.objects.filter(pk=1).first()
    if head is None or not head.last_id:
        return None
    if not AuditEvent.objects.filter(pk=head.last_id, hash=head.last_hash).exists():
        return None  # the head does not match its row: verify will say why; pin nothing
    previous = read_checkpoints()
    if previous and previous[-1].last_id == head.last_id:
        return None
    at = (now or timezone.now()).astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    point = Checkpoint(at, head.last_id, head.last_hash, _mac(at, head.last_id, head.last_hash))
    file = path()
    file.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(file, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as out:
        out.write(json.dumps(point.__dict__) + "\n")
    log.info("audit checkpoint id=%s hash=%s mac=%s", point.last_id, point.last_hash, point.mac)
    return point


def read_checkpoints() -> list[Checkpoint]:
    """Checkpoints in the order written; a line that is not a checkpoint reads as a forged
    one (its signature cannot match)."""
    try:
        lines = path().read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    out = []
    for line in lines:
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            out.append(Checkpoint(str(data["at"]), int(data["last_id"]), str(data["last_hash"]),
                                  str(data["mac"])))
        except (ValueError, KeyError, TypeError):
            out.append(Checkpoint("?", 0, "", ""))
    return out
