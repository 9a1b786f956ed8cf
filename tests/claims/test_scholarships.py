"""Scholarships: per-child entitlement from the engine, yearly payments, end conditions."""

from __future__ import annotations

import datetime as dt

import pytest

from jamsos.claims import services
from jamsos.claims.models import EndReason
from jamsos.claims.selectors import scholarships_due
from jamsos.claims.services import ClaimError
from tests.claims.helpers import through_ladder, workers
from tests.factories import user

pytestmark = pytest.mark.django_db
DEATH = dt.date(2025, 3, 5)  # school year 2024/2025


@pytest.fixture
def death():
    people = workers()
    op = user("op", "operator", "16.02")
    claim = services.create_claim(person=people["ahmad"], program="jkk",
                                  event="work_accident_death", event_date=DEATH, user=op,
                                  reported_on=DEATH)
    return claim, op


def test_each_child_share_and_the_two_child_limit(death):
    claim, op = death
    a = services.add_child(claim, name="A", birth_date=dt.date(2021, 1, 1),
                           level="belum_sekolah", user=op)
    b = services.add_child(claim, name="B", birth_date=dt.date(2012, 1, 1), level="smp",
                           years_done=1, user=op)
    c = services.add_child(claim, name="C", birth_date=dt.date(2014, 1, 1), level="sd", user=op)
    a.refresh_from_db(), b.refresh_from_db(), c.refresh_from_db()
    assert a.entitlement == 87_000_000  # 1.5×2 + 1.5×6 + 2×3 + 3×3 + 12×5 jt
    assert b.entitlement == 73_000_000  # SMP 2×2 + SMA 3×3 + PT 5×12 jt
    assert c.entitlement == 0  # at most two children (PP 82/2019)
    claim.refresh_from_db()
    assert claim.scholarship_entitlement == 160_000_000
    assert "PP 82/2019" in a.citation


def test_child_aged_23_on_the_event_date_gets_nothing(death):
    claim, op = death
    child = services.add_child(claim, name="Dewasa", birth_date=dt.date(2001, 1, 1), level="pt",
                               user=op)
    child.refresh_from_db()
    assert child.entitlement == 0
    with pytest.raises(ClaimError):
        services.record_scholarship_payment(child, school_year=2024, amount=12_000_000,
                                            paid_on=dt.date(2025, 4, 1), user=op)


def test_awarded_when_the_claim_is_paid_and_yearly_levels(death):
    claim, op = death
    child = services.add_child(claim, name="Sari", birth_date=dt.date(2013, 6, 1), level="sd",
                               years_done=5, user=op)
    assert child.awarded_on is None
    through_ladder(claim, user=op, on=dt.date(2025, 4, 2), paid_amount=claim.entitlement)
    child.refresh_from_db()
    assert child.awarded_on == dt.date(2025, 4, 2)
    assert services.yearly_entitlement(child, 2024)[:2] == ("sd", 1_500_000)  # SD year 6
    assert services.yearly_entitlement(child, 2025)[:2] == ("smp", 2_000_000)
    assert services.yearly_entitlement(child, 2028)[:2] == ("sma", 3_000_000)
    assert services.yearly_entitlement(child, 2031)[:2] == ("pt", 12_000_000)
    assert services.yearly_entitlement(child, 2036)[:2] == (None, 0)  # levels completed
    p = services.record_scholarship_payment(child, school_year=2025, amount=2_000_000,
                                            paid_on=dt.date(2025, 8, 20), user=op)
    assert (p.level, p.entitled, p.amount) == ("smp", 2_000_000, 2_000_000)
    with pytest.raises(ClaimError) as exc:
        services.record_scholarship_payment(child, school_year=2025, amount=2_000_000,
                                            paid_on=dt.date(2025, 8, 21), user=op)
    assert "sudah dibayar" in exc.value.message


