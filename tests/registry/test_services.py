"""Single-record changes: NIK correction, ending a role, double enrolment."""

from __future__ import annotations

import datetime as dt

import pytest

from jamsos.audit.models import AuditEvent
from jamsos.coverage.selectors import coverage_by_category
from jamsos.registry.models import Enrolment, Person
from jamsos.registry.selectors import double_enrolments, search_people
from jamsos.registry.services import RegistryError, end_enrolment, update_person
from tests.factories import PEOPLE, TEBING_SULUH, import_rows

pytestmark = pytest.mark.django_db
TODAY = dt.date(2025, 9, 2)


@pytest.fixture
def budi():
    import_rows(*PEOPLE)
    return Person.objects.get(nik="1602131708850001")


def test_nik_correction_keeps_the_person_and_their_enrolments(budi):
    enrolment_ids = list(budi.enrolments.values_list("id", flat=True))
    warnings = update_person(budi, user=None, today=TODAY, nik="1602131708850009")
    budi.refresh_from_db()
    assert budi.nik == "1602131708850009" and warnings == []
    assert list(budi.enrolments.values_list("id", flat=True)) == enrolment_ids
    event = AuditEvent.objects.get(object_type="person", object_id=str(budi.pk), action="update")
    assert event.changes == {"nik": ["1602131708850001", "1602131708850009"]}


def test_nik_with_a_different_birth_date_is_a_warning_not_an_error(budi):
    warnings = update_person(budi, user=None, today=TODAY, birth_date=dt.date(1985, 8, 18))
    assert len(warnings) == 1 and "tanggal lahir" in warnings[0].lower()
    budi.refresh_from_db()
    assert budi.birth_date == dt.date(1985, 8, 18)


@pytest.mark.parametrize(("changes", "field"), [
    ({"nik": "1602131708850000"}, "nik"),           # serial 0000
    ({"nik": "1602135708900002"}, "nik"),           # Siti's NIK
    ({"name": "  "}, "name"),
    ({"kpj": "12345"}, "kpj"),
    ({"desa_id": "16.01.01.2001"}, "desa_id"),      # outside the kabupaten
])
def test_bad_changes_are_refused_and_nothing_is_written(budi, changes, field):
    with pytest.raises(RegistryError) as err:
        update_person(budi, user=None, today=TODAY, **changes)
    assert err.value.field == field and err.value.message
    fresh = Person.objects.get(pk=budi.pk)
    assert (fresh.nik, fresh.name, fresh.kpj) == ("1602131708850001", "Budi Santoso", None)
    assert not AuditEvent.objects.filter(object_type="person", action="update").exists()


def test_ending_the_insured_role_moves_insurance_to_the_other_role(budi):
    import_rows(PEOPLE[0].replace(";d;Ketua RT", ";c;Hansip"))
    rt, hansip = (Enrolment.objects.get(person=budi, category=c)
                  for c in ("rt_rw", "kelembagaan_desa"))
    # Kelembagaan desa precedes RT/RW in the category order: the hansip role is insured.
    assert (hansip.is_primary, rt.is_primary) == (True, False)
    assert list(double_enrolments(TEBING_SULUH)) == [budi]
    end_enrolment(hansip, end_date=dt.date(2025, 12, 31), reason="pindah", user=None)
    rt.refresh_from_db()
    assert rt.is_primary and list(double_enrolments(TEBING_SULUH)) == []
    with pytest.raises(RegistryError):
        end_enrolment(hansip, end_date=dt.date(2026, 1, 1), reason="x", user=None)


def test_ending_a_role_updates_coverage(budi):
    before = {r.code: r.covered for r in coverage_by_category()}
    end_enrolment(budi.enrolments.get(), end_date=dt.date(2025, 9, 1), reason="meninggal",
                  user=None)
    after = {r.code: r.covered for r in coverage_by_category()}
    assert after["rt_rw"] == before["rt_rw"] - 1 and after["_all"] == before["_all"] - 1


def test_search_is_limited_to_the_area(budi):
    assert list(search_people(TEBING_SULUH, "budi")) == [budi]
    assert list(search_people("16.02.02", "budi")) == []
    assert list(search_people("16.02", "1602 1317 0885 0001")) == [budi]


def test_recording_a_death_ends_roles_after_that_month_and_signals_once(budi):
    from jamsos.registry.services import record_death
    from jamsos.registry.signals import person_died

    heard = []

    def listener(sender, person, died_on, source, user, **kw):
        heard.append((person.pk, died_on, source))

    person_died.connect(listener)
    try:
        assert record_death(budi, died_on=dt.date(2025, 10, 14), source="santunan:1")
        assert not record_death(budi, died_on=dt.date(2025, 10, 14), source="claim:9")
    finally:
        person_died.disconnect(listener)
    assert heard == [(budi.pk, dt.date(2025, 10, 14), "santunan:1")]
    role = budi.enrolments.get()
    assert (role.status, role.end_date) == ("ended", dt.date(2025, 10, 31))
    assert {r.code: r.covered for r in coverage_by_category()}["rt_rw"] == 0
    with pytest.raises(RegistryError):
        record_death(budi, died_on=dt.date(2025, 10, 15), source="x")


def test_ending_a_role_reranks_only_that_person(monkeypatch):
    """Issue 12: one person's change costs one person's work (the insured role is re-chosen
    for that person only), and coverage hears of it through the registry's event."""
    import datetime as dt

    from jamsos.registry import signals
    from jamsos.registry.importing import writer
    from jamsos.registry.models import Enrolment
    from jamsos.registry.services import end_enrolment
    from tests.factories import PEOPLE, import_rows, user

    import_rows(*PEOPLE)
    calls, heard = [], []
    rank = writer.recompute_primary
    monkeypatch.setattr(writer, "recompute_primary",
                        lambda cur, **kw: (calls.append(kw), rank(cur, **kw)))
    signals.roles_changed.connect(lambda sender, **kw: heard.append(kw["desa_codes"]),
                                  weak=False, dispatch_uid="test.heard")
    try:
        role = Enrolment.objects.filter(person__nik="1602131708850001").get()
        end_enrolment(role, end_date=dt.date(2025, 9, 30), reason="pindah",
                      user=user("op", "operator", "16.02"))
    finally:
        signals.roles_changed.disconnect(dispatch_uid="test.heard")
    assert calls == [{"person_ids": [role.person_id]}]
    assert heard == [["16.02.13.2005"]]


def test_an_import_started_outside_the_worker_ends_its_batch():
    """Issue 12: an import run from the CLI or the demo no longer leaves its batch running."""
    from jamsos.registry.models import ImportBatch, ImportStatus

    report = import_rows(*PEOPLE)
    batch = ImportBatch.objects.get(pk=report.batch_id)
    assert (batch.status, batch.progress) == (ImportStatus.DONE, 100)
    assert batch.finished_at is not None and batch.summary["created"] == 3
