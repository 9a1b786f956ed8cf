"""Coverage reacts to registry and DTSEN events (it is never called by them directly)."""

from __future__ import annotations


def recount(sender, desa_codes, today=None, niks=(), **kwargs) -> None:
    """Recount the desa whose roles changed, and the candidates of the people concerned, in
    the writer's transaction."""
    from jamsos.coverage.services import refresh_candidates, refresh_coverage

    refresh_coverage(today=today, desa_codes=list(desa_codes))
    refresh_candidates(today=today, desa_codes=list(desa_codes), niks=list(niks))


def trends_stale(sender, desa_codes, today=None, **kwargs) -> None:
    """The stored trends of the areas around the changed desa are recounted after the commit."""
    from jamsos.coverage.trends import mark_stale

    mark_stale(desa_codes)


def recount_candidates_of_the_dead(sender, person, **kwargs) -> None:
    """A death ends being a candidate, also of someone without a live role."""
    from jamsos.coverage.services import refresh_candidates

    refresh_candidates(niks=[person.nik])


def recount_candidates_for_extract(sender, extract, **kwargs) -> None:
    """A new extract in force today replaces every desa's candidates."""
    from jamsos.coverage.services import refresh_candidates

    refresh_candidates(if_stale=True)
