"""The santunan API's DTSEN extract import and the in-app notifications.

The import goes through :func:`jamsos.dtsen.importing.import_extract` (verifikator and admin
only, as the page; audited by the service, with the API as the event's source); each user reads
and marks only their own notifications.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jamsos.audit.models import AuditEvent
from jamsos.dtsen.models import DtsenExtract, DtsenRecord
from jamsos.santunan import notify
from jamsos.santunan.models import Notification
from tests.api.test_domain_api import NIK_BUDI, NIK_SITI, bearer, post
from tests.factories import PEOPLE, TEBING_SULUH, import_rows, user
from tests.santunan.conftest import KK, TODAY, advance, dtsen_csv, make_case

pytestmark = pytest.mark.django_db

DTSEN = "/api/v1/santunan/dtsen"
NOTIFICATIONS = "/api/v1/santunan/notifications"
READ = "/api/v1/santunan/notifications/read"


@pytest.fixture
def users():
    return {
        "desa": user("kades", "kepala_desa", TEBING_SULUH),
        "camat": user("camat", "camat", "16.02.13"),
        "dinsos": user("dinsos", "verifikator", "16.02"),
        "dinsos2": user("dinsos2", "verifikator", "16.02"),
        "bupati": user("bupati", "pimpinan", "16.02"),
        "auditor": user("auditor", "auditor", "16.02"),
        "admin": user("admin1", "admin", "16.02"),
    }


def send(client, auth, data: bytes, *, name="dtsen.csv", valid_from="2025-01-01", **extra):
    return client.post(DTSEN, {"valid_from": valid_from, "file": SimpleUploadedFile(name, data),
                               **extra}, **auth)


def at(value: str, expected: dt.datetime) -> bool:
    """The API's time (JSON keeps milliseconds) is ``expected``."""
    return abs(dt.datetime.fromisoformat(value) - expected) < dt.timedelta(milliseconds=1)


def issues(items: list[dict]) -> list[tuple]:
    return [(e["row"], e["column"], e["code"]) for e in items]


# ---- DTSEN import ----------------------------------------------------------------------------

def test_verifikator_imports_an_extract_and_the_service_audits_it(client, users):
    auth = bearer(client, "dinsos")
    reply = send(client, auth, dtsen_csv(f"{NIK_BUDI};{KK};3", f"{NIK_SITI};{KK};4"))
    assert reply.status_code == 201, reply.content
    extract = DtsenExtract.objects.get()
    assert reply.json() == {
        "rows": 2, "stored": 2, "rejected": 0, "dry_run": False, "extract_id": extract.pk,
        "valid_from": "2025-01-01", "errors": [], "warnings": [], "ignored_headers": []}
    assert (extract.valid_from, extract.filename, extract.rows, extract.rejected,
            extract.uploaded_by) == (dt.date(2025, 1, 1), "dtsen.csv", 2, 0, users["dinsos"])
    assert sorted(DtsenRecord.objects.filter(extract=extract)
                  .values_list("nik", "no_kk", "decile")) == [(NIK_BUDI, KK, 3), (NIK_SITI, KK, 4)]
    event = AuditEvent.objects.get(action="import", object_type="dtsen_extract")
    assert (event.actor_name, event.object_id, event.source) == ("dinsos", str(extract.pk), "api")
    assert event.changes["file"] == [None, "dtsen.csv"]
    assert event.changes["valid_from"] == [None, "2025-01-01"]
    assert event.changes["rows"] == [None, 2]
    # The admin may import too.
    admin = send(client, bearer(client, "admin1"), dtsen_csv(f"{NIK_BUDI};{KK};5"),
                 valid_from="2025-07-01")
    assert admin.status_code == 201, admin.content
    assert DtsenExtract.objects.get(pk=admin.json()["extract_id"]).uploaded_by == users["admin"]


def test_row_errors_are_named_by_row_column_and_code(client, users):
    data = dtsen_csv(
        f"{NIK_BUDI};{KK};3",
        "16021317088500;1602130101090001;2",  # NIK too short
        f"{NIK_SITI};16021301;4",  # KK too short
        "1602021708800003;1602020101090003;11",  # decile out of range
        "",  # empty row in the middle
        f"{NIK_BUDI};{KK};3",  # duplicate NIK
        "1602021708800004;1,60213E+15;2",  # KK mangled by Excel
    )
    reply = send(client, bearer(client, "dinsos"), data)
    assert reply.status_code == 201, reply.content
    body = reply.json()
    assert issues(body["errors"]) == [
        (3, "NIK", "nik_format"),
        (4, "No KK", "kk_invalid"),
        (5, "Desil", "decile_invalid"),
        (7, "NIK", "duplicate_nik"),
        (8, "No KK", "kk_scientific"),
    ]
    assert all(set(e) == {"row", "column", "code", "message"} and e["message"]
               for e in body["errors"] + body["warnings"])
    assert "16021301" in body["errors"][1]["message"]
    assert issues(body["warnings"]) == [(6, "Baris", "empty_row")]
    assert (body["rows"], body["stored"], body["rejected"]) == (7, 1, 5)
    assert list(DtsenRecord.objects.values_list("nik", "decile")) == [(NIK_BUDI, 3)]
    assert DtsenExtract.objects.get().pk == body["extract_id"]


