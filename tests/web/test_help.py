"""A short help page per role, linked from every signed-in page (issue 13 item 8)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jamsos.accounts.models import Role
from jamsos.web.help import HELP
from tests.factories import user

pytestmark = pytest.mark.django_db
AREAS = {"kepala_desa": "16.02.13.2005", "camat": "16.02.13"}


def test_every_role_has_five_to_ten_steps():
    assert set(HELP) == set(Role.values)
    assert all(5 <= len(steps) <= 10 for _title, steps in HELP.values())


@pytest.mark.parametrize("role", ["kepala_desa", "camat", "verifikator", "pimpinan"])
def test_each_role_reads_its_own_help_linked_from_the_footer(client, role):
    client.force_login(user(f"u-{role}", role, AREAS.get(role, "16.02")))
    home = client.get(reverse("web:home"), follow=True).content.decode()
    assert f'href="{reverse("web:help")}"' in home
    page = client.get(reverse("web:help")).content.decode()
    title, steps = HELP[role]
    assert f'id="help-{role}"' in page and str(title) in page
    assert page.count("<li>") >= len(steps)
