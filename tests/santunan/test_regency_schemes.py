"""Each regency's own death grant (issue 16 item 2): dated versions per kabupaten/kota in the
database, edited by that regency's administrator and audited. In a province deployment Ogan
Komering Ilir (16.02, Perbup OKI 17/2025, seeded) and Ogan Komering Ulu (16.01): an OKU case gets
OKU's amount, decile limit and deadline, OKI's cases keep theirs; a regency without a scheme has
no santunan menu, its pages answer 404 and proposals are refused; another regency's administrator
is refused."""

from __future__ import annotations

import datetime as dt
import importlib
import re

import pytest
from django.test import Client
from django.urls import reverse

from jamsos.audit.models import AuditEvent
from jamsos.santunan import services
from jamsos.santunan.models import GrantVersion
from jamsos.santunan.params import shipped_scheme
from jamsos.santunan.selectors import scheme_for
from tests.factories import PASSWORD, TEBING_SULUH, user
from tests.santunan.conftest import PDF, TODAY, advance, case_data, dtsen_csv, make_case

pytestmark = pytest.mark.django_db

OKU = "16.01"
OKU_DESA = "16.01.07.2001"
OKU_KK = "1601070101090001"
OKU_DEAD = "1601071708850004"
OKU_VERSION = {"valid_from": "2025-01-01", "amount": "750.000", "max_decile": "3",
               "sla_days": "14", "notify_day": "10", "documents": ["akta_kematian"],
               "citation": "Perbup OKU 9/2024 tentang Santunan Kematian"}


def oku_case_data(**over) -> dict:
    return case_data(desa_id=OKU_DESA, deceased_nik=OKU_DEAD, no_kk=OKU_KK,
                     heir_nik="1601075708900002", deceased_name="Ani Oku", **over)


@pytest.fixture
def province(settings):
    settings.JAMSOS_AREA = "16"
    return {
        "oku_admin": user("admin.oku", "admin", OKU),
        "oki_admin": user("admin.oki", "admin", "16.02"),
        "prov_admin": user("admin.prov", "admin", "16"),
        "oku_desa": user("kades.oku", "kepala_desa", OKU_DESA),
        "oku_camat": user("camat.oku", "camat", "16.01.07"),
        "oku_dinsos": user("dinsos.oku", "verifikator", OKU),
    }


@pytest.fixture
def oku_scheme(province):
    return services.add_grant_version(user=province["oku_admin"], kabupaten_code=OKU,
                                      data=OKU_VERSION)


