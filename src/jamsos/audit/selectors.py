"""Reading and checking the audit trail."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q

from jamsos.audit import chain
from jamsos.audit.models import AuditEvent, ChainHead
from jamsos.audit.services import FIELDS
from jamsos.regions.selectors import subtree_q


@dataclass
class Verification:
    checked: int
    broken_at: int | None  # id of the first row whose hash does not follow
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify_chain(batch: int = 50_000) -> Verification:
    """Recompute every link; report the first row that does not match."""
    prev, checked, last_id = chain.GENESIS, 0, 0
    while True:
        rows = list(AuditEvent.objects.filter(id__gt=last_id).order_by("id")
                    .values(*FIELDS, "prev_hash", "hash")[:batch])
        if not rows:
            head = ChainHead.objects.filter(pk=1).first()
            if head is not None and (head.last_id, head.last_hash) != (last_id, prev) and (
                    head.last_id > last_id):
                return Verification(checked, last_id + 1 if last_id else head.last_id,
                                    "entri terakhir hilang (kepala rantai lebih baru)")
            return Verification(checked, None)
        for row in rows:
            if not row["hash"]:
                return Verification(checked, row["id"], "belum disegel (hash kosong)")
            if row["prev_hash"] != prev:
                return Verification(checked, row["id"], "tautan ke entri sebelumnya putus")
            if chain.link(prev, row) != row["hash"]:
                return Verification(checked, row["id"], "isi entri berubah setelah dicatat")
            prev = row["hash"]
            checked += 1
        last_id = rows[-1]["id"]


def visible_to(area_code: str | None):
    """The events a viewer of ``area_code`` may read: those filed in that area's subtree;
    deployment-wide events (no area) only for viewers of the whole kabupaten."""
    if not area_code:
        return AuditEvent.objects.none()
    if area_code == settings.JAMSOS_KABUPATEN:
        return AuditEvent.objects.filter(Q(area="") | subtree_q(area_code, "area"))
    return AuditEvent.objects.filter(subtree_q(area_code, "area"))


def search(*, area_code: str | None, q: str = "", object_type: str = "", actor: str = "",
           date_from=None, date_to=None):
    qs = visible_to(area_code)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if actor:
        qs = qs.filter(actor_name__iexact=actor)
    if q:
        qs = qs.filter(object_id=q) if q.isdigit() else qs.filter(action__icontains=q)
    if date_from:
        qs = qs.filter(at__date__gte=date_from)
    if date_to:
        qs = qs.filter(at__date__lte=date_to)
    return qs.order_by("-id")
