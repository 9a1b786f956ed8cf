"""The claims API's writes: report a claim, import a BPJS report, heirs, scholarships, the heirs'
follow-up and the follow-up of a payment difference.

Each goes through :mod:`jamsos.claims.services` (audited there), with the web pages' rules:
claims writers only (admin, operator, bpjs), pimpinan 403 on named data, other areas' ids 404.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jamsos.audit.models import AuditEvent
from jamsos.claims import services
from jamsos.claims.models import Beneficiary, Claim, ClaimImport, FollowUp, ScholarshipPayment
from tests.api.test_domain_api import NIK_SITI, bearer, post, token_for
from tests.claims.helpers import paid_claim, workers
from tests.factories import TEBING_SULUH, ULAK_KAPAL, user

pytestmark = pytest.mark.django_db

CLAIMS = "/api/v1/claims"
DEATH = dt.date(2025, 3, 5)


@pytest.fixture
def people():
    return workers()


@pytest.fixture
def op(client, people):
    user("operator", "operator", "16.02")
    return bearer(client, "operator")


def events(object_type: str, action: str, object_id=None):
    qs = AuditEvent.objects.filter(object_type=object_type, action=action)
    if object_id is not None:
        qs = qs.filter(object_id=str(object_id))
    return qs


# ---- report a claim -------------------------------------------------------------------------

def test_operator_reports_a_jkm_claim_with_the_engines_entitlement(client, people, op):
    siti = people["siti"]
    reply = post(client, CLAIMS, {
        "person_id": siti.pk, "program": "jkm", "event": "death", "event_date": "2025-06-10",
        "reported_on": "2025-06-12",
        "beneficiaries": [{"name": "Andi Saputra", "relation": "duda",
                           "nik": "1602131708850009", "birth_date": "1988-01-02"}]}, op)
    assert reply.status_code == 201, reply.content
    body = reply.json()
    claim = Claim.objects.get()
    assert body["id"] == claim.pk and body["person_id"] == siti.pk
    # JKM for a BPU participant: 20 jt lump sum + 12 jt periodic + 10 jt funeral.
    assert body["entitlement"] == claim.entitlement == 42_000_000
    assert [i["code"] for i in body["items"]] == ["death_lump_sum", "periodic_benefit",
                                                  "funeral"]
    assert [i["amount"] for i in body["items"]] == [i["amount"] for i in claim.items]
    assert (body["status"], body["status_on"], body["nik"]) == ("reported", "2025-06-12",
                                                                NIK_SITI)
    assert [s["status"] for s in body["steps"]] == ["reported"]
    assert body["beneficiaries"] == [{"name": "Andi Saputra", "relation": "duda",
                                      "nik": "1602131708850009", "birth_date": "1988-01-02"}]
    # The services' side effects: the death in the registry, the follow-up filed, the audit.
    siti.refresh_from_db()
    assert siti.died_on == dt.date(2025, 6, 10)
    assert FollowUp.objects.get(person=siti).claim_id == claim.pk
    created = events("claim", "create", claim.pk).get()
    assert created.actor.username == "operator"
    assert created.changes["entitlement"] == [None, 42_000_000]
    heir = Beneficiary.objects.get()
    assert events("beneficiary", "create", heir.pk).get().changes["claim"] == [None, claim.pk]
    # The claim is then an ordinary claim of the area.
    assert client.get(f"{CLAIMS}/{claim.pk}", **op).json()["entitlement"] == 42_000_000


def test_facts_and_wage_reach_the_engine(client, people, op):
    reply = post(client, CLAIMS, {
        "person_id": people["ahmad"].pk, "program": "jkk", "event": "work_accident",
        "event_date": "2025-04-10", "wage": 4_500_000,
        "facts": {"treatment_cost": 2_500_000}}, op)
    assert reply.status_code == 201, reply.content
    body = reply.json()
    assert (body["wage"], body["entitlement"], body["eligible"]) == (4_500_000, 2_500_000, True)
    claim = Claim.objects.get(pk=body["id"])
    assert claim.facts == {"treatment_cost": 2_500_000, "_wage_given": True}
    assert body["status_on"] == timezone.localdate().isoformat()


def test_creating_is_scoped_and_for_claims_writers_only(client, people, op):
    siti, ahmad = people["siti"], people["ahmad"]
    claim = {"person_id": ahmad.pk, "program": "jkm", "event": "death",
             "event_date": "2025-06-10"}
    # A person of another area, or a guessed id: 404 (a writer of that desa's kecamatan).
    bpjs = token_for(client, "bpjs-lempuing", "bpjs", "16.02.13")
    refused = post(client, CLAIMS, claim, bpjs)
    assert refused.status_code == 404
    assert refused.json()["detail"] == "Peserta tidak ditemukan di wilayah Anda."
    assert post(client, CLAIMS, {**claim, "person_id": 999_999}, op).status_code == 404
    # Roles that do not write claims.
    for username, role, area in (("bupati", "pimpinan", "16.02"),
                                 ("camat", "camat", "16.02.13"),
                                 ("kades", "kepala_desa", TEBING_SULUH),
                                 ("aud", "auditor", "16.02")):
        reply = post(client, CLAIMS, {**claim, "person_id": siti.pk},
                     token_for(client, username, role, area))
        assert reply.status_code == 403, (username, reply.content)
    assert not Claim.objects.exists()
    assert not events("claim", "create").exists()
    ahmad.refresh_from_db()
    assert ahmad.died_on is None


def test_out_of_bound_facts_are_422_with_the_engines_bounds(client, people, op):
    from jamsos.rules import bounds

    base = {"person_id": people["budi"].pk, "program": "jkk", "event": "temporary_incapacity",
            "event_date": "2025-06-10"}
    for body, field in (
        ({"wage": bounds.MAX_WAGE + 1}, "wage"),
        ({"wage": 10**15}, "wage"),
        ({"facts": {"incapacity_months": bounds.MAX_INCAPACITY_MONTHS + 1}}, "incapacity_months"),
        ({"facts": {"incapacity_months": 99_999_999}}, "incapacity_months"),
        ({"facts": {"months_paid": bounds.MAX_MONTHS + 1}}, "months_paid"),
        ({"facts": {"treatment_cost": bounds.MAX_COST + 1}}, "treatment_cost"),
        ({"facts": {"balance": bounds.MAX_BALANCE + 1}}, "balance"),
    ):
        reply = post(client, CLAIMS, {**base, **body}, op)
        assert reply.status_code == 422, (body, reply.content)
        assert reply.json()["detail"][0]["loc"][-1] == field
    assert not Claim.objects.exists()
    # at the bound: computed
    ok = post(client, CLAIMS, {**base, "wage": bounds.MAX_WAGE,
                               "facts": {"incapacity_months": bounds.MAX_INCAPACITY_MONTHS}}, op)
    assert ok.status_code == 201, ok.content


def test_invalid_input_is_422_naming_the_field(client, people, op):
    base = {"person_id": people["budi"].pk, "program": "jkm", "event": "death",
            "event_date": "2025-06-10"}

    def refused(body):
        reply = post(client, CLAIMS, body, op)
        assert reply.status_code == 422, (body, reply.content)
        return reply.json()

    assert refused({**base, "event": "bogus"})["field"] == "event"
    assert refused({**base, "event_date": "2099-01-01"})["field"] == "event_date"
    assert refused({**base, "event_date": "1980-01-01"})["field"] == "event_date"
    assert refused({**base, "reported_on": "2025-06-01"})["field"] == "reported_on"
    assert refused({**base, "reported_on": "2099-06-01"})["field"] == "reported_on"
    # No enrolment on the event date (covered from 2021).
    assert refused({**base, "event_date": "2020-06-10"})["field"] == "event_date"
    # Schema errors (the framework's): the location names the field.
    missing = refused({k: v for k, v in base.items() if k != "event_date"})
    assert ["body", "body", "event_date"] == missing["detail"][0]["loc"]
    assert refused({**base, "program": "xyz"})["detail"][0]["loc"][-1] == "program"
    assert refused({**base, "wage": -1})["detail"][0]["loc"][-1] == "wage"
    facts = refused({**base, "facts": {"incapacity_months": -1}})["detail"][0]["loc"]
    assert facts[-2:] == ["facts", "incapacity_months"]
    assert refused({**base, "event": "death\x00"})["detail"][0]["loc"][-1] == "event"
    # An heir refused by the service: nothing of the claim remains (one transaction).
    heir = refused({**base, "beneficiaries": [{"name": "X", "relation": "anak", "nik": "12"}]})
    assert heir == {"field": "beneficiaries.0.nik", "detail": "NIK harus 16 angka.",
                    "code": "invalid",
                    "errors": [{"field": "beneficiaries.0.nik", "detail": "NIK harus 16 angka."}]}
    assert not Claim.objects.exists() and not events("claim", "create").exists()
    budi = people["budi"]
    budi.refresh_from_db()
    assert budi.died_on is None


# ---- import of a BPJS claim report ----------------------------------------------------------

HEADER = ("No Klaim;NIK;KPJ;Program;Jenis Kasus;Tanggal Kejadian;Status;Tanggal Bayar;"
          "Jumlah Dibayar;Biaya Perawatan;Saldo JHT;Keterangan")
GOOD = (
    "K-001;1602131708850001;;JKM;Meninggal dunia;05-03-2025;Dibayar;20-03-2025;42.000.000;;;",
    "K-002;;12345678901;JKK;Kecelakaan kerja;10-04-2025;Dibayar;30-04-2025;2500000;2500000;;",
    "K-003;1602021708800003;;JHT;PHK;01-05-2025;Diproses;;;;;",
)


def upload(client, auth, *rows, name="laporan.csv", query="", raw=None):
    data = raw if raw is not None else "\n".join([HEADER, *rows]).encode()
    return client.post(f"{CLAIMS}/imports{query}", {"file": SimpleUploadedFile(name, data)},
                       **auth)


def test_import_stores_the_valid_rows_and_counts_them(client, people, op):
    reply = upload(client, op, *GOOD)
    assert reply.status_code == 201, reply.content
    body = reply.json()
    assert (body["rows"], body["created"], body["updated"], body["rejected"],
            body["deaths_recorded"], body["dry_run"]) == (3, 3, 0, 0, 1, False)
    assert body["errors"] == [] and body["batch"] == ClaimImport.objects.get().pk
    jkm = Claim.objects.get(bpjs_reference="K-001")
    assert (jkm.person_id, jkm.status, jkm.paid_amount) == (people["budi"].pk, "paid",
                                                            42_000_000)
    assert events("claim_import", "import", body["batch"]).get().actor.username == "operator"
    assert events("claim", "create").count() == 3
    # Again: nothing changes.
    again = upload(client, op, *GOOD).json()
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 3)
    assert Claim.objects.count() == 3


def test_import_dry_run_stores_nothing(client, people, op):
    reply = upload(client, op, *GOOD, query="?dry_run=true")
    assert reply.status_code == 200, reply.content
    body = reply.json()
    assert (body["created"], body["dry_run"], body["batch"]) == (3, True, None)
    assert not Claim.objects.exists() and not ClaimImport.objects.exists()
    assert not events("claim_import", "import").exists()


def test_import_errors_name_row_and_column_and_store_nothing(client, people, op):
    rows = (
        ";1602131708850001;;JKM;;05-03-2025;Dibayar;20-03-2025;42000000;;;",  # 2 no ref
        "K-4;1602131708850001;;JKX;;05-03-2025;;;;;;",  # 3 programme
        "K-8;1602131708850001;;JKK;;05-03-2025;Dibayar;01-03-2025;100;;;",  # 4 before
    )
    reply = upload(client, op, *rows)
    assert reply.status_code == 201, reply.content
    body = reply.json()
    assert (body["rows"], body["created"], body["rejected"]) == (3, 0, 3)
    assert [(e["row"], e["column"], e["code"]) for e in body["errors"]] == [
        (2, "No Klaim", "required"), (3, "Program", "program_unknown"),
        (4, "Tanggal Bayar", "paid_before_event")]
    assert body["errors"][1]["message"] == ("Program 'JKX' tidak dikenal; isi JKK, JKM, JHT, JP "
                                            "atau JKP.")
    assert not Claim.objects.exists() and not events("claim", "create").exists()
    # People outside the uploader's area are not found.
    lempuing = token_for(client, "bpjs-lempuing", "bpjs", "16.02.13")
    outside = upload(client, lempuing, GOOD[2]).json()
    assert [(e["row"], e["code"]) for e in outside["errors"]] == [(2, "person_not_found")]
    assert not Claim.objects.exists()


def test_import_refuses_unreadable_files_and_non_writers(client, people, op):
    missing = upload(client, op, raw=b"NIK;Program\n1;JKM")
    assert missing.status_code == 422
    assert "No Klaim" in missing.json()["detail"]
    assert "Tanggal Kejadian" in missing.json()["detail"]
    garbage = upload(client, op, raw=b"PK\x03\x04garbage", name="x.xlsx")
    assert garbage.status_code == 422 and garbage.json()["detail"]
    wrong = upload(client, op, *GOOD, name="laporan.pdf")
    assert wrong.status_code == 422
    assert wrong.json()["detail"] == "Jenis berkas .pdf tidak didukung; kirim CSV atau XLSX."
    for username, role, area in (("bupati", "pimpinan", "16.02"),
                                 ("camat", "camat", "16.02.13")):
        assert upload(client, token_for(client, username, role, area),
                      *GOOD).status_code == 403
    assert not Claim.objects.exists() and not ClaimImport.objects.exists()


def test_import_size_limit(client, people, op, settings):
    settings.JAMSOS_MAX_IMPORT_BYTES = 10
    reply = upload(client, op, *GOOD)
    assert reply.status_code == 422
    assert reply.json()["detail"] == "Berkas terlalu besar (1 KB); batasnya 1 KB."
    assert not Claim.objects.exists()


# ---- heirs ----------------------------------------------------------------------------------

@pytest.fixture
def death(people):
    """Ahmad's (Ulak Kapal) work-accident death claim."""
    writer = user("op-service", "operator", "16.02")
    return services.create_claim(person=people["ahmad"], program="jkk",
                                 event="work_accident_death", event_date=DEATH, user=writer,
                                 reported_on=DEATH)


