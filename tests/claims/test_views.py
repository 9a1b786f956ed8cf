"""Pages: area scoping (404 outside, guessed ids too), roles, forms, downloads."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from jamsos.claims import services
from jamsos.claims.models import Claim
from tests.claims.helpers import paid_claim, workers
from tests.factories import PASSWORD, TEBING_SULUH, user

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    people = workers()
    op = user("operator", "operator", "16.02")
    budi = paid_claim(people["budi"], "jkm", "death", dt.date(2025, 3, 5),
                      paid_on=dt.date(2025, 3, 25), amount=42_000_000, user=op)
    ahmad = services.create_claim(person=people["ahmad"], program="jkk",
                                  event="work_accident_death", event_date=dt.date(2025, 4, 1),
                                  user=op, reported_on=dt.date(2025, 4, 1))
    child = services.add_child(ahmad, name="Anak Ahmad", birth_date=dt.date(2020, 1, 1),
                               level="tk", user=op)
    return {"people": people, "budi": budi, "ahmad": ahmad, "child": child}


def client_for(username, role, area) -> Client:
    user(username, role, area)
    c = Client()
    assert c.login(username=username, password=PASSWORD)
    return c


def test_village_head_sees_only_the_village(setup):
    c = client_for("kades", "kepala_desa", TEBING_SULUH)
    page = c.get("/klaim/").content.decode()
    assert "Budi Santoso" in page and "Ahmad Fauzi" not in page
    assert c.get(f"/klaim/{setup['budi'].pk}/").status_code == 200
    ahmad = setup["ahmad"]
    fu = ahmad.person.heirs_follow_up
    for url in (f"/klaim/{ahmad.pk}/", f"/klaim/tindak-lanjut/{fu.pk}/",
                f"/klaim/beasiswa/{setup['child'].pk}/", "/klaim/99999/",
                "/klaim/laporan/?wilayah=16.02", "/klaim/laporan.xlsx?wilayah=16.02.02"):
        assert c.get(url).status_code == 404, url
    report = c.get("/klaim/laporan/?dari=2025-01-01&sampai=2025-08-31").content.decode()
    assert 'id="n-claims">1<' in report
    assert "Anak Ahmad" not in c.get("/klaim/beasiswa/").content.decode()
    assert c.post(f"/klaim/{setup['budi'].pk}/", {"action": "difference",
                                                   "note": "x"}).status_code == 403


def test_readers_cannot_write(setup):
    for role in ("auditor", "pimpinan", "verifikator"):
        c = client_for(role, role, "16.02")
        # pimpinan reads aggregates only: no named claims at all
        assert c.get(f"/klaim/{setup['ahmad'].pk}/").status_code == (
            403 if role == "pimpinan" else 200)
        r = c.post(f"/klaim/{setup['ahmad'].pk}/", {"action": "move", "to": "rejected"})
        assert r.status_code == 403
        assert c.get("/klaim/baru/").status_code == 403
        assert c.get("/klaim/impor/").status_code == 403
    assert Claim.objects.get(pk=setup["ahmad"].pk).status == "reported"


def test_nik_masked_for_readers_without_personal_data(setup):
    c = client_for("auditor", "auditor", "16.02")
    page = c.get("/klaim/").content.decode()
    assert "1602131708850001" not in page


def test_operator_records_a_claim_through_the_forms(setup):
    c = client_for("op2", "operator", "16.02")
    r = c.post("/klaim/baru/", {"person": "1602135708900002", "event": "jkk:work_accident",
                                "event_date": "2025-05-02", "reported_on": "2025-05-03",
                                "treatment_cost": "1.250.000"})
    claim = Claim.objects.get(person=setup["people"]["siti"])
    assert r.status_code == 302 and r["Location"] == f"/klaim/{claim.pk}/"
    assert claim.entitlement == 1_250_000
    page = c.get(f"/klaim/{claim.pk}/").content.decode()
    assert "PP 44/2015 Pasal 25 + Lampiran III" in page
    r = c.post(f"/klaim/{claim.pk}/", {"action": "move", "to": "submitted"})
    assert "Status tidak dapat berpindah" in r.content.decode()
    r = c.post("/klaim/baru/", {"person": "1602021708800003", "event": "jkk:work_accident",
                                "event_date": "2019-01-01"})
    assert "kepesertaan" in r.content.decode()


def test_report_downloads(setup):
    c = client_for("bupati", "pimpinan", "16.02")
    page = c.get("/klaim/laporan/?dari=2025-01-01&sampai=2025-08-31").content.decode()
    assert 'id="n-claims">1<' in page and "Rp 42.000.000" in page
    assert '<span class="rp-short">Rp 42 juta</span>' in page
    assert 'title="Rp 42.000.000"' in page and "1 Jan 2025 – 31 Agu 2025" in page
    x = c.get("/klaim/laporan.xlsx?dari=2025-01-01&sampai=2025-08-31")
    assert x["Content-Type"].startswith("application/vnd.openxmlformats")
    p = c.get("/klaim/laporan.pdf?dari=2025-01-01&sampai=2025-08-31")
    assert p["Content-Type"] == "application/pdf" and p.content.startswith(b"%PDF-")
    for url in ("/klaim/tindak-lanjut/", "/klaim/beasiswa/",
                f"/klaim/beasiswa/{setup['child'].pk}/"):
        assert c.get(url).status_code == 403, url  # named heirs and children: not for pimpinan
    operator = client_for("op3", "operator", "16.02")
    for url in ("/klaim/tindak-lanjut/", "/klaim/beasiswa/",
                f"/klaim/beasiswa/{setup['child'].pk}/"):
        assert operator.get(url).status_code == 200, url
    from jamsos.audit.models import AuditEvent

    assert AuditEvent.objects.filter(action="export", object_type="claims_report").count() == 2


def test_import_page(setup, tmp_path):
    c = client_for("bpjs", "bpjs", "16.02")
    data = ("No Klaim;NIK;Program;Tanggal Kejadian;Jumlah Dibayar;Tanggal Bayar\n"
            "Z-1;1602135708900002;JKK;02-05-2025;100000;03-05-2025\n"
            "Z-2;1602135708900002;JKZ;02-05-2025;100000;03-05-2025\n")
    path = tmp_path / "k.csv"
    path.write_text(data)
    with path.open("rb") as fh:
        page = c.post("/klaim/impor/", {"file": fh}).content.decode()
    assert 'id="n-created">1<' in page and 'id="n-rejected">1<' in page
    assert "Program &#x27;JKZ&#x27; tidak dikenal" in page


def test_viewing_a_named_claim_unmasked_is_audited(setup):
    from jamsos.audit.models import AuditEvent

    client_for("op-v", "operator", "16.02").get(f"/klaim/{setup['ahmad'].pk}/")
    client_for("aud-v", "auditor", "16.02").get(f"/klaim/{setup['ahmad'].pk}/")  # masked
    views = AuditEvent.objects.filter(action="view_personal", object_type="claim")
    assert list(views.values_list("actor_name", "object_id")) == [
        ("op-v", str(setup["ahmad"].pk))]


# --- issue 13 item 5: every error of an action at once, in the summary and at the field ----


def _summary(html: str) -> str:
    return html.split('class="error-summary"')[1].split("</div>")[0]


def test_claim_actions_report_every_error_at_once_with_the_input_kept(setup):
    c = client_for("op2", "operator", "16.02")
    ahmad = setup["ahmad"]
    page = c.post(f"/klaim/{ahmad.pk}/", {"action": "beneficiary", "name": " ",
                                          "relation": "tetangga", "nik": "123"})
    assert page.status_code == 200
    html = page.content.decode()
    assert set(page.context["failed"].errors) == {"name", "relation", "nik"}
    summary = _summary(html)
    for field in ("name", "relation", "nik"):
        assert f'href="#ben-{field}"' in summary
    assert 'value="123"' in html  # input kept
    assert not ahmad.beneficiaries.exists()

    page = c.post(f"/klaim/{ahmad.pk}/", {"action": "child", "name": "", "birth_date": "",
                                          "level": "kuliah", "years_done": "0"})
    assert set(page.context["failed"].errors) == {"name", "birth_date", "level"}
    assert _summary(page.content.decode()).count("<li>") == 3
    page = c.post(f"/klaim/{ahmad.pk}/", {"action": "child", "name": "Anak", "birth_date": "",
                                          "level": "kuliah", "years_done": "-1"})
    assert set(page.context["failed"].errors) == {"years_done", "birth_date", "level"}

    Claim.objects.filter(pk=ahmad.pk).update(status="submitted")
    tomorrow = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    page = c.post(f"/klaim/{ahmad.pk}/", {"action": "move", "to": "rejected", "on": tomorrow,
                                          "reason": ""})
    assert page.status_code == 200, page.status_code
    assert set(page.context["failed"].errors) == {"on", "reason"}
    html = page.content.decode()
    assert 'href="#move-rejected-on"' in _summary(html)
    assert f'value="{tomorrow}"' in html
    assert Claim.objects.get(pk=ahmad.pk).status == "submitted"


def test_scholarship_and_follow_up_forms_use_the_summary(setup):
    c = client_for("op2", "operator", "16.02")
    child = setup["child"]
    page = c.post(f"/klaim/beasiswa/{child.pk}/", {"action": "pay", "school_year": "1990",
                                                   "amount": ""})
    errors = page.context["failed"].errors
    assert set(errors) == {"school_year", "amount"}
    assert 'href="#pay-amount"' in _summary(page.content.decode())
    page = c.post(f"/klaim/beasiswa/{child.pk}/", {"action": "end", "reason": "bosan",
                                                   "on": "kemarin"})
    assert set(page.context["failed"].errors) == {"reason", "on"}
    fu = setup["ahmad"].person.heirs_follow_up
    fu.status = "open"
    fu.save()
    page = c.post(f"/klaim/tindak-lanjut/{fu.pk}/", {"reason": "  "})
    assert 'href="#decline-reason"' in _summary(page.content.decode())


def test_the_api_refuses_the_same_input_with_the_same_fields(setup, client):
    from tests.api.test_domain_api import bearer, post

    user("opapi", "operator", "16.02")
    auth = bearer(client, "opapi")
    ahmad = setup["ahmad"]
    Claim.objects.filter(pk=ahmad.pk).update(status="submitted")
    reply = post(client, f"/api/v1/claims/{ahmad.pk}/beneficiaries",
                 {"name": " ", "relation": "anak", "nik": "123"}, auth)
    assert reply.status_code == 422
    assert [e["field"] for e in reply.json()["errors"]] == ["name", "nik"]
    reply = post(client, f"/api/v1/claims/{ahmad.pk}/status",
                 {"to": "rejected", "on": (dt.date.today() + dt.timedelta(days=2)).isoformat(),
                  "reason": ""}, auth)
    assert reply.status_code == 422
    assert {e["field"] for e in reply.json()["errors"]} == {"on", "reason"}
