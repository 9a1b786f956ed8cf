"""Reads of the worker registry, always within a user's area."""

from __future__ import annotations

import re

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from jamsos.regions.selectors import subtree_q
from jamsos.registry.models import Enrolment, EnrolmentStatus, Person


def people_in(area_code: str) -> QuerySet[Person]:
    """People living in the area or holding a role there."""
    roles = Enrolment.objects.filter(subtree_q(area_code, "desa__code"), person=OuterRef("pk"))
    return Person.objects.filter(subtree_q(area_code, "desa__code") | Q(Exists(roles)))


def search_people(area_code: str, query: str = "") -> QuerySet[Person]:
    people = people_in(area_code)
    query = query.strip()
    digits = re.sub(r"[\s.\-]", "", query)
    if re.fullmatch(r"\d{16}", digits):
        people = people.filter(nik=digits)
    elif re.fullmatch(r"[0-9A-Za-z]{11}", digits) and any(c.isdigit() for c in digits):
        people = people.filter(kpj=digits.upper())
    elif query:
        people = people.filter(name__icontains=query)
    return people.select_related("desa").order_by("name", "id")


def double_enrolments(area_code: str) -> QuerySet[Person]:
    """People with more than one open, active role: insured and paid for once, listed here.

    Of a person's open, active roles exactly one is insured (``is_primary``, kept by
    ``recompute_primary``), so only people holding an open, active role that is *not* insured
    can have several: found through a small partial index (issue 14), then counted exactly.
    """
    open_roles = Q(enrolments__status=EnrolmentStatus.ACTIVE, enrolments__end_date__isnull=True)
    candidates = Enrolment.objects.filter(status=EnrolmentStatus.ACTIVE, end_date__isnull=True,
                                          is_primary=False).values("person_id")
    return (
        people_in(area_code).filter(pk__in=candidates)
        .annotate(roles=Count("enrolments", filter=open_roles))
        .filter(roles__gt=1)
        .prefetch_related("enrolments")
        .order_by("desa_id", "name")
    )


def import_progress(batch) -> tuple[int, str]:
    """(percent, stage) of an import: while it runs, from the worker's progress file (the
    batch row is only written outside the import's transaction)."""
    import json
    from pathlib import Path

    from jamsos.registry.models import ImportStatus

    if batch.status == ImportStatus.RUNNING and batch.stored_path:
        path = Path(batch.stored_path).with_suffix(".progress.json")
        try:
            seen = json.loads(path.read_text())
            return max(int(seen["progress"]), batch.progress), str(seen["stage"])
        except (OSError, ValueError, KeyError, TypeError):
            pass
    return batch.progress, batch.stage


def import_batches_for(user, area_code: str | None):
    """Import batches a user may follow: those of their area, and their own uploads."""
    from jamsos.registry.models import ImportBatch

    return ImportBatch.objects.filter(subtree_q(area_code, "area__code") | Q(uploaded_by=user))