def test_add_an_heir(client, death, op):
    url = f"{CLAIMS}/{death.pk}/beneficiaries"
    reply = post(client, url, {"name": "Rina Fauzi", "relation": "janda",
                               "nik": "1602024101850004"}, op)
    assert reply.status_code == 201, reply.content
    assert reply.json()["beneficiaries"] == [{"name": "Rina Fauzi", "relation": "janda",
                                              "nik": "1602024101850004", "birth_date": None}]
    heir = Beneficiary.objects.get(claim=death)
    assert events("beneficiary", "create", heir.pk).get().actor.username == "operator"
    bad = post(client, url, {"name": "Rina", "relation": "janda", "nik": "160202"}, op)
    assert bad.status_code == 422 and bad.json()["field"] == "nik"
    blank = post(client, url, {"name": "  ", "relation": "anak"}, op)
    assert blank.status_code == 422 and blank.json()["field"] == "name"
    assert post(client, url, {"name": "X", "relation": "tetangga"}, op).status_code == 422
    # Another area's claim is not there; non-writers are refused; NIKs masked for auditors.
    other = token_for(client, "bpjs-lempuing", "bpjs", "16.02.13")
    assert post(client, url, {"name": "X", "relation": "anak"}, other).status_code == 404
    assert post(client, f"{CLAIMS}/999999/beneficiaries", {"name": "X", "relation": "anak"},
                op).status_code == 404
    auditor = token_for(client, "aud", "auditor", "16.02")
    assert post(client, url, {"name": "X", "relation": "anak"}, auditor).status_code == 403
    bupati = token_for(client, "bupati", "pimpinan", "16.02")
    assert post(client, url, {"name": "X", "relation": "anak"}, bupati).status_code == 403
    assert Beneficiary.objects.count() == 1
    masked = client.get(f"{CLAIMS}/{death.pk}", **auditor).json()["beneficiaries"][0]["nik"]
    assert masked == "160202******0004"


