"""Reading and checking the audit trail."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from jamsos.audit import chain
from jamsos.audit.checkpoints import read_checkpoints
from jamsos.audit.models import AuditEvent, ChainHead
from jamsos.audit.services import FIELDS
from jamsos.regions.selectors import deployment_area, subtree_q


@dataclass
class Verification:
    checked: int
    broken_at: int | None  # id of the first entry missing or altered
    reason: str = ""
    checkpoints: int = 0  # checkpoints outside the database that were checked

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify_chain(batch: int = 50_000) -> Verification:
    """Recompute every link and compare with the checkpoints kept outside the database;
    report the first entry that is missing or altered."""
    points = read_checkpoints()
    forged = next((p for p in points if not p.genuine), None)
    pinned = {p.last_id: p for p in points if p.genuine}
    seen: dict[int, str] = {}
    prev, checked, last_id = chain.GENESIS, 0, 0
    while True:
        rows = list(AuditEvent.objects.filter(id__gt=last_id).order_by("id")
                    .values(*FIELDS, "prev_hash", "hash")[:batch])
        if not rows:
            break
        for row in rows:
            if not row["hash"]:
                return Verification(checked, row["id"], "belum disegel (hash kosong)")
            if row["prev_hash"] != prev:
                if row["id"] > last_id + 1:  # the entries in between were taken out
                    return Verification(checked, last_id + 1, _missing(last_id, row["id"]))
                return Verification(checked, row["id"], "tautan ke entri sebelumnya putus")
            if chain.link(prev, row) != row["hash"]:
                return Verification(checked, row["id"], "isi entri berubah setelah dicatat")
            prev = row["hash"]
            checked += 1
            last_id = row["id"]
            if last_id in pinned:
                seen[last_id] = prev
    if forged is not None:
        return Verification(checked, forged.last_id or None,
                            "titik periksa di luar basis data tidak sah (tanda tangan salah)",
                            len(points))
    earlier = 0
    for point in sorted(pinned.values(), key=lambda p: p.last_id):
        if point.last_id not in seen:
            return Verification(checked, point.last_id,
                                f"entri #{point.last_id} tercatat pada titik periksa "
                                f"{point.at} tetapi hilang", len(pinned))
        if seen[point.last_id] != point.last_hash:
            return Verification(checked, point.last_id,
                                f"rantai ditulis ulang: entri #{point.last_id} tidak sama dengan "
                                f"titik periksa {point.at} (perubahan setelah entri #{earlier})",
                                len(pinned))
        earlier = point.last_id
    head = ChainHead.objects.filter(pk=1).first()
    if head is not None and head.last_id > last_id:
        return Verification(checked, last_id + 1, _missing(last_id, head.last_id + 1),
                            len(pinned))
    return Verification(checked, None, "", len(pinned))


def _missing(before: int, after: int) -> str:
    if after - before == 2:
        return f"entri #{before + 1} hilang"
    return f"entri #{before + 1} sampai #{after - 1} hilang (sebagian atau semua)"


def visible_to(area_code: str | None):
    """The events a viewer of ``area_code`` may read: those filed in that area's subtree;
    deployment-wide events (no area) only for viewers of the deployment's whole area."""
    if not area_code:
        return AuditEvent.objects.none()
    if area_code == deployment_area():
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
