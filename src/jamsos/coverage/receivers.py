"""Coverage reacts to registry events (it is never called by the registry directly)."""

from __future__ import annotations


def recount(sender, desa_codes, today=None, **kwargs) -> None:
    """Recount the desa whose roles changed, in the writer's transaction."""
    from jamsos.coverage.services import refresh_coverage

    refresh_coverage(today=today, desa_codes=list(desa_codes))


def trends_stale(sender, desa_codes, today=None, **kwargs) -> None:
    """The stored trends of the areas around the changed desa are recounted after the commit."""
    from jamsos.coverage.trends import mark_stale

    mark_stale(desa_codes)
