"""The case from the desa's proposal to payment, returns, rejections, duplicates, scoping."""

from __future__ import annotations

import datetime as dt

import pytest

from jamsos.audit.models import AuditEvent
from jamsos.registry.models import Enrolment, Person
from jamsos.santunan import payments, services
from jamsos.santunan.models import Case, Notification, Status, Transition
from tests.santunan.conftest import TODAY, advance, case_data, make_case

pytestmark = pytest.mark.django_db


def test_full_path_records_who_and_when(people, users, extract):
    case = make_case(users)
    assert case.status == Status.DRAFT and case.amount == 1_000_000
    assert case.scheme_version == "2025-09-01" and case.person is not None
    case = advance(case, users, "approved")
    assert case.status == Status.APPROVED
    assert case.sla_start == TODAY and case.sla_days == 7 and case.decile == 3
    batch = payments.create_batch(user=users["dinsos"], area_code="16.02")
    csv_text = payments.batch_csv(batch).decode("utf-8-sig")
    case.refresh_from_db()
    assert f"{case.transfer_reference};Bank SumselBabel;1234567890;SITI AMINAH;1000000" in csv_text
    result = f"Referensi;Status;Tanggal;Keterangan\n{case.transfer_reference};BERHASIL;19-09-2025;"
    out = payments.apply_bank_result(batch, result.encode(), "hasil.csv", user=users["dinsos"],
                                     today=dt.date(2025, 9, 20))
    assert out == {"applied": True, "paid": 1, "failed": 0, "errors": []}
    case.refresh_from_db()
    assert case.status == Status.PAID and case.paid_on == dt.date(2025, 9, 19)
    case = services.transition(case.pk, action="close", user=users["dinsos"], expected="paid")
    assert case.status == Status.CLOSED
    steps = list(Transition.objects.filter(case=case).values_list("action", "user_name"))
    assert steps == [("propose", "kades"), ("submit", "kades"), ("forward", "camat"),
                     ("verify", "dinsos"), ("approve", "dinsos2"), ("batch", "dinsos"),
                     ("paid", "dinsos"), ("close", "dinsos")]
    assert AuditEvent.objects.filter(object_type="santunan_case", object_id=str(case.pk)) \
        .count() == 6  # create + submit, forward, verify, approve, close


def test_verification_records_the_death_of_an_insured_worker(people, users, extract):
    case = advance(make_case(users), users, "verified")
    person = Person.objects.get(nik="1602131708850001")
    assert person.died_on == dt.date(2025, 9, 10)
    assert set(Enrolment.objects.filter(person=person).values_list("end_date", flat=True)) == {
        dt.date(2025, 9, 30)}
    from jamsos.santunan.selectors import insurance_on_death

    info = insurance_on_death(case)
    assert info["covered"] is True


def test_return_needs_a_reason_and_goes_one_step_back(people, users, extract):
    case = advance(make_case(users), users, "submitted")
    with pytest.raises(services.CaseError) as err:
        services.transition(case.pk, action="return", user=users["camat"], expected="submitted")
    assert err.value.field == "reason"
    case = services.transition(case.pk, action="return", user=users["camat"],
                               expected="submitted", reason="Akta kematian buram")
    assert case.status == Status.DRAFT
    assert Notification.objects.filter(user=users["desa"], case=case).exists()
    t = Transition.objects.filter(case=case).last()
    assert (t.action, t.from_status, t.to_status, t.reason) == (
        "return", "submitted", "draft", "Akta kematian buram")


def test_reject_with_reason_allows_a_new_proposal(people, users, extract):
    case = advance(make_case(users), users, "forwarded")
    services.transition(case.pk, action="reject", user=users["dinsos"], expected="forwarded",
                        reason="Bukan warga miskin")
    again = services.propose(user=users["desa"], data=case_data(), today=TODAY)
    assert again.pk != case.pk


def test_second_proposal_for_the_same_person_is_refused_with_a_reference(people, users):
    first = make_case(users)
    with pytest.raises(services.CaseError) as err:
        services.propose(user=users["desa"], data=case_data(), today=TODAY)
    assert err.value.other == first and first.number in err.value.message
    assert Case.objects.count() == 1


def test_database_refuses_a_duplicate_even_past_the_service(people, users):
    from django.db import IntegrityError, transaction

    first = make_case(users)
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.create(**{**case_data(), "died_on": first.died_on}, amount=1,
                            scheme_version="2025-09-01")


def test_only_the_holder_may_act_and_only_in_their_area(people, users, extract):
    case = make_case(users)
    for who in ("camat", "dinsos", "other_desa", "bupati"):
        with pytest.raises(services.CaseError):
            services.transition(case.pk, action="submit", user=users[who], expected="draft")
    with pytest.raises(services.CaseError):
        services.propose(user=users["other_desa"], data=case_data(deceased_nik="1602135708900002",
                                                                  heir_nik="1602131708850001"),
                         today=TODAY)


