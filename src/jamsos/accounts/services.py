"""Create and change users."""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jamsos.accounts.models import PROVINCE_ROLES, ROLE_LEVELS, Profile, Role
from jamsos.audit import services as audit
from jamsos.regions.models import Level, Region
from jamsos.regions.selectors import deployment_area, in_deployment

#: Letters, digits, ``.``, ``_`` and ``-``, starting with a letter or digit: nothing a
#: spreadsheet runs as a formula (= + - @) or a browser reads as markup.
USERNAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,149}")


def validate_username(username: str) -> None:
    """The one rule for new usernames (web form and ``users create``)."""
    if not USERNAME_RE.fullmatch(username or ""):
        raise ValidationError(
            _("Nama pengguna hanya boleh berisi huruf, angka, titik, garis bawah dan tanda "
              "hubung, diawali huruf atau angka (paling banyak 150 karakter)."), code="username")
    if get_user_model().objects.filter(username__iexact=username).exists():
        raise ValidationError(_("Nama pengguna sudah dipakai: %(u)s") % {"u": username},
                              code="duplicate")


def validate_access(role: str, area_code: str, *, policy: bool = True) -> Region:
    """The area a role may be given: a known region inside the deployment's kabupaten, at the
    level the role works at (kepala desa: a desa; camat: a kecamatan; pimpinan: the
    kabupaten; the other roles: any level). Without ``policy`` (tests, demo data) only a known
    role and region are required."""
    if role not in Role.values:
        raise ValidationError(_("Peran tidak dikenal: %(r)s") % {"r": role}, code="role")
    area = Region.objects.filter(code=area_code).first()
    if area is None:
        raise ValidationError(_("Kode wilayah tidak dikenal: %(a)s") % {"a": area_code},
                              code="area")
    if not policy:
        return area
    if not in_deployment(area.code):
        raise ValidationError(_("Wilayah %(a)s di luar wilayah penerapan (%(k)s).")
                              % {"a": area_code, "k": deployment_area()}, code="area")
    if area.level == Level.PROVINSI and role not in PROVINCE_ROLES:
        raise ValidationError(
            _("Peran %(r)s bekerja di satu kabupaten/kota; pilih wilayah di bawah provinsi.")
            % {"r": Role(role).label}, code="level")
    levels = ROLE_LEVELS.get(role)
    if levels and area.level not in levels:
        raise ValidationError(
            _("Peran %(r)s harus diberi wilayah tingkat %(l)s; %(a)s adalah %(x)s.")
            % {"r": Role(role).label, "l": " / ".join(str(Level(v).label).lower()
                                                     for v in levels),
               "a": area_code, "x": str(Level(area.level).label).lower()}, code="level")
    return area


def new_user_errors(*, username: str, role: str, area_code: str, password: str | None,
                    actor=None, validate: bool = True) -> dict[str, list[str]]:
    """Every field of a new user at fault, all at once (the web form shows them together,
    issue 13 item 5): the username, the role and area (inside ``actor``'s own area when an
    actor is given) and, with ``validate``, the password (``None``: not checked)."""
    from jamsos.accounts.selectors import in_area

    errors: dict[str, list[str]] = {}
    try:
        validate_username(username)
    except ValidationError as exc:
        errors["username"] = exc.messages
    try:
        validate_access(role, area_code, policy=validate)
    except ValidationError as exc:
        errors["role" if exc.code == "role" else "area"] = exc.messages
    else:
        if actor is not None and not in_area(actor, area_code):
            errors["area"] = [_("Kode wilayah harus di dalam wilayah kerja Anda.")]
    if validate and password is not None:
        try:
            validate_password(password, get_user_model()(username=username))
        except ValidationError as exc:
            errors["password"] = exc.messages
    return errors


@transaction.atomic
def create_user(*, username: str, role: str, area_code: str, password: str, actor=None,
                validate: bool = True, email: str = ""):
    """A new user; refuses (``ValidationError`` naming every field at fault) a bad or taken
    username, a role/area the rules of :func:`validate_access` refuse, an area outside the
    creating ``actor``'s and a weak password (the last ones only with ``validate``: tests and
    demo data build users the policy would refuse)."""
    errors = new_user_errors(username=username, role=role, area_code=area_code,
                             password=password, actor=actor if validate else None,
                             validate=validate)
    if errors:
        raise ValidationError(errors)
    area = validate_access(role, area_code, policy=validate)
    user_model = get_user_model()
    user = user_model(username=username, email=email, is_staff=role == Role.ADMIN,
                      is_superuser=role == Role.ADMIN)
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
    area = validate_access(role, area_code)
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
