"""Coverage reacts to registry events (it is never called by the registry directly)."""

from __future__ import annotations


def recount(sender, desa_codes, today=None, **kwargs) -> None:
    """Recount the desa whose roles changed, in the writer's transaction."""
    from jamsos.coverage.services import refresh_coverage

    refresh_coverage(today=today, desa_codes=list(desa_codes))
