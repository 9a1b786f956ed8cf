"""Monthly billing: amounts from the engine, grouping, idempotency, death, JP cap, rounding."""

from __future__ import annotations

import datetime as dt

import pytest

from jamsos.audit.models import AuditEvent
from jamsos.premiums.models import BillingRun, Invoice, InvoiceLine
from jamsos.premiums.services import run_billing
from jamsos.registry.models import Enrolment, Person
from jamsos.registry.services import record_death

from .conftest import AHMAD, BUDI, SITI

pytestmark = pytest.mark.django_db
SEP = dt.date(2025, 9, 1)


def lines(period=SEP):
    return {line.person.nik: line for line in InvoiceLine.objects.filter(period=period)
            .select_related("person")}


def test_amounts_per_programme_from_the_engine(people):
    result = run_billing(SEP)
    assert result.created
    got = lines()
    # BPU, no wage → default declared income Rp1.000.000: JKK 1 % = 10.000 (the minimum),
    # JKM Rp6.800 flat; paid by the government (APBD).
    assert (got[BUDI].wage, got[BUDI].jkk, got[BUDI].jkm, got[BUDI].total) == (
        1_000_000, 10_000, 6_800, 16_800)
    assert got[BUDI].worker_share == 0
    # PU Rp2.000.000, risk class I: JKK 0,24 % = 4.800; JKM 0,30 % = 6.000.
    assert (got[AHMAD].jkk, got[AHMAD].jkm, got[AHMAD].jht, got[AHMAD].total) == (
        4_800, 6_000, 0, 10_800)
    assert result.run.total == 16_800 * 2 + 10_800
    invoices = {i.payer_key: i for i in Invoice.objects.all()}
    assert set(invoices) == {"APBD:DPMD"}  # RT/RW, kelembagaan desa and perangkat desa → DPMD
    assert invoices["APBD:DPMD"].billed == 44_400 and invoices["APBD:DPMD"].lines == 3


def test_rerunning_a_month_changes_nothing(people):
    first = run_billing(SEP)
    Enrolment.objects.filter(person__nik=AHMAD).update(wage=3_000_000)
    again = run_billing(SEP)
    assert not again.created and again.run.pk == first.run.pk
    assert BillingRun.objects.count() == 1 and InvoiceLine.objects.count() == 3
    assert lines()[AHMAD].total == 10_800  # the stored bill, not a recomputation
    assert AuditEvent.objects.filter(object_type="billing_run").count() == 1


def test_funding_sources_make_separate_invoices(people):
    Enrolment.objects.filter(person__nik=AHMAD).update(funding_source="APBDES")
    Enrolment.objects.filter(person__nik=SITI).update(funding_source="MANDIRI")
    run_billing(SEP)
    inv = {i.payer_key: i for i in Invoice.objects.all()}
    siti = Enrolment.objects.get(person__nik=SITI)
    assert set(inv) == {"APBD:DPMD", "APBDES:16.02.02.2001", f"MANDIRI:{siti.pk}"}
    assert inv["APBDES:16.02.02.2001"].payer_name == "APBDes Ulak Kapal"
    assert inv["APBDES:16.02.02.2001"].area_code == "16.02.02.2001"
    assert inv["APBD:DPMD"].area_code == "16.02"
    # Self-paid BPU: the worker pays the same JKK+JKM.
    mandiri = lines()[SITI]
    assert (mandiri.total, mandiri.worker_share) == (16_800, 16_800)


def test_not_billed_before_start_nor_after_the_month_of_death(people, settings):
    Enrolment.objects.filter(person__nik=SITI).update(start_date=dt.date(2025, 10, 15))
    budi = Person.objects.get(nik=BUDI)
    record_death(budi, died_on=dt.date(2025, 9, 20), source="test")
    run_billing(SEP)
    assert set(lines()) == {BUDI, AHMAD}  # Budi billed for the month he died in
    run_billing(dt.date(2025, 10, 1))
    # October: Budi no longer; Siti from her start month (whole month).
    assert set(lines(dt.date(2025, 10, 1))) == {SITI, AHMAD}


def test_suspended_and_secondary_roles_are_not_billed(people):
    Enrolment.objects.filter(person__nik=SITI).update(status="suspended")
    Enrolment.objects.filter(person__nik=BUDI).update(is_primary=False)
    run_billing(SEP)
    assert set(lines()) == {AHMAD}


def test_jp_cap_changes_in_march_and_rounding_half_up(people):
    # Wage above the JP cap: Feb 2025 cap 10.042.300 (2024), Mar 2025 cap 10.547.400.
    Enrolment.objects.filter(person__nik=AHMAD).update(wage=12_345_678, jht=True, jp=True)
    run_billing(dt.date(2025, 2, 1))
    run_billing(dt.date(2025, 3, 1))
    feb, mar = lines(dt.date(2025, 2, 1))[AHMAD], lines(dt.date(2025, 3, 1))[AHMAD]
    # JP 2 % + 1 % of the cap: 10.042.300 × 3 % = 301.269; 10.547.400 × 3 % = 316.422.
    assert feb.jp == 200_846 + 100_423 == 301_269
    assert mar.jp == 210_948 + 105_474 == 316_422
    # JKK 0,24 % × 12.345.678 = 29.629,6272 → 29.630 (half up); JKM 0,30 % = 37.037,034 → 37.037
    # JHT 3,7 % = 456.790,086 → 456.790 and 2 % = 246.913,56 → 246.914.
    assert (mar.jkk, mar.jkm, mar.jht) == (29_630, 37_037, 456_790 + 246_914)
    assert mar.worker_share == 246_914 + 105_474
    assert mar.total == 29_630 + 37_037 + 703_704 + 316_422


def test_default_pu_wage_is_the_umk(people):
    Enrolment.objects.filter(person__nik=AHMAD).update(wage=None)
    run_billing(SEP)
    # UMK OKI 2025 Rp3.681.571: JKK 0,24 % = 8.835,77 → 8.836; JKM 0,30 % = 11.044,713 → 11.045.
    a = lines()[AHMAD]
    assert (a.wage, a.jkk, a.jkm) == (3_681_571, 8_836, 11_045)
