"""Province-level users in a province deployment (issue 16); regency users keep their regency."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from jamsos.accounts.models import PROVINCE_ROLES, Role
from jamsos.accounts.selectors import area_code_of, in_area
from jamsos.accounts.services import create_user, validate_access
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", sorted(PROVINCE_ROLES))
def test_province_roles_may_work_at_province_level(settings, role):
    settings.JAMSOS_AREA = "16"
    assert validate_access(role, "16").code == "16"


@pytest.mark.parametrize("role", sorted(set(Role.values) - PROVINCE_ROLES))
def test_other_roles_may_not_work_at_province_level(settings, role):
    settings.JAMSOS_AREA = "16"
    with pytest.raises(ValidationError):
        validate_access(role, "16")


def test_a_kabupaten_deployment_refuses_the_province_and_other_regencies(settings):
    settings.JAMSOS_AREA = ""
    for area in ("16", "16.01"):
        with pytest.raises(ValidationError) as exc:
            validate_access("operator", area)
        assert exc.value.code == "area"
    assert validate_access("pimpinan", "16.02").code == "16.02"


def test_a_province_deployment_accepts_users_of_every_regency_but_not_other_provinces(settings):
    settings.JAMSOS_AREA = "16"
    assert validate_access("pimpinan", "16.01").code == "16.01"
    assert validate_access("camat", "16.03.01").code == "16.03.01"
    with pytest.raises(ValidationError):
        validate_access("operator", "17.01")
    with pytest.raises(ValidationError):
        validate_access("pimpinan", "16.02.13")  # a pimpinan leads a regency or the province


def test_regency_users_see_only_their_regency_and_province_users_all(settings):
    settings.JAMSOS_AREA = "16"
    oki = create_user(username="oki", role="operator", area_code="16.02", password=PASSWORD,
                      validate=False)
    prov = create_user(username="prov", role="operator", area_code="16", password=PASSWORD,
                       validate=False)
    assert area_code_of(prov) == "16"
    assert in_area(oki, "16.02.13.2005") and not in_area(oki, "16.01.01.2001")
    assert not in_area(oki, "16.021") and not in_area(oki, "16")
    assert in_area(prov, "16.01.01.2001") and in_area(prov, "16.02.13.2005")
    assert not in_area(prov, "17.01")


def test_a_superuser_without_profile_sees_the_deployment_area(settings, django_user_model):
    root = django_user_model.objects.create_superuser("root", password=PASSWORD)
    settings.JAMSOS_AREA = "16"
    assert area_code_of(root) == "16"
    settings.JAMSOS_AREA = ""
    assert area_code_of(root) == "16.02"
