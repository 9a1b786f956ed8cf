"""Rebuild the coverage summary from the registry (set-based)."""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.utils import timezone

from jamsos.coverage.models import ALL


@transaction.atomic
def refresh_coverage(today: dt.date | None = None, desa_codes: list[str] | None = None) -> None:
    """Count covered people per desa and category as of ``today``.

    Covered: an active enrolment that has started and not ended. A person with several roles
    counts once in each of their categories and once in the desa's all-categories total (in
    the desa of their insured enrolment). ``desa_codes`` limits the work to those desa (after
    a single change); by default every desa is recounted.
    """
    today = today or timezone.localdate()
    live = "status = 'active' AND start_date <= %s AND (end_date IS NULL OR end_date >= %s)"
    scope, scope_params = "", []
    if desa_codes is not None:
        if not desa_codes:
            return
        scope = f" AND desa_code IN ({', '.join(['%s'] * len(desa_codes))})"
        scope_params = list(desa_codes)
    with connection.cursor() as cur:
        cur.execute(f"DELETE FROM coverage_coveragecount WHERE 1 = 1{scope}", scope_params)
        cur.execute(
            "INSERT INTO coverage_coveragecount (desa_code, category, covered, as_of) "
            "SELECT desa_code, category, COUNT(DISTINCT person_id), %s FROM registry_enrolment "
            f"WHERE {live}{scope} GROUP BY desa_code, category",
            [today, today, today, *scope_params],
        )
        cur.execute(
            "INSERT INTO coverage_coveragecount (desa_code, category, covered, as_of) "
            "SELECT desa_code, %s, COUNT(DISTINCT person_id), %s FROM registry_enrolment "
            f"WHERE is_primary AND {live}{scope} GROUP BY desa_code",
            [ALL, today, today, today, *scope_params],
        )
