"""Two regencies in one province deployment (issue 16): Ogan Komering Ilir (16.02) and Ogan
Komering Ulu (16.01). A user of OKU guessing the ids of OKI's records gets 404 on every API
operation and page that takes them; imports of OKI rows are refused; exports and the audit trail
hold only OKU's share. A province-level user sees both."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from jamsos.audit.models import AuditEvent
from jamsos.audit.selectors import visible_to
from jamsos.registry.models import ImportBatch, Person
from jamsos.santunan.models import GrantVersion
from tests.factories import PASSWORD, PEOPLE, TEBING_SULUH, import_rows, upload_and_run, user

pytestmark = pytest.mark.django_db

OKU = "16.01"
OKU_DESA = "16.01.07.2001"
OKU_ROW = f"1601071708850004;Ani Oku;P;17-08-1985;{OKU_DESA};d;Ketua RT"


@pytest.fixture
def two_regencies(settings):
    """OKI: Budi, Siti, Ahmad, a santunan case (Budi), a paid death claim (Ahmad) with a
    scholarship child, its death-grant scheme (Perbup OKI 17/2025);
    OKU: Ani."""
    from jamsos.claims import services as claims
    from tests.claims.helpers import paid_claim
    from tests.santunan.conftest import make_case

    settings.JAMSOS_AREA = "16"
    batch = import_rows(*PEOPLE, OKU_ROW)
    oki_op = user("op.oki", "operator", "16.02")
    budi = Person.objects.get(nik="1602131708850001")
    ahmad = Person.objects.get(nik="1602021708800003")
    claim = paid_claim(ahmad, "jkm", "death", dt.date(2025, 10, 5),
                       paid_on=dt.date(2025, 10, 25), amount=42_000_000, user=oki_op)
    child = claims.add_child(claim, name="Anak Ahmad", birth_date=dt.date(2015, 1, 1),
                             level="sd", user=oki_op)
    case = make_case({"desa": user("kades", "kepala_desa", TEBING_SULUH)})
    return {"grant_version": GrantVersion.objects.get(kabupaten_code="16.02"),
            "person": budi, "enrolment": budi.enrolments.first(),
            "batch": ImportBatch.objects.get(pk=batch.batch_id), "claim": claim,
            "child": child, "case": case, "document": case.documents.first(),
            "desa": TEBING_SULUH}


def example(schema: dict, components: dict):
    """A value the schema accepts (required fields only), so that a write reaches its lookup."""
    if "$ref" in schema:
        return example(components[schema["$ref"].rsplit("/", 1)[1]], components)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [o for o in schema[key] if o.get("type") != "null"]
            return example(options[0], components)
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object":
        props = schema.get("properties", {})
        return {k: example(props[k], components) for k in schema.get("required", [])}
    if kind == "array":
        return [example(schema.get("items", {}), components)] * schema.get("minItems", 0)
    if kind in ("integer", "number"):
        return max(schema.get("minimum", 1), 1)
    if kind == "boolean":
        return False
    if schema.get("format") == "binary":
        from django.core.files.uploadedfile import SimpleUploadedFile

        return SimpleUploadedFile("x.pdf", b"%PDF-1.4 x")
    if schema.get("format") == "date":
        return "2025-10-01"
    if schema.get("format") == "date-time":
        return "2025-10-01T10:00:00+07:00"
    if schema.get("pattern") == r"^\d{16}$":  # a NIK
        return "1602131708850001"
    return "x" * max(schema.get("minLength", 1), 1)


def api_operations(oki) -> list[tuple[str, str, str, dict]]:
    """Every API operation that names an OKI record (method, url, content type, body), from
    the OpenAPI document."""
    from jamsos.api.api import api

    ids = {"person_id": oki["person"].pk, "enrolment_id": oki["enrolment"].pk,
           "batch_id": oki["batch"].pk, "claim_id": oki["claim"].pk,
           "child_id": oki["child"].pk, "case_id": oki["case"].pk,
           "doc_id": oki["document"].pk, "desa_code": oki["desa"], "code": oki["desa"],
           "kabupaten_code": "16.02", "version_id": oki["grant_version"].pk}
    ops = []
    doc = api.get_openapi_schema()
    components = doc.get("components", {}).get("schemas", {})
    for path, methods in doc["paths"].items():
        names = re.findall(r"{(\w+)}", path)
        if not names or not set(names) <= set(ids) or path.startswith("/api/v1/regions/"):
            continue  # no record of a regency in the path (the region catalogue is public)
        url = path
        for n in names:
            url = url.replace("{" + n + "}", str(ids[n]))
        for method, op in methods.items():
            content = op.get("requestBody", {}).get("content", {})
            kind = next(iter(content), "application/json")
            body = content.get(kind, {}).get("schema")
            ops.append((method, url, kind, example(body, components) if body else {}))
    return ops


def bearer(client, username: str) -> dict:
    token = client.post("/api/v1/auth/token", {"username": username, "password": PASSWORD},
                        content_type="application/json").json()["token"]
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.mark.parametrize("role", ["admin", "operator", "bpjs", "auditor", "verifikator"])
def test_every_api_operation_on_a_guessed_oki_id_answers_404_to_oku(client, two_regencies,
                                                                    role):
    user("oku", role, OKU)
    auth = bearer(client, "oku")
    ops = api_operations(two_regencies)
    assert len(ops) >= 25  # people, targets, imports, worklist, santunan, claims, children…
    answers = {}
    for method, url, kind, body in ops:
        if kind == "multipart/form-data":
            reply = getattr(client, method)(url, body, **auth)
        else:
            reply = getattr(client, method)(url, body, content_type=kind, **auth)
        answers[(method, url)] = reply.status_code
    # admin has every permission: every refusal is a 404; others may be refused by role first.
    allowed = {404} if role == "admin" else {403, 404}
    assert {k: v for k, v in answers.items() if v not in allowed} == {}
    assert Person.objects.get(pk=two_regencies["person"].pk).name == "Budi Santoso"
    assert ("get", "/api/v1/santunan/schemes/16.02/versions") in answers
    assert two_regencies["grant_version"].amount == 1_000_000
    assert GrantVersion.objects.filter(kabupaten_code="16.02").count() == 1


def test_lists_and_aggregates_of_the_api_hold_only_the_users_regency(client, two_regencies):
    user("oku", "admin", OKU)
    auth = bearer(client, "oku")
    people = client.get("/api/v1/people", **auth).json()["items"]
    assert [p["name"] for p in people] == ["Ani Oku"]
    assert client.get("/api/v1/claims", **auth).json()["count"] == 0
    assert client.get("/api/v1/santunan/cases", **auth).json()["count"] == 0
    assert client.get("/api/v1/coverage", {"area": "16.02"}, **auth).status_code == 404
    assert client.get("/api/v1/coverage", {"area": "16"}, **auth).status_code == 404
    covered = {r["code"]: r for r in client.get("/api/v1/coverage", **auth).json()}
    assert covered["_all"]["covered"] == 1


@pytest.mark.parametrize("role", ["admin", "operator", "auditor"])
def test_pages_and_exports_of_oki_answer_404_to_oku(client, two_regencies, role):
    user("oku", role, OKU)
    assert client.login(username="oku", password=PASSWORD)
    oki = two_regencies
    urls = [
        reverse("registry:person", args=[oki["person"].pk]),
        reverse("registry:import_detail", args=[oki["batch"].pk]),
        reverse("coverage:worklist", args=[TEBING_SULUH]),
        reverse("coverage:worklist_export", args=[TEBING_SULUH]),
        reverse("coverage:dashboard") + "?wilayah=16.02",
        reverse("coverage:export") + "?wilayah=16.02",
        reverse("coverage:dashboard") + "?wilayah=16",
        reverse("registry:targets") + "?wilayah=16.02",
        reverse("claims:detail", args=[oki["claim"].pk]),
        reverse("claims:scholarship", args=[oki["child"].pk]),
        reverse("santunan:detail", args=[oki["case"].pk]),
        reverse("santunan:document", args=[oki["case"].pk, oki["document"].pk]),
        reverse("santunan:rules") + "?kabupaten=16.02",
        reverse("web:ranking"),  # a regency user has no province ranking
    ]
    answers = {u: client.get(u).status_code for u in urls}
    assert {u: s for u, s in answers.items() if s not in (403, 404)} == {}
    if role == "admin":
        assert {u: s for u, s in answers.items() if s != 404} == {}
    listing = client.get(reverse("registry:people")).content.decode()
    assert "Ani Oku" in listing and "Budi Santoso" not in listing


def test_an_oku_import_refuses_oki_rows_in_the_background_job(client, two_regencies):
    user("oku", "operator", OKU)
    assert client.login(username="oku", password=PASSWORD)
    batch = upload_and_run(client, f"1602131708810006;Susi;P;17-08-1981;{TEBING_SULUH};c;PKK")
    assert batch.summary["rejected"] == 1 and batch.summary["created"] == 0
    assert not Person.objects.filter(nik="1602131708810006").exists()


def test_the_audit_trail_of_a_regency_holds_only_its_own_events(client, two_regencies):
    from jamsos.registry.services import update_person

    ani = Person.objects.get(nik="1601071708850004")
    update_person(ani, user=user("op.oku", "operator", OKU), name="Ani Oku Baru")
    oku_events = set(visible_to(OKU).values_list("pk", flat=True))
    oki_events = set(visible_to("16.02").values_list("pk", flat=True))
    assert oku_events and oki_events and not oku_events & oki_events
    assert not visible_to(OKU).filter(area="").exists()  # deployment-wide: province only
    everything = set(visible_to("16").values_list("pk", flat=True))
    assert everything == set(AuditEvent.objects.values_list("pk", flat=True))
    user("aud.oku", "auditor", OKU)
    assert client.login(username="aud.oku", password=PASSWORD)
    csv_text = b"".join(client.get(reverse("audit:export")).streaming_content).decode()
    assert str(two_regencies["person"].pk) not in {
        line.split(",")[6] for line in csv_text.splitlines()[1:] if "person" in line}
    assert "Budi" not in csv_text


def test_a_province_user_sees_both_regencies(client, two_regencies):
    user("prov", "operator", "16")
    auth = bearer(client, "prov")
    names = {p["name"] for p in client.get("/api/v1/people", **auth).json()["items"]}
    assert {"Ani Oku", "Budi Santoso"} <= names
    assert client.get(f"/api/v1/people/{two_regencies['person'].pk}", **auth).status_code == 200
