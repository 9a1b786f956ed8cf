"""A santunan case for an insured worker hands the heirs' claim to the claims follow-up."""

from __future__ import annotations

import datetime as dt

import pytest

from jamsos.claims.models import FollowUp
from jamsos.registry.models import Person

from .conftest import advance, make_case

pytestmark = pytest.mark.django_db


def test_verification_records_the_death_ends_roles_and_opens_one_follow_up(people, users,
                                                                             extract):
    budi = Person.objects.get(nik="1602131708850001")  # an insured ketua RT
    case = advance(make_case(users), users, "verified")
    budi.refresh_from_db()
    assert budi.died_on == dt.date(2025, 9, 10)
    role = budi.enrolments.get()
    assert (role.status, role.end_date) == ("ended", dt.date(2025, 9, 30))  # premiums stop
    follow_up = FollowUp.objects.get(person=budi)
    assert (follow_up.program, follow_up.source) == ("jkm", f"santunan:{case.pk}")
    assert follow_up.entitlement > 0  # computed by the regulation engine
    assert FollowUp.objects.count() == 1