# ---- scholarships ---------------------------------------------------------------------------

def test_children_payments_and_end_of_a_scholarship(client, death, op):
    url = f"{CLAIMS}/{death.pk}/children"
    first = post(client, url, {"name": "A", "birth_date": "2021-01-01",
                               "level": "belum_sekolah"}, op)
    assert first.status_code == 201, first.content
    bad_nik = post(client, url, {"name": "B", "birth_date": "2012-01-01", "level": "smp",
                                 "nik": "16021317"}, op)
    assert bad_nik.status_code == 422 and bad_nik.json()["field"] == "nik"
    second = post(client, url, {"name": "B", "birth_date": "2012-01-01", "level": "smp",
                                "years_done": 1, "nik": "1602134101120001"}, op)
    assert second.status_code == 201, second.content
    from jamsos.claims.models import ScholarshipChild

    assert ScholarshipChild.objects.get(name="B").nik == "1602134101120001"
    body = second.json()
    assert [(c["name"], c["entitlement"]) for c in body["children"]] == [
        ("A", 87_000_000), ("B", 73_000_000)]  # PP 82/2019, as tests/claims compute
    assert body["scholarship_entitlement"] == 160_000_000
    child_b = body["children"][1]["id"]
    assert events("scholarship_child", "create", child_b).get().changes[
        "claim.scholarship_entitlement"] == [87_000_000, 160_000_000]
    refused = post(client, url, {"name": "C", "birth_date": "2026-01-01", "level": "tk"}, op)
    assert refused.status_code == 422 and refused.json()["field"] == "birth_date"
    assert post(client, url, {"name": "C", "birth_date": "2020-01-01", "level": "s3"},
                op).status_code == 422

    pay = f"{CLAIMS}/children/{child_b}/payments"
    paid = post(client, pay, {"school_year": 2024, "amount": 2_000_000,
                              "paid_on": "2025-03-20"}, op)
    assert paid.status_code == 201, paid.content
    child = paid.json()
    assert (child["id"], child["claim_id"], child["level"], child["entitlement"]) == (
        child_b, death.pk, "smp", 73_000_000)
    assert [(p["school_year"], p["level"], p["entitled"], p["amount"], p["paid_on"])
            for p in child["payments"]] == [(2024, "smp", 2_000_000, 2_000_000, "2025-03-20")]
    payment = ScholarshipPayment.objects.get()
    assert events("scholarship_payment", "create", payment.pk).get().changes["amount"] == [
        None, 2_000_000]
    twice = post(client, pay, {"school_year": 2024, "amount": 2_000_000}, op)
    assert twice.status_code == 422 and twice.json()["field"] == "school_year"
    negative = post(client, pay, {"school_year": 2025, "amount": -1}, op)
    assert negative.status_code == 422 and negative.json()["field"] == "amount"

    end = post(client, f"{CLAIMS}/children/{child_b}/end",
               {"reason": "married", "on": "2025-06-01"}, op)
    assert end.status_code == 200, end.content
    assert (end.json()["ended_on"], end.json()["end_reason"]) == ("2025-06-01", "married")
    assert events("scholarship_child", "update", child_b).get().changes == {
        "ended_on": [None, "2025-06-01"], "end_reason": [None, "married"]}
    after = post(client, pay, {"school_year": 2025, "amount": 2_000_000}, op)
    assert after.status_code == 422 and "berakhir" in after.json()["detail"]
    again = post(client, f"{CLAIMS}/children/{child_b}/end", {"reason": "working"}, op)
    assert again.status_code == 422 and again.json()["field"] == "reason"
    assert ScholarshipPayment.objects.count() == 1


