"""The heirs' follow-up: exactly one per death of an insured person, from any source."""

from __future__ import annotations

import datetime as dt

import pytest

from jamsos.claims import services
from jamsos.claims.models import FollowUp
from jamsos.claims.selectors import follow_up_for, unclaimed_entitlements
from jamsos.claims.services import ClaimError
from jamsos.registry.services import record_death
from tests.claims.helpers import workers
from tests.factories import TEBING_SULUH, user

pytestmark = pytest.mark.django_db
D = dt.date(2025, 6, 10)


@pytest.fixture
def ctx():
    return workers(), user("op", "operator", "16.02")


def test_from_a_santunan_case(ctx):
    people, op = ctx
    assert record_death(people["siti"], died_on=D, source="santunan:7", user=op) is True
    fu = follow_up_for(people["siti"])
    assert (fu.status, fu.program, fu.event, fu.source) == ("open", "jkm", "death", "santunan:7")
    assert fu.entitlement == 42_000_000
    assert [i["code"] for i in fu.items] == ["death_lump_sum", "periodic_benefit", "funeral"]


def test_exactly_once_whatever_the_sources(ctx):
    people, op = ctx
    record_death(people["budi"], died_on=D, source="registri", user=op)
    assert record_death(people["budi"], died_on=D, source="santunan:9", user=op) is False
    assert FollowUp.objects.filter(person=people["budi"]).count() == 1
    claim = services.create_claim(person=people["budi"], program="jkm", event="death",
                                  event_date=D, user=op)
    fu = FollowUp.objects.get(person=people["budi"])
    assert (fu.status, fu.claim_id, fu.source) == ("filed", claim.pk, "registri")
    # A second death claim (e.g. JKK after all) does not open another follow-up.
    services.create_claim(person=people["budi"], program="jkk", event="work_accident_death",
                          event_date=D, user=op)
    assert FollowUp.objects.filter(person=people["budi"]).count() == 1


def test_from_a_claim_opens_and_files_at_once(ctx):
    people, op = ctx
    claim = services.create_claim(person=people["ahmad"], program="jkk",
                                  event="work_accident_death", event_date=D, user=op)
    fu = FollowUp.objects.get()
    assert (fu.status, fu.claim_id, fu.program, fu.source) == ("filed", claim.pk, "jkk",
                                                               "klaim:jkk")
    assert fu.entitlement == 48 * 3_000_000 + 12_000_000 + 10_000_000
    assert unclaimed_entitlements("16.02")["amount"] == 0


def test_work_accident_source_computes_jkk(ctx):
    people, op = ctx
    record_death(people["ahmad"], died_on=D, source=services.WORK_ACCIDENT_SOURCE, user=op)
    fu = follow_up_for(people["ahmad"])
    assert fu.program == "jkk" and fu.entitlement == 166_000_000


def test_not_insured_on_the_date_of_death_no_follow_up(ctx):
    people, op = ctx
    record_death(people["siti"], died_on=dt.date(2020, 12, 1), source="registri", user=op)
    assert follow_up_for(people["siti"]) is None


def test_unclaimed_report_and_declining(ctx):
    people, op = ctx
    record_death(people["budi"], died_on=D, source="registri", user=op)
    record_death(people["ahmad"], died_on=D, source="santunan:1", user=op)
    report = unclaimed_entitlements("16.02")
    assert (report["follow_ups"], report["amount"]) == (2, 84_000_000)
    assert unclaimed_entitlements(TEBING_SULUH)["amount"] == 42_000_000  # area-limited
    services.decline_follow_up(follow_up_for(people["ahmad"]),
                               reason="Tidak ada ahli waris yang dapat dihubungi", user=op)
    assert unclaimed_entitlements("16.02")["amount"] == 42_000_000
    with pytest.raises(ClaimError):
        services.decline_follow_up(follow_up_for(people["ahmad"]), reason="lagi", user=op)
