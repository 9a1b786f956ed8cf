"""Who may see what: a user's area and role."""

from __future__ import annotations

from functools import wraps

from django.core.exceptions import PermissionDenied

from jamsos.accounts.models import (
    MENU_ITEMS,
    PERMISSIONS,
    PROVINCE_MENU,
    ROLE_MENUS,
    MenuItem,
    Profile,
    Role,
)


def profile_of(user) -> Profile | None:
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.profile
    except Profile.DoesNotExist:
        return None


def area_code_of(user) -> str | None:
    """The Kemendagri code of the area a user may see; None for anonymous users.

    Superusers without a profile see the deployment's whole area.
    """
    profile = profile_of(user)
    if profile is not None:
        return profile.area_id
    if getattr(user, "is_superuser", False):
        from jamsos.regions.selectors import deployment_area

        return deployment_area()
    return None


def role_of(user) -> str | None:
    profile = profile_of(user)
    if profile is not None:
        return profile.role
    return Role.ADMIN if getattr(user, "is_superuser", False) else None


def has_perm(user, perm: str) -> bool:
    """Whether the user's role allows ``perm`` (see ``accounts.models.PERMISSIONS``)."""
    return getattr(user, "is_active", False) and role_of(user) in PERMISSIONS[perm]


def menu_for(user) -> list[MenuItem]:
    """The signed-in user's menu: their role's items, in its order, that they may open."""
    role = role_of(user)
    if not getattr(user, "is_active", False) or role is None:
        return []
    keys = ROLE_MENUS.get(role, ())
    if keys and "." not in (area_code_of(user) or "."):  # a province-level user
        keys = (keys[0], *PROVINCE_MENU, *keys[1:])
    return [MENU_ITEMS[k] for k in keys
            if MENU_ITEMS[k].perm is None or has_perm(user, MENU_ITEMS[k].perm)]


def can_edit_registry(user) -> bool:
    return has_perm(user, "edit_registry")


def can_see_personal_data(user) -> bool:
    return has_perm(user, "personal_data")


def require(perm: str):
    """View decorator: 403 unless the signed-in user's role has ``perm``."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not has_perm(request.user, perm):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


def in_area(user, code: str) -> bool:
    area = area_code_of(user)
    return area is not None and (code == area or code.startswith(area + "."))


def regencies_of(user) -> list[str]:
    """The kabupaten/kota whose own settings (issue 16) the user may read: the one their area
    lies in, or every one of the deployment for a province-level user."""
    from jamsos.regions.selectors import deployment_kabupaten, kabupaten_code_of

    area = area_code_of(user)
    if not area:
        return []
    if "." not in area:
        return deployment_kabupaten() if area == _deployment() else []
    kab = kabupaten_code_of(area)
    return [kab] if kab in deployment_kabupaten() else []


def may_set_regency(user, kabupaten: str, perm: str = "regency_settings") -> bool:
    """Whether the user may change a kabupaten/kota's own settings: ``perm`` and an area that
    is that kabupaten/kota or the province deployment holding it."""
    from jamsos.regions.selectors import deployment_kabupaten

    area = area_code_of(user)
    return (has_perm(user, perm) and kabupaten in deployment_kabupaten()
            and (area == kabupaten or ("." not in (area or ".") and area == _deployment())))


def _deployment() -> str:
    from jamsos.regions.selectors import deployment_area

    return deployment_area()
