"""The status ladder: reported → documents complete → submitted → paid | rejected."""

from __future__ import annotations

import datetime as dt

import pytest

from jamsos.audit.models import AuditEvent
from jamsos.claims import services
from jamsos.claims.models import ClaimStatus
from jamsos.claims.services import ClaimError
from tests.claims.helpers import through_ladder, workers
from tests.factories import user

pytestmark = pytest.mark.django_db
D = dt.date(2025, 3, 5)


@pytest.fixture
def claim():
    people = workers()
    op = user("op", "operator", "16.02")
    return services.create_claim(person=people["ahmad"], program="jkk", event="work_accident",
                                 event_date=D, user=op, facts={"treatment_cost": 4_000_000},
                                 reported_on=dt.date(2025, 3, 6)), op


def test_no_skipping(claim):
    claim, op = claim
    for target in ("submitted", "paid", "rejected"):
        with pytest.raises(ClaimError) as exc:
            services.move_claim(claim, to=target, user=op, paid_amount=1, reason="x")
        assert exc.value.field == "status"
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.REPORTED


def test_documents_must_be_complete(claim):
    claim, op = claim
    services.set_documents(claim, received=["kartu_peserta", "ktp"], user=op)
    with pytest.raises(ClaimError) as exc:
        services.move_claim(claim, to="documents_complete", user=op)
    assert exc.value.field == "documents"
    assert "Laporan kecelakaan kerja tahap I" in exc.value.message
    with pytest.raises(ClaimError):
        services.set_documents(claim, received=["foto_selfie"], user=op)


def test_full_ladder_records_dates_and_who(claim):
    claim, op = claim
    bpjs = user("bpjs", "bpjs", "16.02")
    claim = through_ladder(claim, user=op, to="submitted", on=dt.date(2025, 3, 10))
    claim = services.move_claim(claim, to="paid", user=bpjs, on=dt.date(2025, 3, 20),
                                paid_amount=4_000_000)
    steps = [(s.status, s.on, s.by_name) for s in claim.steps.all()]
    assert steps == [
        ("reported", dt.date(2025, 3, 6), "op"),
        ("documents_complete", dt.date(2025, 3, 10), "op"),
        ("submitted", dt.date(2025, 3, 10), "op"),
        ("paid", dt.date(2025, 3, 20), "bpjs"),
    ]
    assert (claim.paid_amount, claim.paid_on, claim.status) == (4_000_000, dt.date(2025, 3, 20),
                                                                "paid")
    events = AuditEvent.objects.filter(object_type="claim", object_id=str(claim.pk))
    assert events.count() == 5  # create, documents, three moves
    with pytest.raises(ClaimError):  # paid is final
        services.move_claim(claim, to="rejected", user=bpjs, reason="x")


def test_paid_needs_amount_and_rejected_needs_reason(claim):
    claim, op = claim
    claim = through_ladder(claim, user=op, to="submitted", on=dt.date(2025, 3, 10))
    with pytest.raises(ClaimError) as exc:
        services.move_claim(claim, to="paid", user=op)
    assert exc.value.field == "paid_amount"
    with pytest.raises(ClaimError) as exc:
        services.move_claim(claim, to="rejected", user=op, reason="  ")
    assert exc.value.field == "reason"
    claim = services.move_claim(claim, to="rejected", user=op, reason="Bukan kecelakaan kerja")
    assert claim.status == "rejected" and claim.rejection_reason == "Bukan kecelakaan kerja"


def test_dates_cannot_go_back_or_into_the_future(claim):
    claim, op = claim
    services.set_documents(claim, received=[
        "kartu_peserta", "laporan_tahap_1", "kronologi", "laporan_tahap_2", "kuitansi", "ktp"],
        user=op)
    with pytest.raises(ClaimError) as exc:
        services.move_claim(claim, to="documents_complete", user=op, on=dt.date(2025, 3, 1))
    assert exc.value.field == "on"
    with pytest.raises(ClaimError):
        services.move_claim(claim, to="documents_complete", user=op,
                            on=dt.date(2025, 4, 1), today=dt.date(2025, 3, 31))


def test_a_stale_second_move_is_refused(claim):
    """Two clerks press the same button: the service re-reads the row under lock."""
    claim, op = claim
    through_ladder(claim, user=op, to="documents_complete", on=dt.date(2025, 3, 10))
    stale = claim  # still says "reported"
    assert stale.status == "reported"
    with pytest.raises(ClaimError):
        services.move_claim(stale, to="documents_complete", user=op)
    assert claim.steps.filter(status="documents_complete").count() == 1


def test_documents_frozen_after_submission(claim):
    claim, op = claim
    claim = through_ladder(claim, user=op, to="submitted", on=dt.date(2025, 3, 10))
    with pytest.raises(ClaimError):
        services.set_documents(claim, received=[], user=op)


def test_claim_needs_coverage_on_the_event_date():
    people = workers()
    op = user("op", "operator", "16.02")
    with pytest.raises(ClaimError) as exc:
        services.create_claim(person=people["budi"], program="jkk", event="work_accident",
                              event_date=dt.date(2020, 12, 31), user=op)
    assert "kepesertaan" in exc.value.message


def test_a_report_date_in_the_future_is_refused():
    from jamsos.claims.models import Claim

    people = workers()
    op = user("op", "operator", "16.02")
    with pytest.raises(ClaimError) as exc:
        services.create_claim(person=people["ahmad"], program="jkk", event="work_accident",
                              event_date=D, user=op, reported_on=dt.date(2025, 3, 7),
                              today=dt.date(2025, 3, 6))
    assert exc.value.field == "reported_on"
    assert not Claim.objects.exists()
