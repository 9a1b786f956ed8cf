"""The REST API: tokens, area scoping (guessed ids too), masking, changes, imports."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jamsos.registry.models import ImportBatch, Person
from jamsos.registry.tasks import run_import
from tests.factories import HEADER, PASSWORD, PEOPLE, TEBING_SULUH, import_rows, user

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    import_rows(*PEOPLE)
    return {p.nik: p for p in Person.objects.all()}


def token_for(client, username, role, area) -> dict:
    user(username, role, area)
    reply = client.post("/api/v1/auth/token", {"username": username, "password": PASSWORD},
                        content_type="application/json")
    assert reply.status_code == 200
    return {"HTTP_AUTHORIZATION": f"Bearer {reply.json()['token']}"}


def test_token_is_required_and_wrong_passwords_are_refused(client, people):
    assert client.get("/api/v1/people").status_code == 401
    assert client.get("/api/v1/people", HTTP_AUTHORIZATION="Bearer nonsense").status_code == 401
    user("op", "operator", "16.02")
    bad = client.post("/api/v1/auth/token", {"username": "op", "password": "x"},
                      content_type="application/json")
    assert bad.status_code == 401
    for _ in range(5):
        client.post("/api/v1/auth/token", {"username": "op", "password": "x"},
                    content_type="application/json")
    locked = client.post("/api/v1/auth/token", {"username": "op", "password": PASSWORD},
                         content_type="application/json")
    assert locked.status_code == 429


def test_failures_from_one_address_do_not_stop_a_right_password_on_the_api(client):
    """Issue 15 (Low): village operators share one office address."""
    user("op", "operator", "16.02")
    for n in range(20):
        client.post("/api/v1/auth/token", {"username": f"x{n % 7}", "password": "x"},
                    content_type="application/json")
    wrong = client.post("/api/v1/auth/token", {"username": "op", "password": "x"},
                        content_type="application/json")
    assert wrong.status_code == 429
    right = client.post("/api/v1/auth/token", {"username": "op", "password": PASSWORD},
                        content_type="application/json")
    assert right.status_code == 200 and right.json()["token"]


@pytest.mark.parametrize(("role", "area", "visible"), [
    ("kepala_desa", TEBING_SULUH, {"1602131708850001", "1602135708900002"}),
    ("camat", "16.02.13", {"1602131708850001", "1602135708900002"}),
    ("camat", "16.02.02", {"1602021708800003"}),
    ("operator", "16.02", {"1602131708850001", "1602135708900002", "1602021708800003"}),
    ("bpjs", "16.02", {"1602131708850001", "1602135708900002", "1602021708800003"}),
])
def test_each_role_sees_only_its_area_even_by_guessed_id(client, people, role, area, visible):
    auth = token_for(client, "u", role, area)
    listed = {p["nik"] for p in client.get("/api/v1/people", **auth).json()["items"]}
    assert listed == visible
    for nik, person in people.items():
        expected = 200 if nik in visible else 404
        assert client.get(f"/api/v1/people/{person.pk}", **auth).status_code == expected
        assert client.get(f"/api/v1/people/{person.pk}/enrolments",
                          **auth).status_code == expected


def test_pimpinan_reads_coverage_but_no_people(client, people):
    auth = token_for(client, "bupati", "pimpinan", "16.02")
    assert client.get("/api/v1/coverage", **auth).status_code == 200
    assert client.get("/api/v1/people", **auth).status_code == 403
    budi = people["1602131708850001"]
    assert client.get(f"/api/v1/people/{budi.pk}", **auth).status_code == 403


@pytest.mark.parametrize("role", ["auditor"])
def test_read_only_roles_get_masked_niks_and_cannot_change(client, people, role):
    auth = token_for(client, "ro", role, "16.02")
    items = client.get("/api/v1/people", **auth).json()["items"]
    assert {p["nik"] for p in items} == {"160213******0001", "160213******0002",
                                         "160202******0003"}
    budi = people["1602131708850001"]
    reply = client.patch(f"/api/v1/people/{budi.pk}", {"name": "X"},
                         content_type="application/json", **auth)
    assert reply.status_code == 403
    assert client.post("/api/v1/imports/workers", {"file": SimpleUploadedFile(
        "a.csv", b"x")}, **auth).status_code == 403


def test_patch_validates_and_corrects_a_nik(client, people):
    auth = token_for(client, "kades", "kepala_desa", TEBING_SULUH)
    budi = people["1602131708850001"]
    bad = client.patch(f"/api/v1/people/{budi.pk}", {"nik": "123"},
                       content_type="application/json", **auth)
    assert bad.status_code == 422 and bad.json()["field"] == "nik"
    moved = client.patch(f"/api/v1/people/{budi.pk}", {"desa_code": "16.02.02.2001"},
                         content_type="application/json", **auth)
    assert moved.status_code == 422 and moved.json()["field"] == "desa_code"
    ok = client.patch(f"/api/v1/people/{budi.pk}", {"nik": "1602131708850009"},
                      content_type="application/json", **auth)
    assert ok.status_code == 200 and ok.json()["person"]["nik"] == "1602131708850009"
    ahmad = people["1602021708800003"]
    assert client.patch(f"/api/v1/people/{ahmad.pk}", {"name": "X"},
                        content_type="application/json", **auth).status_code == 404


def test_import_through_the_api_is_a_background_job_scoped_to_the_uploader(client, people):
    auth = token_for(client, "op", "operator", "16.02")
    body = "\n".join([HEADER, f"1602135708910004;Rina;P;17-08-1991;{TEBING_SULUH};c;PKK"])
    reply = client.post("/api/v1/imports/workers",
                        {"file": SimpleUploadedFile("desa.csv", body.encode())}, **auth)
    assert reply.status_code == 202 and reply.json()["status"] == "queued"
    run_import.call(reply.json()["id"])
    done = client.get(f"/api/v1/imports/{reply.json()['id']}", **auth).json()
    assert (done["status"], done["created"], done["rejected"]) == ("done", 1, 0)
    other = token_for(client, "kades", "kepala_desa", "16.02.02.2001")
    assert client.get(f"/api/v1/imports/{reply.json()['id']}", **other).status_code == 404
    assert ImportBatch.objects.filter(uploaded_by__username="op").count() == 1


def test_coverage_is_scoped_and_the_public_one_needs_no_token(client, people):
    auth = token_for(client, "camat", "camat", "16.02.13")
    rows = client.get("/api/v1/coverage", {"by": "desa"}, **auth).json()
    assert {r["code"] for r in rows if r["covered"]} == {TEBING_SULUH}
    assert client.get("/api/v1/coverage", {"area": "16.02"}, **auth).status_code == 404
    public = client.get("/api/v1/public/coverage").json()
    assert [r["code"] for r in public][-1] == "_all" and public[-1]["covered"] == 3


def test_openapi_document_and_offline_docs(client):
    doc = client.get("/api/v1/openapi.json").json()
    assert doc["info"]["title"] == "jamsos API" and "/api/v1/auth/token" in doc["paths"]
    docs = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in docs and "https://cdn" not in docs


def test_ending_a_role_through_the_api(client, people):
    import datetime as dt

    from jamsos.audit.models import AuditEvent
    from jamsos.coverage.selectors import coverage_by_category
    from tests.factories import ULAK_KAPAL

    budi = people["1602131708850001"]
    role = budi.enrolments.get()
    url = f"/api/v1/people/{budi.pk}/enrolments/{role.pk}/end"
    body = {"end_date": "2025-09-30", "reason": "pindah domisili"}
    # Another desa's kepala desa: 404 (also by guessing); a read-only role: 403.
    other = token_for(client, "kades2", "kepala_desa", ULAK_KAPAL)
    assert client.post(url, body, content_type="application/json", **other).status_code == 404
    bpjs = token_for(client, "bpjs", "bpjs", "16.02")
    assert client.post(url, body, content_type="application/json", **bpjs).status_code == 403
    op = token_for(client, "op", "operator", "16.02")
    no_reason = client.post(url, {**body, "reason": " "}, content_type="application/json", **op)
    assert no_reason.status_code == 422 and no_reason.json()["field"] == "reason"
    early = client.post(url, {**body, "end_date": "1999-01-01"}, content_type="application/json",
                        **op)
    assert early.status_code == 422 and early.json()["field"] == "end_date"
    done = client.post(url, body, content_type="application/json", **op)
    assert done.status_code == 200, done.content
    assert [(e["id"], e["status"], e["end_date"]) for e in done.json()] == [
        (role.pk, "ended", "2025-09-30")]
    role.refresh_from_db()
    assert role.end_date == dt.date(2025, 9, 30)
    event = AuditEvent.objects.get(object_type="enrolment", object_id=str(role.pk))
    assert event.changes["reason"] == [None, "pindah domisili"]
    assert (event.source, event.actor_name, event.ip) == ("api", "op", "127.0.0.1")
    assert {r.code: r.covered for r in coverage_by_category()}["rt_rw"] == 0
    again = client.post(url, body, content_type="application/json", **op)
    assert again.status_code == 422


def test_targets_are_read_and_set_within_the_area(client, people):
    from jamsos.audit.models import AuditEvent
    from jamsos.coverage.selectors import coverage_by_category
    from tests.factories import ULAK_KAPAL

    op = token_for(client, "op", "operator", "16.02")
    got = client.get(f"/api/v1/targets/{TEBING_SULUH}", **op).json()
    assert got["area"] == TEBING_SULUH and len(got["targets"]) == 5
    assert {t["headcount"] for t in got["targets"]} == {None}
    put = client.put(f"/api/v1/targets/{TEBING_SULUH}",
                     [{"category": "rt_rw", "headcount": 4}, {"category": "non_asn",
                                                              "headcount": 0}],
                     content_type="application/json", **op)
    assert put.status_code == 200, put.content
    assert {t["category"]: t["headcount"] for t in put.json()["targets"]}["rt_rw"] == 4
    assert AuditEvent.objects.filter(object_type="target").count() == 2
    rows = {r.code: r for r in coverage_by_category(area_code=TEBING_SULUH)}
    assert (rows["rt_rw"].target, rows["rt_rw"].covered) == (4, 1)
    # Unchanged values write nothing; a negative or text headcount is refused.
    client.put(f"/api/v1/targets/{TEBING_SULUH}", [{"category": "rt_rw", "headcount": 4}],
               content_type="application/json", **op)
    assert AuditEvent.objects.filter(object_type="target").count() == 2
    for bad in ({"category": "rt_rw", "headcount": -1}, {"category": "rt_rw", "headcount": "4"},
                {"category": "petani", "headcount": 4}):
        assert client.put(f"/api/v1/targets/{TEBING_SULUH}", [bad],
                          content_type="application/json", **op).status_code == 422
    # Outside the area: 404; a role without the right: 403.
    kades = token_for(client, "kades", "kepala_desa", ULAK_KAPAL)
    assert client.get(f"/api/v1/targets/{TEBING_SULUH}", **kades).status_code == 404
    bupati = token_for(client, "bupati", "pimpinan", "16.02")
    assert client.get(f"/api/v1/targets/{TEBING_SULUH}", **bupati).status_code == 200
    assert client.put(f"/api/v1/targets/{TEBING_SULUH}", [{"category": "rt_rw", "headcount": 9}],
                      content_type="application/json", **bupati).status_code == 403


def test_worklist_of_a_desa_names_who_is_not_covered(client, people):
    import datetime as dt

    from jamsos.registry.models import Enrolment
    from jamsos.registry.services import set_target
    from tests.factories import ULAK_KAPAL

    budi = people["1602131708850001"]
    Enrolment.objects.filter(person=budi).update(status="ended", end_date=dt.date(2025, 1, 31))
    set_target(region_code=TEBING_SULUH, category="rt_rw", headcount=3)
    url = f"/api/v1/coverage/worklist/{TEBING_SULUH}"
    kades = token_for(client, "kades", "kepala_desa", TEBING_SULUH)
    got = client.get(url, **kades)
    assert got.status_code == 200, got.content
    body = got.json()
    assert [(p["person_id"], p["status"]) for p in body["people"]] == [(budi.pk, "ended")]
    assert body["people"][0]["nik"] == "1602131708850001"
    assert [(g["code"], g["target"]) for g in body["gaps"]] == [("rt_rw", 3)]
    auditor = token_for(client, "aud", "auditor", "16.02")  # no personal-data rights: masked
    assert client.get(url, **auditor).json()["people"][0]["nik"] == "160213******0001"
    op = token_for(client, "op", "operator", "16.02")
    other = token_for(client, "kades2", "kepala_desa", ULAK_KAPAL)
    assert client.get(url, **other).status_code == 404
    assert client.get("/api/v1/coverage/worklist/16.02.13", **op).status_code == 404  # kecamatan
    bupati = token_for(client, "bupati", "pimpinan", "16.02")
    assert client.get(url, **bupati).status_code == 403


def test_eligibility_of_a_person_on_a_day(client, people):
    from tests.factories import ULAK_KAPAL

    budi = people["1602131708850001"]
    op = token_for(client, "op", "operator", "16.02")
    url = f"/api/v1/premiums/people/{budi.pk}/eligibility"
    got = client.get(url, {"on": "2025-09-10"}, **op)
    assert got.status_code == 200, got.content
    body = got.json()
    assert (body["eligible"], body["segment"], body["arrears_months"]) == (True, "BPU", 0)
    assert body["enrolment_id"] == budi.enrolments.get().pk and body["lines"] == []
    before = client.get(url, {"on": "2025-01-10"}, **op).json()
    assert before["eligible"] is False and "tidak ada kepesertaan" in before["reason"]
    other = token_for(client, "kades2", "kepala_desa", ULAK_KAPAL)
    assert client.get(url, **other).status_code == 404
    bupati = token_for(client, "bupati", "pimpinan", "16.02")
    assert client.get(url, **bupati).status_code == 403


def test_a_user_revokes_their_own_token_or_all_of_them(client, people):
    """Issue 15 (Low): a user could not revoke their own API tokens."""
    first = token_for(client, "op", "operator", "16.02")
    second = {"HTTP_AUTHORIZATION": "Bearer " + client.post(
        "/api/v1/auth/token", {"username": "op", "password": PASSWORD},
        content_type="application/json").json()["token"]}
    assert client.delete("/api/v1/auth/token", **first).status_code == 204
    assert client.get("/api/v1/people", **first).status_code == 401
    assert client.get("/api/v1/people", **second).status_code == 200
    third = {"HTTP_AUTHORIZATION": "Bearer " + client.post(
        "/api/v1/auth/token", {"username": "op", "password": PASSWORD},
        content_type="application/json").json()["token"]}
    assert client.delete("/api/v1/auth/tokens", **second).status_code == 204
    assert client.get("/api/v1/people", **second).status_code == 401
    assert client.get("/api/v1/people", **third).status_code == 401


def test_web_logout_revokes_the_users_api_tokens(client, people):
    """Issue 15 (Low): web logout left the API tokens valid."""
    auth = token_for(client, "op", "operator", "16.02")
    assert client.get("/api/v1/people", **auth).status_code == 200
    assert client.login(username="op", password=PASSWORD)
    client.post("/akun/keluar/")
    assert client.get("/api/v1/people", **auth).status_code == 401


@pytest.mark.parametrize("where", ["form", "query"])
def test_a_dry_run_import_never_writes_wherever_the_client_sends_the_flag(client, people, where):
    """Issue 18: ``dry_run`` sent as a multipart field was ignored and the rows imported."""
    auth = token_for(client, "op", "operator", "16.02")
    body = "\n".join([HEADER, f"1602135708910004;Rina;P;17-08-1991;{TEBING_SULUH};c;PKK"])
    upload = {"file": SimpleUploadedFile("desa.csv", body.encode())}
    if where == "form":
        reply = client.post("/api/v1/imports/workers", {**upload, "dry_run": "true"}, **auth)
    else:
        reply = client.post("/api/v1/imports/workers?dry_run=true", upload, **auth)
    assert reply.status_code == 202 and reply.json()["dry_run"] is True
    run_import.call(reply.json()["id"])
    assert not Person.objects.filter(nik="1602135708910004").exists()
    refused = client.post("/api/v1/imports/workers", {
        "file": SimpleUploadedFile("desa.csv", body.encode()), "dry_run": "mungkin"}, **auth)
    assert refused.status_code == 422


def test_every_api_error_answers_json_also_during_a_database_outage(client, people,
                                                                     monkeypatch):
    """Issue 18: API errors during a database outage were HTML pages."""
    from django.db import OperationalError

    from jamsos.api import api as api_module
    from jamsos.audit import middleware

    missing = client.get("/api/v1/tidak-ada")
    assert missing.status_code == 404 and missing.json() == {"detail": "Tidak ditemukan."}

    def outage(*args, **kwargs):
        raise OperationalError("terminating connection due to administrator command")

    monkeypatch.setattr(api_module, "get_object_or_404", outage)  # inside an API view
    reply = client.get("/api/v1/regions/16.02/children")
    assert reply.status_code == 503 and reply["Retry-After"] == "10"
    assert reply.json() == {"detail": "Basis data sedang tidak dapat dihubungi; coba lagi "
                                      "sebentar lagi."}
    monkeypatch.setattr(middleware, "set_request_ip", outage)  # before any API view runs
    client.raise_request_exception = False  # as a real server would
    reply = client.get("/api/v1/public/coverage")
    assert reply.status_code == 503 and reply.json()["detail"].startswith("Basis data")
    monkeypatch.undo()

    def bug(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(api_module, "get_object_or_404", bug)
    reply = client.get("/api/v1/regions/16.02/children")
    assert reply.status_code == 500 and reply.json() == {"detail": "Terjadi kesalahan sistem."}
