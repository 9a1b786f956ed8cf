"""The claims API's scholarship reads: the worklist (the web's ``beasiswa/``) and one child
(``beasiswa/<pk>/``).

The worklist is :func:`jamsos.claims.selectors.scholarships_due` (what is due for a school
year) over the area's children (``children_in``); pimpinan 403, other areas' children 404,
NIKs masked for roles without personal-data rights.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from jamsos.audit.models import AuditEvent
from jamsos.claims import entitlements as ent
from jamsos.claims import services
from jamsos.claims.models import ScholarshipChild
from jamsos.claims.selectors import scholarships_due
from tests.api.test_domain_api import NIK_AHMAD, NIK_BUDI, bearer, post, token_for
from tests.claims.helpers import through_ladder, workers
from tests.factories import user

pytestmark = pytest.mark.django_db

CLAIMS = "/api/v1/claims"
SCHOLARSHIPS = f"{CLAIMS}/scholarships"
DEATH = dt.date(2025, 3, 5)  # school year 2024/2025
PAID_ON = dt.date(2025, 4, 2)
NIK_BAYU = "1602020102160005"


@pytest.fixture
def family():
    """Ahmad (Ulak Kapal, kecamatan 16.02.02) died at work, his claim paid: Bayu (SD) and Wati
    (SMA) are granted a scholarship, Citra (the third child) nothing. Budi (Tebing Suluh,
    16.02.13) died too, his claim not yet paid: Dedi, at university, turned 23 in 2025."""
    people = workers()
    op = user("op", "operator", "16.02")
    ahmad = services.create_claim(person=people["ahmad"], program="jkk",
                                  event="work_accident_death", event_date=DEATH, user=op,
                                  reported_on=DEATH)
    bayu = services.add_child(ahmad, name="Bayu", birth_date=dt.date(2018, 2, 1), level="sd",
                              user=op, nik=NIK_BAYU)
    wati = services.add_child(ahmad, name="Wati", birth_date=dt.date(2008, 2, 1), level="sma",
                              user=op)
    citra = services.add_child(ahmad, name="Citra", birth_date=dt.date(2019, 5, 1),
                               level="belum_sekolah", user=op)
    ahmad.refresh_from_db()
    through_ladder(ahmad, user=op, on=PAID_ON, paid_amount=ahmad.entitlement)
    budi = services.create_claim(person=people["budi"], program="jkk",
                                 event="work_accident_death", event_date=DEATH, user=op,
                                 reported_on=DEATH)
    dedi = services.add_child(budi, name="Dedi", birth_date=dt.date(2002, 6, 1), level="pt",
                              user=op)
    children = {c.name.lower(): c for c in ScholarshipChild.objects.all()}
    assert {c.pk for c in children.values()} == {bayu.pk, wati.pk, citra.pk, dedi.pk}
    return {"op": op, "ahmad": ahmad, "budi": budi, **children}


@pytest.fixture
def op(client, family):
    return bearer(client, "op")


def due_rows(items):
    return [(i["name"], i["due"]["school_year"], i["due"]["level"], i["due"]["amount"])
            for i in items]


def test_the_worklist_is_what_the_selector_says_is_due(client, family, op):
    reply = client.get(SCHOLARSHIPS, {"due": "true", "school_year": 2025}, **op)
    assert reply.status_code == 200, reply.content
    body = reply.json()
    # SD year 2 and SMA year 2 in 2025/2026 (PP 82/2019: SD Rp1,5 jt, SMA Rp3 jt a year);
    # Citra (third child) has nothing, Dedi's claim is not paid.
    assert body["count"] == 2
    assert due_rows(body["items"]) == [("Bayu", 2025, "sd", 1_500_000),
                                       ("Wati", 2025, "sma", 3_000_000)]
    expected = scholarships_due("16.02", dt.date(2025, 7, 1))
    assert [(i["id"], i["due"]["amount"], i["due"]["level"], i["due"]["citation"])
            for i in body["items"]] == [(d.child.pk, d.amount, d.level, d.citation)
                                        for d in expected]
    bayu = body["items"][0]
    assert (bayu["claim_id"], bayu["person_name"], bayu["person_nik"], bayu["nik"],
            bayu["desa_code"], bayu["awarded_on"]) == (
        family["ahmad"].pk, "Ahmad Fauzi", NIK_AHMAD, NIK_BAYU, family["ahmad"].person.desa_id,
        PAID_ON.isoformat())
    assert bayu["entitlement"] == family["bayu"].entitlement == 84_000_000  # 9 + 6 + 9 + 60 jt
    assert "PP 82/2019" in bayu["due"]["citation"]

    # Paid for 2025/2026, ended by marriage: nothing left due that year.
    services.record_scholarship_payment(family["bayu"], school_year=2025, amount=1_500_000,
                                        paid_on=dt.date(2025, 8, 20), user=family["op"])
    assert due_rows(client.get(SCHOLARSHIPS, {"due": "true", "school_year": 2025},
                               **op).json()["items"]) == [("Wati", 2025, "sma", 3_000_000)]
    services.end_scholarship(family["wati"], reason="married", on=dt.date(2025, 6, 1),
                             user=family["op"])
    assert client.get(SCHOLARSHIPS, {"due": "true", "school_year": 2025},
                      **op).json() == {"items": [], "count": 0}
    # Another school year: Bayu's 2026/2027 (SD year 3) is due.
    assert due_rows(client.get(SCHOLARSHIPS, {"due": "true", "school_year": 2026},
                               **op).json()["items"]) == [("Bayu", 2026, "sd", 1_500_000)]


def test_without_a_school_year_the_worklist_is_today_s(client, family, op):
    today = timezone.localdate()
    expected = scholarships_due("16.02", today)
    assert expected  # Bayu (SD from 2024/2025, then SMP, SMA, PT) is due every year
    items = client.get(SCHOLARSHIPS, {"due": "true"}, **op).json()["items"]
    assert [(i["id"], i["due"]["school_year"], i["due"]["level"], i["due"]["amount"])
            for i in items] == [(d.child.pk, d.school_year, d.level, d.amount)
                                for d in expected]
    assert {i["due"]["school_year"] for i in items} == {ent.school_year_of(today)}


def test_all_children_with_what_is_due_and_pagination(client, family, op):
    body = client.get(SCHOLARSHIPS, {"school_year": 2025}, **op).json()
    assert body["count"] == 4
    # Granted first (newest grant first, then by name), then children never granted.
    assert [(i["name"], i["entitlement"], i["awarded_on"], i["due"] and i["due"]["amount"])
            for i in body["items"]] == [
        ("Bayu", 84_000_000, "2025-04-02", 1_500_000),
        ("Wati", family["wati"].entitlement, "2025-04-02", 3_000_000),
        ("Citra", 0, None, None),  # at most two children (PP 82/2019)
        ("Dedi", family["dedi"].entitlement, None, None)]
    assert family["dedi"].entitlement > 0 and family["wati"].entitlement > 0
    assert [i["person_name"] for i in body["items"]] == ["Ahmad Fauzi"] * 3 + ["Budi Santoso"]
    page = client.get(SCHOLARSHIPS, {"school_year": 2025, "limit": 2, "offset": 2}, **op).json()
    assert (page["count"], [i["name"] for i in page["items"]]) == (4, ["Citra", "Dedi"])
    assert client.get(SCHOLARSHIPS, {"school_year": 1800}, **op).status_code == 422


def test_scholarships_are_scoped_to_the_callers_area(client, family):
    camat_ulak = token_for(client, "camat-ulak", "camat", "16.02.02")
    camat_lempuing = token_for(client, "camat-lempuing", "camat", "16.02.13")
    ahmads = [family[n].pk for n in ("bayu", "wati", "citra")]
    assert [i["id"] for i in client.get(SCHOLARSHIPS, **camat_ulak).json()["items"]] == ahmads
    listed = client.get(SCHOLARSHIPS, {"school_year": 2025}, **camat_lempuing).json()
    assert [i["id"] for i in listed["items"]] == [family["dedi"].pk]
    assert client.get(SCHOLARSHIPS, {"due": "true", "school_year": 2025},
                      **camat_lempuing).json() == {"items": [], "count": 0}
    for child in ahmads:
        assert client.get(f"{CLAIMS}/children/{child}", **camat_ulak).status_code == 200
        assert client.get(f"{CLAIMS}/children/{child}", **camat_lempuing).status_code == 404
    assert client.get(f"{CLAIMS}/children/{family['dedi'].pk}",
                      **camat_ulak).status_code == 404
    assert client.get(f"{CLAIMS}/children/999999", **camat_ulak).status_code == 404


def test_pimpinan_sees_no_named_children(client, family):
    bupati = token_for(client, "bupati", "pimpinan", "16.02")
    assert client.get(SCHOLARSHIPS, **bupati).status_code == 403
    assert client.get(SCHOLARSHIPS, {"due": "true"}, **bupati).status_code == 403
    assert client.get(f"{CLAIMS}/children/{family['bayu'].pk}", **bupati).status_code == 403


def test_niks_are_masked_without_personal_data_rights(client, family, op):
    auditor = token_for(client, "aud", "auditor", "16.02")
    bayu = client.get(SCHOLARSHIPS, {"school_year": 2025}, **auditor).json()["items"][0]
    assert (bayu["name"], bayu["nik"], bayu["person_nik"]) == (
        "Bayu", "160202******0005", "160202******0003")
    dedi = client.get(f"{CLAIMS}/children/{family['dedi'].pk}", **auditor).json()
    assert (dedi["nik"], dedi["person_nik"]) == ("", "160213******0001")
    shown = client.get(f"{CLAIMS}/children/{family['dedi'].pk}", **op).json()
    assert shown["person_nik"] == NIK_BUDI
    # Seeing the NIKs is recorded, as for a claim's detail; a masked view is not.
    seen = AuditEvent.objects.filter(action="view_personal", object_type="scholarship_child")
    assert [(e.actor.username, e.object_id) for e in seen] == [("op", str(family["dedi"].pk))]


def test_one_child_with_its_payments_and_end(client, family, op):
    bayu = family["bayu"]
    services.record_scholarship_payment(bayu, school_year=2024, amount=1_400_000,
                                        paid_on=dt.date(2025, 4, 20), user=family["op"])
    reply = client.get(f"{CLAIMS}/children/{bayu.pk}", **op)
    assert reply.status_code == 200, reply.content
    body = reply.json()
    assert (body["id"], body["claim_id"], body["name"], body["nik"], body["level"],
            body["years_done"], body["entitlement"]) == (
        bayu.pk, family["ahmad"].pk, "Bayu", NIK_BAYU, "sd", 0, 84_000_000)
    assert (body["person_name"], body["person_nik"], body["program"], body["event"],
            body["event_date"]) == ("Ahmad Fauzi", NIK_AHMAD, "jkk", "work_accident_death",
                                    "2025-03-05")
    # BPJS paid Rp100.000 less than the entitlement of the year: both are kept.
    assert [(p["school_year"], p["level"], p["entitled"], p["amount"], p["paid_on"])
            for p in body["payments"]] == [(2024, "sd", 1_500_000, 1_400_000, "2025-04-20")]
    today = timezone.localdate()
    year = ent.school_year_of(today)
    level, amount, citation = services.yearly_entitlement(bayu, year)
    assert body["current_year"] == {"school_year": year, "level": level, "amount": amount,
                                    "citation": citation}
    assert amount > 0 and (body["ended_by"], body["ended_on"], body["end_reason"]) == (
        None, None, "")

    # Ended by work: the reason and date, nothing more due.
    end = post(client, f"{CLAIMS}/children/{bayu.pk}/end",
               {"reason": "working", "on": today.isoformat()}, op)
    assert end.status_code == 200, end.content
    after = client.get(f"{CLAIMS}/children/{bayu.pk}", **op).json()
    assert (after["ended_by"], after["ended_on"], after["end_reason"], after["current_year"]) \
        == ("working", today.isoformat(), "working", None)
    assert end.json() == after  # the writes answer with the same detail
    assert len(after["payments"]) == 1


def test_a_child_past_23_has_ended_by_age(client, family, op):
    dedi = client.get(f"{CLAIMS}/children/{family['dedi'].pk}", **op).json()
    # 22 on the event date (entitled for university), 23 on 1 June 2025.
    assert dedi["entitlement"] == 60_000_000  # PT 5 × Rp12 jt
    assert (dedi["ended_by"], dedi["ended_on"], dedi["current_year"]) == ("age", None, None)
    assert dedi["awarded_on"] is None and dedi["payments"] == []
