"""Writes to the region table."""

from __future__ import annotations

from django.db import transaction

from jamsos.regions import catalog
from jamsos.regions.models import Region


@transaction.atomic
def load_regions(*, prefix: str | None = None, batch_size: int = 5000) -> int:
    """Load the shipped Kemendagri list, replacing what is there; return the row count.

    ``prefix`` limits the load to one area and its ancestors (fast set-up for tests).
    """
    rows = catalog.regions_under(prefix) if prefix else catalog.iter_regions()
    Region.objects.all().delete()
    Region.objects.bulk_create(
        (Region(code=r.code, level=r.level, name=r.name, parent_id=r.parent_code) for r in rows),
        batch_size=batch_size,
    )
    return len(rows)
