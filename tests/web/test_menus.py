"""Menus from the permission table: each role sees what it may open, in the order of its work."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from jamsos.accounts.models import MENU_ITEMS, PERMISSIONS, ROLE_MENUS, Role
from tests.factories import PASSWORD, PEOPLE, TEBING_SULUH, import_rows, user

pytestmark = pytest.mark.django_db

#: One user per role, in the area the demo gives it.
ROLES = {
    Role.ADMIN: "16.02", Role.PIMPINAN: "16.02", Role.OPERATOR: "16.02",
    Role.VERIFIKATOR: "16.02", Role.CAMAT: "16.02.13", Role.KEPALA_DESA: TEBING_SULUH,
    Role.BPJS: "16.02", Role.AUDITOR: "16.02",
}


def menu_links(html: str) -> list[tuple[str, str]]:
    """(key, href) of the wide menu, in order."""
    nav = re.search(r'<nav class="menu-wide".*?</nav>', html, re.S).group(0)
    return re.findall(r'<a href="([^"]+)"[^>]*data-menu="([^"]+)"', nav)


def signed_in(role: str) -> Client:
    client = Client()
    user(f"u-{role}", role, ROLES[role])
    assert client.login(username=f"u-{role}", password=PASSWORD)
    return client


def test_every_role_has_a_menu_of_permitted_items():
    assert set(ROLE_MENUS) == set(Role)
    for role, keys in ROLE_MENUS.items():
        assert len(keys) == len(set(keys)), role
        for key in keys:
            perm = MENU_ITEMS[key].perm
            assert perm is None or role in PERMISSIONS[perm], (role, key)


@pytest.mark.parametrize("role", list(Role))
def test_every_menu_link_of_every_role_opens(role):
    import_rows(*PEOPLE)
    client = signed_in(role)
    page = client.get(reverse("web:home"))
    assert page.status_code == 200
    links = menu_links(page.content.decode())
    assert [k for _, k in links] == list(ROLE_MENUS[role])
    for href, key in links:
        response = client.get(href)
        assert response.status_code == 200, (role, key, href, response.status_code)


def test_menus_match_the_work_of_each_role():
    keys = {role: [k for _, k in menu_links(signed_in(role).get(reverse("web:home"))
                                            .content.decode())] for role in Role}
    # The Bupati: reports and the budget, no lists of named people.
    assert {"claims_report", "santunan_report", "budget"} <= set(keys[Role.PIMPINAN])
    assert not {"claims", "santunan", "people"} & set(keys[Role.PIMPINAN])
    for role in (Role.VERIFIKATOR, Role.BPJS, Role.AUDITOR):
        assert not {"imports", "targets", "premiums"} & set(keys[role]), role
    assert keys[Role.KEPALA_DESA][:3] == ["home", "santunan", "santunan_new"]
    assert keys[Role.AUDITOR][:2] == ["home", "audit"]


def test_anonymous_visitors_see_the_public_page_only():
    page = Client().get(reverse("web:public"))
    assert [k for _, k in menu_links(page.content.decode())] == ["public"]
