"""Issue 15, finding 1: an import never changes a person registered outside the importer's
area; the row is refused, tells nothing of the other area, and the attempt is audited."""

from __future__ import annotations

import pytest
from django.db import connection

from jamsos.audit.models import AuditEvent
from jamsos.registry.models import Enrolment, Person
from jamsos.registry.tasks import run_import
from tests.factories import HEADER, PEOPLE, TEBING_SULUH, ULAK_KAPAL, import_rows, user

pytestmark = pytest.mark.django_db

AHMAD = PEOPLE[2]  # lives in Ulak Kapal (kecamatan Tanjung Lubuk), perangkat desa there
# The same NIK, as a kepala desa of Tebing Suluh (kecamatan Lempuing) would send it.
AHMAD_HIJACKED = f"1602021708800003;Ahmad Palsu;L;17-08-1980;{TEBING_SULUH};c;Kader posyandu"


def snapshot(nik: str):
    person = Person.objects.get(nik=nik)
    roles = sorted(Enrolment.objects.filter(person=person).values_list(
        "category", "subcategory", "desa_id", "wage", "end_date"))
    return (person.name, person.desa_id, person.phone, person.kpj, roles)


@pytest.fixture
def registry():
    import_rows(*PEOPLE)  # the kabupaten operator's list
    return snapshot("1602021708800003")


@pytest.mark.parametrize("dry_run", [False, True])
def test_a_desa_import_cannot_rewrite_a_person_of_another_kecamatan(registry, dry_run):
    kades = user("kades", "kepala_desa", TEBING_SULUH)
    report = import_rows(AHMAD_HIJACKED, PEOPLE[0], user=kades, area_code=TEBING_SULUH,
                         dry_run=dry_run)
    assert snapshot("1602021708800003") == registry
    # Refused (dry run and real alike), never "updated": row 2 is Ahmad's
    assert (report.created, report.updated, report.rejected) == (0, 0, 1)
    [error] = report.errors
    assert (error["row"], error["column"], error["code"]) == (2, "NIK", "outside_area")
    # Nothing of the other area in what the village user gets back
    told = str(report.as_json())
    for secret in ("Ahmad Fauzi", ULAK_KAPAL, "Ulak Kapal", "Tanjung Lubuk", "perangkat"):
        assert secret not in told
    # The attempt is audited under the person, in the person's own area
    event = AuditEvent.objects.get(action="import_refused")
    person = Person.objects.get(nik="1602021708800003")
    assert (event.object_type, event.object_id, event.area) == ("person", str(person.pk),
                                                                ULAK_KAPAL)
    assert event.actor_name == "kades" and event.changes["rows"] == [None, [2]]
    assert event.changes["dry_run"] == [None, dry_run]


def test_every_row_of_a_refused_nik_is_refused(registry):
    kades = user("kades", "kepala_desa", TEBING_SULUH)
    twice = AHMAD_HIJACKED.replace(";c;Kader posyandu", ";d;Ketua RT")
    report = import_rows(AHMAD_HIJACKED, twice, user=kades, area_code=TEBING_SULUH)
    assert sorted(e["row"] for e in report.errors if e["code"] == "outside_area") == [2, 3]
    assert snapshot("1602021708800003") == registry


def test_a_role_held_in_another_area_is_not_moved_by_the_home_desa(registry):
    """Budi lives in Tebing Suluh but is RT head in Ulak Kapal: Tebing Suluh's import may not
    move that role (it is another area's record), though Budi lives in its desa."""
    import_rows(f"1602131708850001;Budi Santoso;L;17-08-1985;{ULAK_KAPAL};d;Ketua RT")
    Person.objects.filter(nik="1602131708850001").update(desa_id=TEBING_SULUH)
    before = snapshot("1602131708850001")
    kades = user("kades", "kepala_desa", TEBING_SULUH)
    report = import_rows(PEOPLE[0], user=kades, area_code=TEBING_SULUH)
    assert [e["code"] for e in report.errors] == ["outside_area"]
    assert snapshot("1602131708850001") == before


def test_inside_the_area_updates_still_work_and_a_wider_area_may_move_people(registry):
    kades = user("kades", "kepala_desa", TEBING_SULUH)
    renamed = PEOPLE[0].replace("Budi Santoso", "Budi Santosa")
    report = import_rows(renamed, user=kades, area_code=TEBING_SULUH)
    assert (report.updated, report.rejected) == (1, 0)
    assert Person.objects.get(nik="1602131708850001").name == "Budi Santosa"
    # The kabupaten's operator covers both areas: the move is theirs to make
    operator = user("op", "operator", "16.02")
    report = import_rows(AHMAD_HIJACKED, user=operator, area_code="16.02")
    assert (report.updated, report.rejected) == (1, 0)
    assert Person.objects.get(nik="1602021708800003").desa_id == TEBING_SULUH


def test_the_background_import_of_a_village_is_limited_the_same_way(registry, tmp_path):
    from jamsos.registry.models import ImportBatch, ImportStatus

    kades = user("kades", "kepala_desa", TEBING_SULUH)
    path = tmp_path / "f.csv"
    path.write_text("\n".join([HEADER, AHMAD_HIJACKED]))
    batch = ImportBatch.objects.create(filename="f.csv", stored_path=str(path), sha256="x",
                                       size=1, uploaded_by=kades, area_id=TEBING_SULUH,
                                       status=ImportStatus.QUEUED)
    run_import.call(batch.pk)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.DONE
    assert [e["code"] for e in batch.summary["errors"]] == ["outside_area"]
    assert snapshot("1602021708800003") == registry


@pytest.mark.django_db(transaction=True)
def test_two_imports_sharing_new_people_both_succeed(oki_regions, monkeypatch):
    """Issue 18, finding 2: the second file waits for the first instead of failing whole on
    the unique NIK; its overlap is reported as updates (PostgreSQL: real concurrency)."""
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency needs PostgreSQL (SQLite has a single writer)")
    import threading
    import time

    from jamsos.registry.importing import writer

    first_holds, release = threading.Event(), threading.Event()
    upsert = writer._upsert_enrolments

    def slow_upsert(cur, *args, **kwargs):  # the first import pauses after inserting people
        if threading.current_thread().name == "first":
            first_holds.set()
            release.wait(timeout=20)
        return upsert(cur, *args, **kwargs)

    monkeypatch.setattr(writer, "_upsert_enrolments", slow_upsert)
    results = {}

    def run(rows):
        from django.db import connections

        try:
            results[threading.current_thread().name] = import_rows(*rows)
        except Exception as exc:
            results[threading.current_thread().name] = exc
        finally:
            connections.close_all()

    first = threading.Thread(target=run, name="first", args=(PEOPLE[:2],))
    second = threading.Thread(target=run, name="second", args=(PEOPLE[1:],))
    first.start()
    assert first_holds.wait(timeout=20)
    second.start()
    time.sleep(1.0)  # the second import reaches the registry while the first holds it
    release.set()
    first.join(timeout=30)
    second.join(timeout=30)
    a, b = results["first"], results["second"]
    assert not isinstance(a, Exception) and not isinstance(b, Exception), results
    assert (a.created, a.rejected) == (2, 0)
    assert (b.created, b.updated, b.rejected) == (1, 0, 0)  # Siti was the first file's
    assert Person.objects.count() == 3 and Enrolment.objects.count() == 3
