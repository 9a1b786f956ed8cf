"""Entitlements from the engine, stored with citations; paid vs entitlement differences."""

from __future__ import annotations

import datetime as dt

import pytest

from jamsos.claims import services
from jamsos.claims.models import Claim
from jamsos.claims.selectors import claims_in, differences
from jamsos.registry.models import Enrolment
from tests.claims.helpers import paid_claim, workers
from tests.factories import user

pytestmark = pytest.mark.django_db


@pytest.fixture
def ctx():
    return workers(), user("op", "operator", "16.02")


def test_jkm_death_items_with_citations(ctx):
    people, op = ctx
    claim = services.create_claim(person=people["budi"], program="jkm", event="death",
                                  event_date=dt.date(2025, 3, 5), user=op)
    assert [(i["code"], i["amount"]) for i in claim.items] == [
        ("death_lump_sum", 20_000_000), ("periodic_benefit", 12_000_000),
        ("funeral", 10_000_000)]
    assert claim.entitlement == 42_000_000
    assert all(i["citation"] == "PP 44/2015 Pasal 34 jo. PP 82/2019" for i in claim.items)
    people["budi"].refresh_from_db()
    assert people["budi"].died_on == dt.date(2025, 3, 5)  # recorded through the registry


def test_jkm_death_in_first_three_months_is_funeral_only(ctx):
    people, op = ctx
    Enrolment.objects.filter(person=people["siti"]).update(start_date=dt.date(2025, 2, 1))
    claim = services.create_claim(person=people["siti"], program="jkm", event="death",
                                  event_date=dt.date(2025, 3, 5), user=op)
    assert [(i["code"], i["amount"]) for i in claim.items] == [("funeral", 10_000_000)]
    assert claim.items[0]["unconfirmed"] is True


def test_jkk_treatment_and_stmb_on_the_registry_wage(ctx):
    people, op = ctx
    claim = services.create_claim(person=people["ahmad"], program="jkk", event="work_accident",
                                  event_date=dt.date(2025, 3, 5), user=op,
                                  facts={"treatment_cost": 5_000_000, "incapacity_months": 2})
    assert claim.wage == 3_000_000
    assert claim.items[0]["code"] == "temporary_incapacity"
    assert claim.items[0]["amount"] == 6_000_000  # 2 months × 100 % × Rp3.000.000
    assert claim.entitlement == 11_000_000


def test_treatment_without_cost_has_no_entitlement_to_compare(ctx):
    people, op = ctx
    claim = paid_claim(people["ahmad"], "jkk", "work_accident", dt.date(2025, 3, 5),
                       paid_on=dt.date(2025, 4, 1), amount=2_500_000, user=op)
    assert claim.entitlement is None and claim.difference is None
    assert not differences(claims_in("16.02")).exists()


def test_difference_flagged_until_followed_up(ctx):
    people, op = ctx
    under = paid_claim(people["ahmad"], "jkk", "work_accident", dt.date(2025, 3, 5),
                       paid_on=dt.date(2025, 4, 1), amount=4_750_000, user=op,
                       facts={"treatment_cost": 5_000_000})
    exact = paid_claim(people["budi"], "jkm", "death", dt.date(2025, 3, 5),
                       paid_on=dt.date(2025, 4, 1), amount=42_000_000, user=op)
    assert under.difference == -250_000 and under.difference_flagged
    assert exact.difference == 0 and not exact.difference_flagged
    assert list(differences(claims_in("16.02"))) == [under]
    services.note_difference(under, note="Tarif RS sesuai PKS; selisih ditanggung RS", user=op)
    assert not differences(claims_in("16.02")).exists()
    assert Claim.objects.get(pk=under.pk).difference == -250_000  # still shown


def test_estimated_jht_balance_is_not_flagged(ctx):
    people, op = ctx
    estimated = paid_claim(people["ahmad"], "jht", "resignation", dt.date(2025, 3, 5),
                           paid_on=dt.date(2025, 4, 10), amount=9_999_999, user=op,
                           facts={"months_paid": 24, "claim_date": "2025-04-10"})
    assert estimated.entitlement_estimated and estimated.difference != 0
    assert not estimated.difference_flagged
    known = paid_claim(people["siti"], "jht", "stop_working", dt.date(2025, 3, 5),
                       paid_on=dt.date(2025, 4, 10), amount=4_000_000, user=op,
                       facts={"balance": 4_100_000})
    assert known.entitlement == 4_100_000 and known.difference_flagged


def test_not_eligible_claim_keeps_the_reasons(ctx):
    people, op = ctx
    claim = services.create_claim(person=people["siti"], program="jkp", event="job_loss",
                                  event_date=dt.date(2025, 3, 5), user=op)
    assert claim.eligible is False and claim.entitlement == 0 and claim.reasons