def test_scholarships_are_scoped_and_for_writers(client, people, death, op):
    child = services.add_child(death, name="A", birth_date=dt.date(2021, 1, 1), level="tk",
                               user=None)
    other = token_for(client, "bpjs-lempuing", "bpjs", "16.02.13")  # Ahmad lives elsewhere
    camat = token_for(client, "camat", "camat", "16.02.02")
    for url, body in ((f"{CLAIMS}/{death.pk}/children",
                       {"name": "X", "birth_date": "2020-01-01", "level": "tk"}),
                      (f"{CLAIMS}/children/{child.pk}/payments", {"amount": 1}),
                      (f"{CLAIMS}/children/{child.pk}/end", {"reason": "married"})):
        assert post(client, url, body, other).status_code == 404, url
        assert post(client, url, body, camat).status_code == 403, url
    assert post(client, f"{CLAIMS}/children/999999/end", {"reason": "married"},
                op).status_code == 404
    # Only death and total-disability claims have scholarships.
    accident = services.create_claim(person=people["budi"], program="jkk",
                                     event="work_accident", event_date=DEATH, user=None)
    refused = post(client, f"{CLAIMS}/{accident.pk}/children",
                   {"name": "X", "birth_date": "2020-01-01", "level": "tk"}, op)
    assert refused.status_code == 422 and refused.json()["field"] == "claim"
    child.refresh_from_db()
    assert child.ended_on is None and not ScholarshipPayment.objects.exists()