def test_dry_run_stores_nothing_and_names_ignored_headers(client, users):
    data = f"NIK;No KK;Desil;Catatan\n{NIK_BUDI};{KK};3;x\n{NIK_SITI};{KK};0;\n".encode()
    reply = send(client, bearer(client, "dinsos"), data, dry_run="true")
    assert reply.status_code == 200, reply.content
    body = reply.json()
    assert (body["dry_run"], body["extract_id"], body["rows"], body["stored"],
            body["rejected"]) == (True, None, 2, 1, 1)
    assert issues(body["errors"]) == [(3, "Desil", "decile_invalid")]
    assert body["ignored_headers"] == ["Catatan"]
    assert not DtsenExtract.objects.exists() and not DtsenRecord.objects.exists()
    assert not AuditEvent.objects.filter(action="import").exists()


def test_unreadable_or_too_large_file_is_422_on_file_and_stores_nothing(client, users,
                                                                        settings):
    auth = bearer(client, "dinsos")
    for data, words in ((f"NIK;No KK\n{NIK_BUDI};{KK}\n".encode(), "Desil"),  # no Desil column
                        (b"", ""),  # empty
                        (b"\x00\x01\x02NIK;No KK;Desil\x00", "")):  # binary
        reply = send(client, auth, data)
        assert reply.status_code == 422, (data, reply.content)
        body = reply.json()
        assert body["field"] == "file" and body["detail"] and words in body["detail"], body
    settings.JAMSOS_MAX_IMPORT_BYTES = 20
    too_large = send(client, auth, dtsen_csv(f"{NIK_BUDI};{KK};3"))
    assert too_large.status_code == 422
    assert too_large.json()["field"] == "file"
    assert "terlalu besar" in too_large.json()["detail"]
    # No valid_from: refused by the framework.
    settings.JAMSOS_MAX_IMPORT_BYTES = 10_000
    missing = client.post(DTSEN, {"file": SimpleUploadedFile("d.csv", dtsen_csv())}, **auth)
    assert missing.status_code == 422
    assert not DtsenExtract.objects.exists() and not DtsenRecord.objects.exists()
    assert not AuditEvent.objects.filter(action="import").exists()


def test_only_verifikator_and_admin_may_import_or_list(client, users):
    data = dtsen_csv(f"{NIK_BUDI};{KK};3")
    for name in ("kades", "camat", "bupati", "auditor"):
        auth = bearer(client, name)
        reply = send(client, auth, data)
        assert reply.status_code == 403, name
        assert "verifikator" in reply.json()["detail"]
        assert client.get(DTSEN, **auth).status_code == 403, name
    assert not DtsenExtract.objects.exists() and not DtsenRecord.objects.exists()
    assert not AuditEvent.objects.filter(action="import").exists()


def test_extracts_are_listed_latest_in_force_first_without_personal_data(client, users):
    auth = bearer(client, "dinsos")
    first = send(client, auth, dtsen_csv(f"{NIK_BUDI};{KK};3", f"{NIK_SITI};{KK};3"),
                 name="januari.csv").json()["extract_id"]
    second = send(client, bearer(client, "admin1"), dtsen_csv(f"{NIK_BUDI};{KK};2", "x;y;z"),
                  name="juli.csv", valid_from="2025-07-01").json()["extract_id"]
    reply = client.get(DTSEN, **auth)
    assert reply.status_code == 200, reply.content
    body = reply.json()
    assert body["count"] == 2
    assert [(x["id"], x["valid_from"], x["filename"], x["rows"], x["rejected"],
             x["uploaded_by"]) for x in body["items"]] == [
        (second, "2025-07-01", "juli.csv", 1, 1, "admin1"),
        (first, "2025-01-01", "januari.csv", 2, 0, "dinsos")]
    stored = DtsenExtract.objects.get(pk=first)
    assert body["items"][1]["sha256"] == stored.sha256 and len(stored.sha256) == 64
    assert at(body["items"][1]["uploaded_at"], stored.created_at)
    assert NIK_BUDI not in reply.content.decode() and KK not in reply.content.decode()
    page = client.get(DTSEN, {"limit": 1, "offset": 1}, **bearer(client, "admin1")).json()
    assert [x["id"] for x in page["items"]] == [first] and page["count"] == 2


# ---- notifications ---------------------------------------------------------------------------

@pytest.fixture
def day_five(users, settings):
    """A verified case (the workflow told the camat and the verifikators on the way), and the
    head (dinsos) told about it on day 5 of its SLA."""
    from jamsos.dtsen.importing import import_extract
    from jamsos.santunan.services import day_notices

    import_rows(*PEOPLE)
    import_extract(dtsen_csv(f"{NIK_BUDI};{KK};3", f"{NIK_SITI};{KK};3"), "dtsen.csv",
                   valid_from=dt.date(2025, 1, 1), today=TODAY)
    settings.JAMSOS_SANTUNAN_HEADS = ["dinsos"]
    case = advance(make_case(users), users, "verified", today=TODAY)
    assert day_notices(today=TODAY + dt.timedelta(days=5))["notifications"] == 1
    head = users["dinsos"]
    return {"case": case,
            "sla": Notification.objects.get(user=head, key__contains="sla-day"),
            "forward": Notification.objects.get(user=head, key=f"santunan:{case.pk}:2")}


