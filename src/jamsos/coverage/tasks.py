"""Background jobs of coverage (Django's task framework)."""

from __future__ import annotations

from django.tasks import task


@task()
def refresh_trends() -> None:
    """Recount the stored coverage trends the registry has changed under (see
    :mod:`jamsos.coverage.trends`). Queued after each such commit; one run recounts every
    stale area, so runs queued by a burst of writes find little left to do."""
    from jamsos.coverage.trends import refresh_due

    refresh_due()