def test_scholarship_ends_at_age_23(death):
    claim, op = death
    child = services.add_child(claim, name="Tua", birth_date=dt.date(2005, 3, 1), level="pt",
                               user=op)
    child.refresh_from_db()
    assert child.entitlement == 60_000_000  # aged 20 on the event date: PT 5 × 12 jt
    assert services.end_reason_on(child, dt.date(2027, 7, 1)) is None
    assert services.end_reason_on(child, dt.date(2028, 3, 1)) == EndReason.AGE
    services.record_scholarship_payment(child, school_year=2027, amount=12_000_000,
                                        paid_on=dt.date(2027, 8, 1), user=op)
    with pytest.raises(ClaimError) as exc:
        services.record_scholarship_payment(child, school_year=2028, amount=12_000_000,
                                            paid_on=dt.date(2028, 8, 1), user=op)
    assert "Usia 23" in exc.value.message


@pytest.mark.parametrize("reason", [EndReason.MARRIED, EndReason.WORKING])
def test_marriage_or_work_ends_it(death, reason):
    claim, op = death
    child = services.add_child(claim, name="Nina", birth_date=dt.date(2006, 5, 1), level="sma",
                               years_done=2, user=op)
    services.end_scholarship(child, reason=reason, on=dt.date(2025, 6, 1), user=op)
    with pytest.raises(ClaimError) as exc:
        services.record_scholarship_payment(child, school_year=2025, amount=3_000_000,
                                            paid_on=dt.date(2025, 8, 1), user=op)
    assert "berakhir" in exc.value.message
    with pytest.raises(ClaimError):
        services.end_scholarship(child, reason=reason, on=dt.date(2025, 7, 1), user=op)


def test_worklist_of_yearly_claims_due(death):
    claim, op = death
    pay = services.add_child(claim, name="Bayu", birth_date=dt.date(2016, 2, 1), level="sd",
                             years_done=2, user=op)
    wed = services.add_child(claim, name="Wati", birth_date=dt.date(2006, 2, 1), level="sma",
                             years_done=1, user=op)
    assert scholarships_due("16.02", dt.date(2025, 9, 1)) == []  # not awarded yet
    through_ladder(claim, user=op, on=dt.date(2025, 4, 2), paid_amount=claim.entitlement)
    due = scholarships_due("16.02", dt.date(2025, 9, 1))
    assert [(d.child.name, d.school_year, d.level, d.amount) for d in due] == [
        ("Bayu", 2025, "sd", 1_500_000), ("Wati", 2025, "sma", 3_000_000)]
    services.record_scholarship_payment(pay, school_year=2025, amount=1_500_000,
                                        paid_on=dt.date(2025, 9, 2), user=op)
    services.end_scholarship(wed, reason=EndReason.MARRIED, on=dt.date(2025, 8, 1), user=op)
    assert scholarships_due("16.02", dt.date(2025, 9, 3)) == []
    assert scholarships_due("16.02.13", dt.date(2025, 9, 3)) == []  # Ahmad lives elsewhere


def test_only_death_or_total_disability_claims_have_scholarships():
    people = workers()
    op = user("op", "operator", "16.02")
    claim = services.create_claim(person=people["ahmad"], program="jkk", event="work_accident",
                                  event_date=DEATH, user=op)
    with pytest.raises(ClaimError):
        services.add_child(claim, name="X", birth_date=dt.date(2020, 1, 1), level="tk", user=op)


def test_jkm_scholarship_needs_three_years_of_contributions():
    people = workers()
    op = user("op", "operator", "16.02")
    from jamsos.registry.models import Enrolment

    Enrolment.objects.filter(person=people["siti"]).update(start_date=dt.date(2023, 1, 1))
    claim = services.create_claim(person=people["siti"], program="jkm", event="death",
                                  event_date=DEATH, user=op)
    child = services.add_child(claim, name="Kecil", birth_date=dt.date(2020, 1, 1), level="tk",
                               user=op)
    child.refresh_from_db()
    assert child.entitlement == 0  # 26 months of masa iur < 36
    claim.refresh_from_db()
    assert any("kurang dari 36" in n for n in claim.notes)
