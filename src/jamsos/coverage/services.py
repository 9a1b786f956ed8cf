"""Rebuild the coverage summary from the registry (set-based)."""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.utils import timezone

from jamsos.coverage.models import ALL


@transaction.atomic
def refresh_coverage(today: dt.date | None = None) -> None:
    """Count covered people per desa and category as of ``today``.

    Covered: an active enrolment that has started and not ended. A person with several roles
    counts once in each of their categories and once in the desa's all-categories total.
    """
    today = today or timezone.localdate()
    live = ("status = 'active' AND start_date <= %s AND (end_date IS NULL OR end_date >= %s)")
    with connection.cursor() as cur:
        cur.execute("DELETE FROM coverage_coveragecount")
        cur.execute(
            "INSERT INTO coverage_coveragecount (desa_code, category, covered, as_of) "
            "SELECT desa_code, category, COUNT(DISTINCT person_id), %s FROM registry_enrolment "
            f"WHERE {live} GROUP BY desa_code, category",
            [today, today, today],
        )
        # Persons are counted once, in the desa of their insured (primary) enrolment.
        cur.execute(
            "INSERT INTO coverage_coveragecount (desa_code, category, covered, as_of) "
            "SELECT desa_code, %s, COUNT(DISTINCT person_id), %s FROM registry_enrolment "
            f"WHERE is_primary AND {live} GROUP BY desa_code",
            [ALL, today, today, today],
        )
