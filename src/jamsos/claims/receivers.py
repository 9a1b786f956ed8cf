"""Reactions to other domain areas' events."""

from __future__ import annotations


def open_heirs_follow_up(sender, person, died_on, source, user=None, **kwargs) -> None:
    """Every death of an insured person, from any source (a claim, a santunan case, a registry
    edit), opens one heirs' follow-up (see :func:`jamsos.claims.services.open_follow_up`)."""
    from jamsos.claims.services import open_follow_up

    open_follow_up(person=person, died_on=died_on, source=source or "", user=user)