def test_submit_needs_the_documents_of_the_regulation(people, users):
    case = services.propose(user=users["desa"], data=case_data(), today=TODAY)
    with pytest.raises(services.CaseError) as err:
        services.transition(case.pk, action="submit", user=users["desa"], expected="draft")
    assert "Surat keterangan tidak mampu" in err.value.message


def test_death_before_the_regulation_has_no_santunan(people, users):
    with pytest.raises(services.CaseError) as err:
        services.propose(user=users["desa"], data=case_data(died_on="2025-08-31"), today=TODAY)
    assert err.value.field == "died_on"


def test_failed_transfer_goes_back_to_the_ready_list(people, users, extract):
    case = advance(make_case(users), users, "approved")
    batch = payments.create_batch(user=users["dinsos"], area_code="16.02")
    case.refresh_from_db()
    result = f"Referensi;Status;Tanggal;Keterangan\n{case.transfer_reference};GAGAL;;rekening tutup"
    out = payments.apply_bank_result(batch, result.encode(), "hasil.csv", user=users["dinsos"])
    assert out["failed"] == 1
    case.refresh_from_db()
    assert case.status == Status.APPROVED and case.batch is None
    assert case.transfer_note == "rekening tutup"
    assert list(payments.ready_for_transfer("16.02")) == [case]


def test_bank_result_errors_name_row_column_code_and_change_nothing(people, users, extract):
    case = advance(make_case(users), users, "approved")
    batch = payments.create_batch(user=users["dinsos"], area_code="16.02")
    case.refresh_from_db()
    result = ("Referensi;Status;Tanggal\n"
              f"{case.transfer_reference};BERHASIL;31-02-2025\nXYZ;BERHASIL;01-09-2025\n")
    out = payments.apply_bank_result(batch, result.encode(), "hasil.csv", user=users["dinsos"])
    assert out["applied"] is False
    assert [(e["row"], e["column"], e["code"]) for e in out["errors"]] == [
        (2, "Tanggal", "date_invalid"), (3, "Referensi", "unknown_reference")]
    case.refresh_from_db()
    assert case.status == Status.APPROVED


def test_cases_are_scoped_to_the_users_area(people, users):
    from jamsos.santunan.selectors import cases_for

    case = make_case(users)
    assert list(cases_for(users["camat"])) == [case]
    assert list(cases_for(users["other_desa"])) == []


def test_who_verified_may_not_approve(people, users, extract, settings):
    from jamsos.santunan.services import CaseError, allowed_actions

    case = advance(make_case(users), users, "verified")
    assert "approve" not in allowed_actions(users["dinsos"], case)
    assert "approve" in allowed_actions(users["dinsos2"], case)
    with pytest.raises(CaseError, match="empat mata"):
        services.transition(case.pk, action="approve", user=users["dinsos"], expected="verified")
    case.refresh_from_db()
    assert case.status == Status.VERIFIED
    # A deployment may switch the rule off (JAMSOS_SANTUNAN_FOUR_EYES = False).
    settings.JAMSOS_SANTUNAN_FOUR_EYES = False
    case = services.transition(case.pk, action="approve", user=users["dinsos"],
                               expected="verified")
    assert case.status == Status.APPROVED


def test_transfer_file_does_not_carry_a_formula(people, users, extract):
    """Issue 15 #6: ``=2+2`` typed into a case reached the bank's CSV as a live formula."""
    advance(make_case(users, account_holder="=2+2", heir_name="=2+2"), users, "approved")
    batch = payments.create_batch(user=users["dinsos"], area_code="16.02")
    import csv
    import io

    rows = list(csv.reader(io.StringIO(payments.batch_csv(batch).decode("utf-8-sig")),
                           delimiter=";"))
    assert rows[1][4] == "'=2+2"


def test_the_bank_upload_page_lists_every_refused_row_in_the_error_summary(
        people, users, extract, client):
    """Issue 13 item 5: the page shows every refusal at once at the top, linked to the file."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from tests.factories import PASSWORD

    case = advance(make_case(users), users, "approved")
    batch = payments.create_batch(user=users["dinsos"], area_code="16.02")
    case.refresh_from_db()
    client.login(username="dinsos", password=PASSWORD)
    url = reverse("santunan:batch", args=[batch.pk])
    page = client.post(url, {})
    summary = page.content.decode().split('class="error-summary"')[1].split("</div>")[0]
    assert 'href="#f-result"' in summary and "Pilih berkas" in summary
    result = ("Referensi;Status;Tanggal\n"
              f"{case.transfer_reference};BERHASIL;31-02-2025\nXYZ;BERHASIL;01-09-2025\n")
    page = client.post(url, {"file": SimpleUploadedFile("hasil.csv", result.encode())})
    summary = page.content.decode().split('class="error-summary"')[1].split("</div>")[0]
    assert summary.count("<li>") == 3  # not recorded + both rows
    assert "Baris 2, kolom Tanggal" in summary and "Baris 3, kolom Referensi" in summary
    case.refresh_from_db()
    assert case.status == Status.APPROVED