# ---- heirs' follow-up -----------------------------------------------------------------------

def test_declining_a_follow_up_closes_it(client, people, op):
    from jamsos.registry.services import record_death

    record_death(people["siti"], died_on=dt.date(2025, 6, 10), source="registri")
    fu = FollowUp.objects.get(person=people["siti"])
    listed = client.get(f"{CLAIMS}/follow-ups", **op).json()
    assert [i["id"] for i in listed["items"]] == [fu.pk] and listed["amount"] == 42_000_000
    url = f"{CLAIMS}/follow-ups/{fu.pk}/decline"
    other = token_for(client, "kades", "kepala_desa", ULAK_KAPAL)
    assert post(client, url, {"reason": "x"}, other).status_code == 404
    camat = token_for(client, "camat", "camat", "16.02.13")
    assert post(client, url, {"reason": "x"}, camat).status_code == 403
    bupati = token_for(client, "bupati", "pimpinan", "16.02")
    assert post(client, url, {"reason": "x"}, bupati).status_code == 403
    assert post(client, f"{CLAIMS}/follow-ups/999999/decline", {"reason": "x"},
                op).status_code == 404
    blank = post(client, url, {"reason": "   "}, op)
    assert blank.status_code == 422 and blank.json()["field"] == "reason"
    done = post(client, url, {"reason": "Ahli waris tidak dapat dihubungi",
                              "on": "2025-07-01"}, op)
    assert done.status_code == 200, done.content
    body = done.json()
    assert (body["id"], body["status"], body["decline_reason"], body["closed_on"]) == (
        fu.pk, "declined", "Ahli waris tidak dapat dihubungi", "2025-07-01")
    assert body["nik"] == NIK_SITI
    after = client.get(f"{CLAIMS}/follow-ups", **op).json()
    assert (after["follow_ups"], after["amount"], after["items"]) == (0, 0, [])
    event = events("heirs_follow_up", "update", fu.pk).get()
    assert event.changes["status"] == ["open", "declined"]
    assert event.actor.username == "operator"
    late = post(client, url, {"reason": "lagi"}, op)
    assert late.status_code == 409 and late.json()["field"] == "status"