def signed_in(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def menu_keys(client) -> list[str]:
    html = client.get(reverse("web:home")).content.decode()
    nav = re.search(r'<nav class="menu-wide".*?</nav>', html, re.S).group(0)
    return re.findall(r'data-menu="([^"]+)"', nav)


# --- the seed and the cache ----------------------------------------------------------


def test_the_seeded_oki_versions_equal_the_cited_scheme_file():
    stored = scheme_for("16.02")
    shipped = shipped_scheme()
    assert shipped.kabupaten_code == "16.02"
    assert [{**v.__dict__, "pk": None} for v in stored.versions] == \
        [v.__dict__ for v in shipped.versions]
    migration = importlib.import_module("jamsos.santunan.migrations.0005_grant_versions")
    assert [v["amount"] for v in migration.OKI_VERSIONS] == [1_000_000]


def test_a_version_stored_by_another_process_counts_at_once(province):
    assert scheme_for(OKU) is None
    # Another process (another `jamsos serve`) stores a version: no process cache hides it.
    GrantVersion.objects.create(kabupaten_code=OKU, valid_from=dt.date(2025, 1, 1),
                                amount=500_000, max_decile=4, sla_days=10, notify_day=7,
                                documents=["sktm"], citation="Perbup OKU 9/2024")
    assert scheme_for(OKU).in_force(dt.date(2025, 9, 1)).amount == 500_000


# --- a case takes its own regency's version ------------------------------------------


def test_an_oku_case_gets_okus_amount_decile_and_deadline_and_oki_keeps_its_own(
        province, oku_scheme, people):
    from jamsos.dtsen.importing import import_extract

    assert import_extract(dtsen_csv(f"{OKU_DEAD};{OKU_KK};4", "1602131708850001;"
                                    "1602130101090001;4"),
                          "dtsen.csv", valid_from=dt.date(2025, 1, 1), today=TODAY).errors == []
    oku = services.propose(user=province["oku_desa"], data=oku_case_data(), today=TODAY)
    assert (oku.amount, oku.scheme_version) == (750_000, "2025-01-01")
    oki_users = {"desa": user("kades", "kepala_desa", TEBING_SULUH)}
    oki = make_case(oki_users)
    assert (oki.amount, oki.scheme_version) == (1_000_000, "2025-09-01")
    # OKU asks only the death certificate; decile 4 passes OKI's limit (5), not OKU's (3).
    services.upload_document(oku, user=province["oku_desa"], kind="akta_kematian",
                             filename="akta.pdf", data=PDF)
    by_code = {c.code: c for c in services.checks(oku, today=TODAY)}
    assert by_code["documents"].ok
    assert not by_code["dtsen"].ok and "1–3" in by_code["dtsen"].message
    oki_checks = {c.code: c for c in services.checks(oki, today=TODAY)}
    assert oki_checks["dtsen"].ok and "1–5" in oki_checks["dtsen"].message


def test_an_oku_case_runs_on_okus_deadline_and_notice_day(province, oku_scheme, people):
    from jamsos.dtsen.importing import import_extract

    import_extract(dtsen_csv(f"{OKU_DEAD};{OKU_KK};2"), "dtsen.csv",
                   valid_from=dt.date(2025, 1, 1), today=TODAY)
    case = services.propose(user=province["oku_desa"], data=oku_case_data(), today=TODAY)
    services.upload_document(case, user=province["oku_desa"], kind="akta_kematian",
                             filename="akta.pdf", data=PDF)
    who = {"desa": province["oku_desa"], "camat": province["oku_camat"],
           "dinsos": province["oku_dinsos"]}
    case = advance(case, who, "verified")
    assert (case.status, case.sla_days) == ("verified", 14)
    user("kadinsos.oku", "verifikator", OKU)
    # OKI tells its head on day 5; OKU on day 10 (its own notify_day).
    assert services.day_notices(today=TODAY + dt.timedelta(days=9))["cases_due"] == 0
    assert services.day_notices(today=TODAY + dt.timedelta(days=10))["cases_due"] == 1


# --- a regency without a scheme ------------------------------------------------------


def test_a_regency_without_a_scheme_refuses_proposals_by_name(province):
    with pytest.raises(services.CaseError) as err:
        services.propose(user=province["oku_desa"], data=oku_case_data(), today=TODAY)
    assert err.value.field == "desa_id"
    assert err.value.message == ("Kabupaten Ogan Komering Ulu belum mempunyai peraturan "
                                 "santunan kematian.")


def test_a_regency_without_a_scheme_has_no_santunan_menu_and_its_pages_answer_404(province):
    client = signed_in("kades.oku")
    keys = menu_keys(client)
    assert "home" in keys and not [k for k in keys if k.startswith("santunan")]
    for name in ("santunan:list", "santunan:new", "santunan:report", "santunan:notifications",
                 "santunan:rules"):
        assert client.get(reverse(name)).status_code == 404, name
    assert reverse("santunan:new") not in client.get(reverse("web:home")).content.decode()
    dinsos = signed_in("dinsos.oku")
    assert not [k for k in menu_keys(dinsos) if k.startswith("santunan")]
    assert dinsos.get(reverse("santunan:payments")).status_code == 404
    # The API refuses the proposal with the same words.
    token = Client().post("/api/v1/auth/token", {"username": "kades.oku", "password": PASSWORD},
                          content_type="application/json").json()["token"]
    body = {k if k != "desa_id" else "desa_code": v for k, v in oku_case_data().items()}
    reply = Client().post("/api/v1/santunan/cases", body, content_type="application/json",
                          HTTP_AUTHORIZATION=f"Bearer {token}")
    assert reply.status_code == 422
    assert "Ogan Komering Ulu belum mempunyai peraturan" in reply.json()["detail"]


def test_its_administrator_keeps_the_rules_page_to_add_the_first_version(province):
    client = signed_in("admin.oku")
    keys = menu_keys(client)
    assert "santunan_rules" in keys and "santunan" not in keys
    page = client.get(reverse("santunan:rules"))
    assert page.status_code == 200 and 'id="no-scheme"' in page.content.decode()
    reply = client.post(reverse("santunan:rules"), {**OKU_VERSION, "kabupaten": OKU})
    assert reply.status_code == 302
    assert scheme_for(OKU).in_force(dt.date(2025, 6, 1)).amount == 750_000
    assert "santunan" in menu_keys(client)
    assert client.get(reverse("santunan:list")).status_code == 200
    assert "santunan" in menu_keys(signed_in("kades.oku"))


def test_a_province_user_sees_santunan_when_one_regency_has_a_scheme(province, people):
    make_case({"desa": user("kades", "kepala_desa", TEBING_SULUH)})
    client = signed_in("admin.prov")
    assert "santunan" in menu_keys(client)
    listing = client.get(reverse("santunan:list")).content.decode()
    assert "Budi Santoso" in listing
    rules = client.get(reverse("santunan:rules")).content.decode()
    assert "Ogan Komering Ulu" in rules and "Ogan Komering Ilir" in rules  # the regency choice
    GrantVersion.objects.all().delete()
    assert client.get(reverse("santunan:list")).status_code == 404


# --- editing: the regency's administrator, audited -----------------------------------


def test_a_new_version_ends_the_previous_one_the_day_before_audited(province, oku_scheme):
    second = services.add_grant_version(user=province["oku_admin"], kabupaten_code=OKU, data={
        **OKU_VERSION, "valid_from": "2026-01-01", "amount": "900000"})
    first = GrantVersion.objects.get(pk=oku_scheme.pk)
    assert first.valid_to == dt.date(2025, 12, 31) and second.valid_to is None
    assert scheme_for(OKU).in_force(dt.date(2025, 12, 31)).amount == 750_000
    assert scheme_for(OKU).in_force(dt.date(2026, 1, 1)).amount == 900_000
    events = list(AuditEvent.objects.filter(object_type="santunan_grant_version")
                  .order_by("id"))
    assert [(e.action, e.object_id) for e in events] == [
        ("create", str(first.pk)), ("update", str(first.pk)), ("create", str(second.pk))]
    assert events[1].changes == {"valid_to": [None, "2025-12-31"]}
    assert events[2].changes["amount"] == [None, 900_000]
    assert {e.area for e in events} == {OKU}
    assert events[0].actor_name == "admin.oku"


def test_a_version_no_case_uses_may_be_corrected_one_in_use_may_not(province, oku_scheme):
    fixed = services.correct_grant_version(oku_scheme, user=province["oku_admin"],
                                           data={"amount": "800000"})
    assert fixed.amount == 800_000
    event = AuditEvent.objects.filter(object_type="santunan_grant_version",
                                      action="update").get()
    assert event.changes == {"amount": [750_000, 800_000]}
    services.propose(user=province["oku_desa"], data=oku_case_data(), today=TODAY)
    with pytest.raises(services.SchemeError) as err:
        services.correct_grant_version(oku_scheme, user=province["oku_admin"],
                                       data={"amount": "1"})
    assert "sudah dipakai" in err.value.message
    assert GrantVersion.objects.get(pk=oku_scheme.pk).amount == 800_000
    # Nor may a new version start on or before a date of death the old one decided.
    with pytest.raises(services.SchemeError) as err:
        services.add_grant_version(user=province["oku_admin"], kabupaten_code=OKU,
                                   data={**OKU_VERSION, "valid_from": "2025-09-10"})
    assert err.value.field == "valid_from"
    assert GrantVersion.objects.get(pk=oku_scheme.pk).valid_to is None


def test_every_fault_of_a_version_is_reported_at_once_on_the_page(province):
    client = signed_in("admin.oku")
    page = client.post(reverse("santunan:rules"), {
        "kabupaten": OKU, "valid_from": "2025-01-01", "amount": "sejuta", "max_decile": "11",
        "sla_days": "7", "notify_day": "9", "documents": ["akta_kematian"],
        "citation": "Tribun Sumsel 2 Sep 2025"})
    assert page.status_code == 200
    html = page.content.decode()
    summary = re.search(r'class="error-summary".*?</div>', html, re.S)
    assert summary is not None
    for message in ("Isi bilangan bulat.", "Batas desil DTSEN harus 1 sampai 10.",
                    "Hari pemberitahuan harus 1 sampai batas waktu pembayaran.",
                    "Dasar hukum hanya menyebut peraturan"):
        assert message in summary.group(0), message
    assert not GrantVersion.objects.filter(kabupaten_code=OKU).exists()


def test_another_regencys_administrator_is_refused(client, province, oku_scheme):
    with pytest.raises(services.SchemeError) as err:
        services.add_grant_version(user=province["oki_admin"], kabupaten_code=OKU,
                                   data={**OKU_VERSION, "valid_from": "2026-01-01"})
    assert err.value.http_status == 403
    with pytest.raises(services.SchemeError):
        services.correct_grant_version(oku_scheme, user=province["oki_admin"],
                                       data={"amount": "1"})
    with pytest.raises(services.SchemeError):  # a verifikator is no administrator
        services.add_grant_version(user=province["oku_dinsos"], kabupaten_code=OKU,
                                   data={**OKU_VERSION, "valid_from": "2026-01-01"})
    oki = signed_in("admin.oki")
    assert oki.get(reverse("santunan:rules") + f"?kabupaten={OKU}").status_code == 404
    assert oki.post(reverse("santunan:rules"), {**OKU_VERSION, "kabupaten": OKU,
                                                "valid_from": "2026-01-01"}).status_code == 404
    # The province's administrator may.
    services.add_grant_version(user=province["prov_admin"], kabupaten_code=OKU,
                               data={**OKU_VERSION, "valid_from": "2026-01-01"})
    assert GrantVersion.objects.filter(kabupaten_code=OKU).count() == 2
    assert not AuditEvent.objects.filter(object_type="santunan_grant_version",
                                         actor_name="admin.oki").exists()


# --- the API ---------------------------------------------------------------------------


def bearer(username: str) -> dict:
    token = Client().post("/api/v1/auth/token", {"username": username, "password": PASSWORD},
                          content_type="application/json").json()["token"]
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_the_api_lists_adds_and_corrects_through_the_same_service(client, province):
    url = f"/api/v1/santunan/schemes/{OKU}/versions"
    admin = bearer("admin.oku")
    assert client.get(url, **admin).json() == []
    body = {"valid_from": "2025-01-01", "amount": 750_000, "max_decile": 3, "sla_days": 14,
            "notify_day": 10, "documents": ["akta_kematian"],
            "citation": "Perbup OKU 9/2024 tentang Santunan Kematian"}
    bad = client.post(url, {**body, "max_decile": 0, "notify_day": 20, "citation": "Koran"},
                      content_type="application/json", **admin)
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} == {"max_decile", "notify_day",
                                                          "citation"}
    made = client.post(url, body, content_type="application/json", **admin)
    assert made.status_code == 201 and made.json()["amount"] == 750_000
    pk = made.json()["id"]
    fixed = client.patch(f"{url}/{pk}", {"amount": 800_000}, content_type="application/json",
                         **admin)
    assert fixed.status_code == 200 and fixed.json()["amount"] == 800_000
    assert AuditEvent.objects.filter(object_type="santunan_grant_version").count() == 2
    # OKU's verifikator reads the versions but may not add; OKI's administrator gets 404.
    dinsos = bearer("dinsos.oku")
    assert [v["amount"] for v in client.get(url, **dinsos).json()] == [800_000]
    assert client.post(url, {**body, "valid_from": "2026-01-01"},
                       content_type="application/json", **dinsos).status_code == 403
    oki = bearer("admin.oki")
    assert client.get(url, **oki).status_code == 404
    assert client.post(url, {**body, "valid_from": "2026-01-01"},
                       content_type="application/json", **oki).status_code == 404
    assert client.patch(f"{url}/{pk}", {"amount": 1}, content_type="application/json",
                        **oki).status_code == 404
    # Once a case uses it, a correction is refused.
    services.propose(user=province["oku_desa"], data=oku_case_data(), today=TODAY)
    used = client.patch(f"{url}/{pk}", {"amount": 1}, content_type="application/json",
                        **admin)
    assert used.status_code == 422 and "sudah dipakai" in used.json()["detail"]
    assert client.get(url, **admin).json()[0]["in_use"] is True
