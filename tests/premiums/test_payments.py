"""Payments (full, partial), FIFO coverage of lines, arrears, BPU lapse and eligibility."""

from __future__ import annotations

import datetime as dt

import pytest

from jamsos.audit.models import AuditEvent
from jamsos.premiums.models import Invoice, InvoiceLine
from jamsos.premiums.selectors import arrears_list, arrears_months, is_eligible
from jamsos.premiums.services import PremiumError, add_adjustment, record_payment, run_billing
from jamsos.registry.models import Enrolment
from tests.factories import PEOPLE, import_rows

from .conftest import AHMAD, BUDI, SITI

pytestmark = pytest.mark.django_db


def month(m: int) -> dt.date:
    return dt.date(2025, m, 1)


def invoice(m: int, key: str = "APBD:DPMD") -> Invoice:
    return Invoice.objects.get(period=month(m), payer_key=key)


def test_partial_then_full_payment(people):
    run_billing(month(9))
    inv = invoice(9)
    assert (inv.amount_due, inv.status) == (44_400, "unpaid")
    # Lines in id order (people are imported in NIK order): Ahmad 10.800, Budi 16.800, Siti.
    record_payment(inv, amount=20_000, paid_on=dt.date(2025, 10, 10), reference="SP2D-1")
    inv.refresh_from_db()
    assert (inv.paid, inv.outstanding, inv.status) == (20_000, 24_400, "partial")
    paid = dict(InvoiceLine.objects.values_list("person__nik", "paid_on"))
    assert paid == {AHMAD: dt.date(2025, 10, 10), BUDI: None, SITI: None}
    record_payment(inv, amount=24_400, paid_on=dt.date(2025, 10, 20), reference="SP2D-2")
    inv.refresh_from_db()
    assert inv.status == "paid"
    paid = dict(InvoiceLine.objects.values_list("person__nik", "paid_on"))
    assert paid == {AHMAD: dt.date(2025, 10, 10), BUDI: dt.date(2025, 10, 20),
                    SITI: dt.date(2025, 10, 20)}
    assert AuditEvent.objects.filter(object_type="payment").count() == 2


def test_overpayment_and_missing_reference_are_refused(people):
    run_billing(month(9))
    with pytest.raises(PremiumError) as e:
        record_payment(invoice(9), amount=44_401, paid_on=dt.date(2025, 10, 1), reference="x")
    assert e.value.field == "amount"
    with pytest.raises(PremiumError) as e:
        record_payment(invoice(9), amount=100, paid_on=dt.date(2025, 10, 1), reference=" ")
    assert e.value.field == "reference"


def test_the_service_itself_refuses_who_may_not_write_the_invoice(people):
    from jamsos.core.errors import ErrorCode
    from tests.factories import user

    run_billing(month(9))
    inv = invoice(9)  # the kabupaten's invoice
    for refused in (user("pay-bupati", "pimpinan", "16.02"),
                    user("pay-camat", "camat", "16.02.13")):
        for write in (lambda u: record_payment(inv, amount=100, paid_on=dt.date(2025, 10, 1),
                                               reference="x", user=u),
                      lambda u: add_adjustment(inv, amount=-100, reason="uji", user=u)):
            with pytest.raises(PremiumError) as e:
                write(refused)
            assert e.value.code is ErrorCode.FORBIDDEN and e.value.http_status == 403
    inv.refresh_from_db()
    assert (inv.paid, inv.adjusted) == (0, 0)
    record_payment(inv, amount=100, paid_on=dt.date(2025, 10, 1), reference="SP2D-9",
                   user=user("pay-op", "operator", "16.02"))
    inv.refresh_from_db()
    assert inv.paid == 100


def test_adjustment_is_explicit_and_audited(people):
    run_billing(month(9))
    inv = invoice(9)
    add_adjustment(inv, amount=-16_800, reason="Budi meninggal Agustus (terlambat dilaporkan)")
    inv.refresh_from_db()
    assert (inv.billed, inv.adjusted, inv.amount_due) == (44_400, -16_800, 27_600)
    # A credit counts as money for the lines, so paying the rest covers every line.
    record_payment(inv, amount=27_600, paid_on=dt.date(2025, 10, 5), reference="SP2D-3")
    inv.refresh_from_db()
    assert inv.status == "paid"
    ev = AuditEvent.objects.get(object_type="adjustment")
    assert ev.changes["amount"] == [None, -16_800]