# ---- difference between the entitlement and the payment -------------------------------------

def test_noting_a_difference_unflags_the_claim(client, people, op):
    writer = user("op-service", "operator", "16.02")
    budi = paid_claim(people["budi"], "jkm", "death", DEATH, paid_on=dt.date(2025, 3, 25),
                      amount=40_000_000, user=writer)
    assert budi.entitlement == 42_000_000
    flagged = client.get(CLAIMS, {"flagged": "true"}, **op).json()
    assert [c["id"] for c in flagged["items"]] == [budi.pk]
    url = f"{CLAIMS}/{budi.pk}/difference-note"
    blank = post(client, url, {"note": " "}, op)
    assert blank.status_code == 422 and blank.json()["field"] == "difference_note"
    assert post(client, url, {"note": "x" * 301}, op).status_code == 422
    assert post(client, url, {"note": "x"},
                token_for(client, "kades", "kepala_desa", TEBING_SULUH)).status_code == 403
    assert post(client, url, {"note": "x"},
                token_for(client, "kades2", "kepala_desa", ULAK_KAPAL)).status_code == 404
    noted = post(client, url, {"note": "Kurang bayar Rp2 jt; diajukan ulang ke BPJS"}, op)
    assert noted.status_code == 200, noted.content
    body = noted.json()
    assert (body["difference"], body["difference_flagged"], body["difference_note"]) == (
        -2_000_000, False, "Kurang bayar Rp2 jt; diajukan ulang ke BPJS")
    assert client.get(CLAIMS, {"flagged": "true"}, **op).json()["count"] == 0
    assert events("claim", "update", budi.pk).filter(
        changes__has_key="difference_note").get().changes == {
        "difference_note": [None, "Kurang bayar Rp2 jt; diajukan ulang ke BPJS"]}


