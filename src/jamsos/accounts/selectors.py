"""Who may see what: a user's area and role."""

from __future__ import annotations

from django.conf import settings

from jamsos.accounts.models import PERSONAL_DATA_READERS, REGISTRY_WRITERS, Profile, Role


def profile_of(user) -> Profile | None:
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.profile
    except Profile.DoesNotExist:
        return None


def area_code_of(user) -> str | None:
    """The Kemendagri code of the area a user may see; None for anonymous users.

    Superusers without a profile see the whole kabupaten.
    """
    profile = profile_of(user)
    if profile is not None:
        return profile.area_id
    if getattr(user, "is_superuser", False):
        return settings.JAMSOS_KABUPATEN
    return None


def role_of(user) -> str | None:
    profile = profile_of(user)
    if profile is not None:
        return profile.role
    return Role.ADMIN if getattr(user, "is_superuser", False) else None


def can_edit_registry(user) -> bool:
    return role_of(user) in REGISTRY_WRITERS


def can_see_personal_data(user) -> bool:
    return role_of(user) in PERSONAL_DATA_READERS


def in_area(user, code: str) -> bool:
    area = area_code_of(user)
    return area is not None and (code == area or code.startswith(area + "."))
