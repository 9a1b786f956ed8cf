"""Create and change users."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from jamsos.accounts.models import Profile, Role
from jamsos.audit import services as audit
from jamsos.regions.models import Region


@transaction.atomic
def create_user(*, username: str, role: str, area_code: str, password: str, actor=None,
                validate: bool = True):
    if role not in Role.values:
        raise ValueError(f"peran tidak dikenal: {role}")
    area = Region.objects.get(code=area_code)
    user_model = get_user_model()
    user = user_model(username=username, is_staff=role == Role.ADMIN,
                      is_superuser=role == Role.ADMIN)
    if validate:
        validate_password(password, user)
    user.set_password(password)
    user.save()
    Profile.objects.create(user=user, role=role, area=area)
    audit.record(user=actor, action="permission_change", obj_type="user", obj_id=user.pk,
                 changes={"username": [None, username], "role": [None, role],
                          "area": [None, area_code]})
    return user


@transaction.atomic
def change_access(target, *, role: str, area_code: str, actor) -> None:
    """Give a user another role or area (a permission change, audited)."""
    if role not in Role.values:
        raise ValueError(f"peran tidak dikenal: {role}")
    area = Region.objects.get(code=area_code)
    profile = Profile.objects.select_for_update().get(user=target)
    before = {"role": profile.role, "area": profile.area_id}
    profile.role, profile.area = role, area
    profile.save()
    target.is_staff = target.is_superuser = role == Role.ADMIN
    target.save(update_fields=["is_staff", "is_superuser"])
    target.api_tokens.all().delete()  # tokens carry the old rights
    audit.record(user=actor, action="permission_change", obj_type="user", obj_id=target.pk,
                 changes=audit.diff(before, {"role": role, "area": area_code}))


@transaction.atomic
def set_active(target, *, active: bool, actor) -> None:
    if target.is_active == active:
        return
    target.is_active = active
    target.save(update_fields=["is_active"])
    if not active:
        target.api_tokens.all().delete()
    audit.record(user=actor, action="permission_change", obj_type="user", obj_id=target.pk,
                 changes={"is_active": [not active, active]})