def test_a_claim_lies_where_the_person_lives_and_where_the_role_is(client, people):
    """Ahmad lives in Ulak Kapal (kecamatan 16.02.02) and holds his role in Tebing Suluh
    (16.02.13): the operator of 16.02.13 finds him, reports his claim and sees it afterwards;
    so does the camat of 16.02.02; another kecamatan's camat does not."""
    from jamsos.registry.models import Enrolment

    ahmad = people["ahmad"]
    assert ahmad.desa_id == ULAK_KAPAL
    Enrolment.objects.filter(person=ahmad).update(desa_id=TEBING_SULUH)
    kec_op = token_for(client, "op-lempuing", "operator", "16.02.13")
    reply = post(client, CLAIMS, {"person_id": ahmad.pk, "program": "jkk",
                                  "event": "work_accident", "event_date": "2025-06-10",
                                  "reported_on": "2025-06-11"}, kec_op)
    assert reply.status_code == 201, reply.content
    claim_id = reply.json()["id"]
    assert client.get(f"{CLAIMS}/{claim_id}", **kec_op).status_code == 200
    assert [c["id"] for c in client.get(CLAIMS, **kec_op).json()["items"]] == [claim_id]
    home = token_for(client, "camat-home", "camat", "16.02.02")
    assert client.get(f"{CLAIMS}/{claim_id}", **home).status_code == 200
    other = token_for(client, "camat-other", "camat", "16.02.03")
    assert client.get(f"{CLAIMS}/{claim_id}", **other).status_code == 404
    assert client.get(CLAIMS, **other).json()["items"] == []