def test_arrears_and_bpu_lapse_after_three_unpaid_months(people):
    Enrolment.objects.filter(person__nik=SITI).update(funding_source="MANDIRI")
    siti = Enrolment.objects.get(person__nik=SITI)
    for m in (6, 7, 8, 9):
        run_billing(month(m))
    own = f"MANDIRI:{siti.pk}"
    record_payment(invoice(6, own), amount=16_800, paid_on=dt.date(2025, 7, 10), reference="a")
    assert arrears_months(siti, month(9)) == 3  # July, August, September
    assert arrears_months(siti, month(8)) == 2
    assert arrears_months(siti, month(6)) == 0
    # Before the 6th's payment was made, June too was unpaid.
    assert arrears_months(siti, month(6), as_of=dt.date(2025, 7, 1)) == 1
    # Due months are those before the date's month: on 15 Sep, July+August → still covered.
    e = is_eligible(siti.person, dt.date(2025, 9, 15))
    assert e.eligible and e.arrears == 2 and e.notes == ["menunggak 2 bulan"]
    # On 5 Oct: July, August, September unpaid → BPU lapse.
    e = is_eligible(siti.person, dt.date(2025, 10, 5))
    assert not e.eligible and e.arrears == 3
    assert e.reason == "kepesertaan BPU tidak aktif: menunggak 3 bulan"
    # Paying September ends the run of unpaid months counted back from September.
    record_payment(invoice(9, own), amount=16_800, paid_on=dt.date(2025, 10, 6), reference="b")
    assert is_eligible(siti.person, dt.date(2025, 10, 7)).eligible
    assert not is_eligible(siti.person, dt.date(2025, 10, 5)).eligible  # as it was that day


def test_pu_arrears_do_not_end_protection(people):
    for m in (6, 7, 8, 9):
        run_billing(month(m))
    ahmad = Enrolment.objects.get(person__nik=AHMAD)
    e = is_eligible(ahmad.person, dt.date(2025, 10, 5))
    assert e.eligible and e.arrears == 4


def test_arrears_list_is_limited_to_the_area(people):
    for m in (7, 8, 9):
        run_billing(month(m))
    rows = arrears_list("16.02.13", month(9))
    assert {r["nik"] for r in rows} == {BUDI, SITI}
    assert all(r["months"] == 3 and r["lapsed"] for r in rows)
    assert rows[0]["amount"] == 3 * 16_800
    assert {r["nik"] for r in arrears_list("16.02", month(9))} == {BUDI, SITI, AHMAD}
    assert not next(r for r in arrears_list("16.02", month(9)) if r["nik"] == AHMAD)["lapsed"]


def test_not_eligible_without_a_role_in_force(people):
    ahmad = Enrolment.objects.get(person__nik=AHMAD)
    assert not is_eligible(ahmad.person, dt.date(2024, 12, 31)).eligible


def test_a_far_future_month_cannot_be_billed(people):
    today = dt.date(2025, 9, 15)
    assert run_billing(dt.date(2025, 10, 1), today=today).created  # next month: allowed
    with pytest.raises(PremiumError, match="paling lambat Okt 2025") as refused:
        run_billing(dt.date(2205, 9, 1), today=today)
    assert refused.value.field == "period"
    from jamsos.premiums.models import BillingRun

    assert list(BillingRun.objects.values_list("period", flat=True)) == [dt.date(2025, 10, 1)]


def test_adjustments_are_capped(people):
    run_billing(month(9))
    inv = invoice(9)
    with pytest.raises(PremiumError, match="terlalu besar"):
        add_adjustment(inv, amount=10**15 + 1, reason="salah ketik")
    add_adjustment(inv, amount=10**15 - 1, reason="uji batas")
    with pytest.raises(PremiumError, match="terlalu besar"):
        add_adjustment(inv, amount=2, reason="melewati batas")
    with pytest.raises(PremiumError, match="bilangan bulat"):
        add_adjustment(inv, amount=True, reason="bukan angka")
    inv.refresh_from_db()
    assert inv.adjusted == 10**15 - 1



def test_a_payment_outside_any_transaction_locks_its_invoice_in_its_own(oki_regions,
                                                                         transactional_db):
    """record_payment locks the invoice (select_for_update), which PostgreSQL allows only in
    a transaction: the service opens its own, as a web request (autocommit) needs."""
    import_rows(*PEOPLE)
    Enrolment.objects.update(start_date=dt.date(2025, 1, 1))
    run_billing(month(9))
    inv = invoice(9)
    record_payment(inv, amount=inv.amount_due, paid_on=dt.date(2025, 10, 10),
                   reference="SP2D-9")
    inv.refresh_from_db()
    assert inv.status == "paid"