def ids_of(reply) -> list[int]:
    assert reply.status_code == 200, reply.content
    return [n["id"] for n in reply.json()["items"]]


def test_notifications_are_the_callers_own_newest_first(client, users, day_five):
    case, sla, forward = day_five["case"], day_five["sla"], day_five["forward"]
    later = sla.created_at + dt.timedelta(hours=1)
    assert notify.notify([users["dinsos"]], key="uji:umum", message="Pemberitahuan umum",
                         now=later) == 1
    assert notify.notify([users["dinsos2"]], key="uji:lain", message="Untuk dinsos2",
                         case=case, now=later) == 1
    general = Notification.objects.get(key="uji:umum")
    reply = client.get(NOTIFICATIONS, **bearer(client, "dinsos"))
    assert ids_of(reply) == [general.pk, sla.pk, forward.pk]
    assert reply.json()["count"] == 3
    first, second, third = reply.json()["items"]
    assert (first["message"], first["case_id"], first["read_at"]) == (
        "Pemberitahuan umum", None, None)
    assert at(first["created_at"], later)
    assert (second["case_id"], second["read_at"]) == (case.pk, None)
    assert case.number in second["message"] and "5 hari" in second["message"]
    assert at(second["created_at"], sla.created_at)
    assert third["case_id"] == case.pk and "diteruskan kecamatan" in third["message"]
    assert "Untuk dinsos2" not in reply.content.decode()
    # The day-5 notice is the head's only; everyone sees exactly their own.
    for name, count in (("kades", 0), ("camat", 1), ("bupati", 0), ("dinsos2", 2)):
        own = ids_of(client.get(NOTIFICATIONS, **bearer(client, name)))
        assert len(own) == count, name
        assert sorted(own) == sorted(Notification.objects.filter(user__username=name)
                                     .values_list("id", flat=True)), name
        assert sla.pk not in own and general.pk not in own, name
    other = client.get(NOTIFICATIONS, **bearer(client, "dinsos2")).json()["items"]
    assert other[0]["message"] == "Untuk dinsos2"
    page = client.get(NOTIFICATIONS, {"limit": 1, "offset": 1}, **bearer(client, "dinsos"))
    assert ids_of(page) == [sla.pk] and page.json()["count"] == 3


def test_marking_read_touches_only_the_callers_own(client, users, day_five):
    sla, forward = day_five["sla"], day_five["forward"]
    notify.notify([users["dinsos"]], key="uji:umum", message="Pemberitahuan umum",
                  now=sla.created_at + dt.timedelta(hours=1))
    notify.notify([users["dinsos2"]], key="uji:lain", message="Untuk dinsos2")
    general = Notification.objects.get(key="uji:umum")
    foreign = Notification.objects.get(key="uji:lain")
    auth = bearer(client, "dinsos")
    # Another user's id (and an unknown one) is silently ignored.
    reply = post(client, READ, {"ids": [sla.pk, foreign.pk, 999_999]}, auth)
    assert reply.status_code == 200, reply.content
    assert reply.json() == {"marked": 1}
    sla.refresh_from_db()
    foreign.refresh_from_db()
    assert sla.read_at is not None and foreign.read_at is None
    unread = client.get(NOTIFICATIONS, {"unread": "true"}, **auth)
    assert ids_of(unread) == [general.pk, forward.pk] and unread.json()["count"] == 2
    read = client.get(NOTIFICATIONS, {"unread": "false"}, **auth)
    assert ids_of(read) == [sla.pk] and read.json()["items"][0]["read_at"] is not None
    # Marking an already read one again counts nothing; only another user's: nothing marked.
    assert post(client, READ, {"ids": [sla.pk]}, auth).json() == {"marked": 0}
    assert post(client, READ, {"ids": [foreign.pk]}, auth).json() == {"marked": 0}
    # null: all the caller's own (not the other user's).
    assert post(client, READ, {"ids": None}, auth).json() == {"marked": 2}
    assert post(client, READ, {"ids": None}, auth).json() == {"marked": 0}
    assert client.get(NOTIFICATIONS, {"unread": "true"}, **auth).json() == {
        "items": [], "count": 0}
    foreign.refresh_from_db()
    assert foreign.read_at is None
    assert notify.unread_count(users["dinsos2"]) == 2  # the forward notice and this one
    # Without a body: all of one's own too.
    empty = client.post(READ, content_type="application/json", **bearer(client, "dinsos2"))
    assert empty.status_code == 200, empty.content
    assert empty.json() == {"marked": 2}
    assert notify.unread_count(users["dinsos2"]) == 0
    assert notify.unread_count(users["camat"]) == 1
