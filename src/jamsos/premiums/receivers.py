"""Premium summaries react to registry events (the registry never calls premiums)."""

from __future__ import annotations


def refresh_profiles(sender, desa_codes, today=None, **kwargs) -> None:
    """Rebuild the billable profile of the desa whose roles changed, in the writer's
    transaction."""
    from jamsos.premiums.summaries import refresh_profiles as refresh

    refresh(list(desa_codes))
