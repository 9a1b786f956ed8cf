"""Two regencies in one province deployment (issue 16): Ogan Komering Ilir (16.02) and Ogan
Komering Ulu (16.01). A user of OKU guessing the ids of OKI's records gets 404 on every API
operation and page that takes them; imports of OKI rows are refused; exports and the audit trail
hold only OKU's share. A province-level user sees both.

The walks are strict: every API path and every page that takes a parameter is exercised with an
OKI record, or exempted below with the reason; a new one fails the test until it is added."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from jamsos.audit.models import AuditEvent
from jamsos.audit.selectors import visible_to
from jamsos.registry.models import Person
from jamsos.santunan.models import GrantVersion
from tests.factories import PASSWORD, PEOPLE, TEBING_SULUH, import_rows, upload_and_run, user

pytestmark = pytest.mark.django_db

OKU = "16.01"
OKU_DESA = "16.01.07.2001"
OKU_ROW = f"1601071708850004;Ani Oku;P;17-08-1985;{OKU_DESA};d;Ketua RT"
RINA = "1602135708910004"
RINA_ROW = f"{RINA};Rina Wati;P;17-08-1991;{TEBING_SULUH};c;PKK"
SEP = dt.date(2025, 9, 1)
#: Words only OKI's records put on a page or in a file: its people, its places, its regency.
OKI_MARKERS = ("Budi Santoso", "Siti Aminah", "Ahmad Fauzi", "Rina Wati", "Anak Ahmad",
               "1602131708850001", "1602135708900002", "1602021708800003", RINA,
               "Tebing Suluh", "Komering Ilir", "op.oki")


@pytest.fixture
def two_regencies(settings):
    """OKI: Budi, Siti, Ahmad, Rina; a santunan case (Budi) approved and in a transfer batch,
    with its documents; an import uploaded by OKI's operator (Dewi; a row refused); a paid
    death claim (Ahmad) with a scholarship child (its heirs' follow-up is filed) and Rina's
    recorded death (an open follow-up); the September billing run with OKI's APBD invoice, a
    reconciliation of a BPJS bill naming OKI's people, its death-grant scheme (Perbup OKI
    17/2025), an OKI operator. OKU: Ani, billed with OKU's own settings in the same run; its
    own death-grant scheme."""
    from jamsos.claims import services as claims
    from jamsos.claims.models import FollowUp, FollowUpStatus
    from jamsos.dtsen.importing import import_extract
    from jamsos.premiums.models import Invoice
    from jamsos.premiums.services import reconcile, run_billing
    from jamsos.registry.services import record_death
    from jamsos.santunan import payments
    from jamsos.santunan.services import add_grant_version
    from tests.claims.helpers import paid_claim
    from tests.premiums.test_regency_settings import oku_settings
    from tests.santunan.conftest import KK, TODAY, advance, dtsen_csv, make_case

    settings.JAMSOS_AREA = "16"
    import_rows(*PEOPLE, RINA_ROW, OKU_ROW)
    oki_op = user("op.oki", "operator", "16.02")
    budi = Person.objects.get(nik="1602131708850001")
    ahmad = Person.objects.get(nik="1602021708800003")
    oku_settings()
    run = run_billing(SEP, kabupaten="16.02").run  # each regency bills its own month
    run_billing(SEP, kabupaten=OKU)
    invoice = Invoice.objects.get(run=run, area_code="16.02")
    rec = reconcile("\n".join([
        "NIK;KPJ;Nama;Segmen;Program;Iuran;Periode",
        "1602135708900002;;Siti Aminah;BPU;JKK,JKM;Rp 20.000;2025-09"]).encode(),
        "bpjs-2025-09.csv", period=SEP, kabupaten="16.02")
    claim = paid_claim(ahmad, "jkm", "death", dt.date(2025, 10, 5),
                       paid_on=dt.date(2025, 10, 25), amount=42_000_000, user=oki_op)
    child = claims.add_child(claim, name="Anak Ahmad", birth_date=dt.date(2015, 1, 1),
                             level="sd", user=oki_op)
    record_death(Person.objects.get(nik=RINA), died_on=dt.date(2025, 10, 1), source="test")
    follow_up = FollowUp.objects.get(person__nik=RINA, status=FollowUpStatus.OPEN)
    people = {"desa": user("kades", "kepala_desa", TEBING_SULUH),
              "camat": user("camat", "camat", "16.02.13"),
              "dinsos": user("dinsos", "verifikator", "16.02"),
              "dinsos2": user("dinsos2", "verifikator", "16.02")}
    import_extract(dtsen_csv(f"1602131708850001;{KK};3", f"1602135708900002;{KK};3"),
                   "dtsen.csv", valid_from=dt.date(2025, 1, 1), today=TODAY)
    case = advance(make_case(people), people, "approved")
    transfer = payments.create_batch(user=people["dinsos"], area_code="16.02")
    case.refresh_from_db()
    # OKU runs a death grant too: its users' santunan pages look OKI's ids up (not a blanket
    # 404 for a regency without a scheme).
    from tests.santunan.test_regency_schemes import OKU_VERSION
    add_grant_version(user=user("admin.oku", "admin", OKU), kabupaten_code=OKU,
                      data=OKU_VERSION)
    # OKI's operator's upload on the import page (one row refused: a rejected-rows file).
    uploader = Client()
    uploader.force_login(oki_op)
    batch = upload_and_run(uploader, f"1602135708920005;Dewi Lestari;P;17-08-1992;"
                                     f"{TEBING_SULUH};c;PKK", "1602131708990009;Salah;L")
    assert batch.area_id == "16.02" and batch.summary["rejected"] == 1
    return {"grant_version": GrantVersion.objects.get(kabupaten_code="16.02"),
            "person": budi, "enrolment": budi.enrolments.first(),
            "batch": batch, "claim": claim,
            "child": child, "case": case, "document": case.documents.first(),
            "desa": TEBING_SULUH, "invoice": invoice, "run": run, "reconciliation": rec,
            "transfer": transfer, "follow_up": follow_up, "oki_user": oki_op}


def snapshot() -> dict:
    """Every row of every table a request could change, bar the trail of the requests
    themselves (audit, sign-ins, tokens, sessions, jobs, heartbeats) and the counts a read may
    refresh."""
    skipped = {"auth.Permission", "contenttypes.ContentType", "sessions.Session",
               "django_tasks_database.DBTaskResult", "accounts.FailedLogin", "audit.AuditEvent",
               "audit.ChainHead", "api.ApiToken", "web.Heartbeat",
               # derived counts a read computes once and keeps (coverage trend, candidates,
               # premiums' monthly profile, its priced sums and the arrears)
               "coverage.CoverageCount", "coverage.TrendMonth", "coverage.TrendState",
               "coverage.CandidateCount", "coverage.CandidateCountState",
               "premiums.ProfileMonth", "premiums.BillableProfile", "premiums.ArrearsMonth",
               "premiums.ArrearsEntry", "premiums.PricedState", "premiums.PricedProfile"}
    out = {}
    for model in apps.get_models():
        if model._meta.label in skipped:
            continue
        rows = model.objects.order_by("pk").values()
        if model._meta.label == "auth.User":
            rows = rows.values("pk", "username", "password", "is_active")
        out[model._meta.label] = list(rows)
    return out


def changed(before: dict, after: dict) -> list[str]:
    return [label for label in before if before[label] != after[label]]


def text_of(response) -> str:
    """What a response says: its body, a streamed body, or the cells of an XLSX."""
    body = (b"".join(response.streaming_content) if getattr(response, "streaming", False)
            else response.content)
    if body[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(body)) as book:
            return " ".join(book.read(n).decode("utf-8", "replace") for n in book.namelist()
                            if n.endswith(".xml"))
    return body.decode("utf-8", "replace")


def leaks(response) -> list[str]:
    said = text_of(response)
    return [m for m in OKI_MARKERS if m in said]


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
        return SimpleUploadedFile("x.pdf", b"%PDF-1.4 x")
    if schema.get("format") == "date":
        return "2025-10-01"
    if schema.get("format") == "date-time":
        return "2025-10-01T10:00:00+07:00"
    if schema.get("pattern") == r"^\d{16}$":  # a NIK
        return "1602131708850001"
    return "x" * max(schema.get("minLength", 1), 1)


#: (path prefix, path parameter) → the fixture's OKI record whose id fills it; the longest
#: matching prefix wins (``batch_id`` names an import and a santunan transfer batch).
API_IDS = {
    ("/api/v1/people/", "person_id"): "person",
    ("/api/v1/people/", "enrolment_id"): "enrolment",
    ("/api/v1/premiums/people/", "person_id"): "person",
    ("/api/v1/targets/", "code"): "desa",
    ("/api/v1/imports/", "batch_id"): "batch",
    ("/api/v1/coverage/worklist/", "desa_code"): "desa",
    ("/api/v1/candidates/desa/", "desa_code"): "desa",
    ("/api/v1/santunan/cases/", "case_id"): "case",
    ("/api/v1/santunan/cases/", "doc_id"): "document",
    ("/api/v1/santunan/batches/", "batch_id"): "transfer",
    ("/api/v1/santunan/schemes/", "kabupaten_code"): "kabupaten",
    ("/api/v1/santunan/schemes/", "version_id"): "grant_version",
    ("/api/v1/premiums/invoices/", "invoice_id"): "invoice",
    ("/api/v1/premiums/runs/", "period"): "period",
    ("/api/v1/premiums/reconciliations/", "reconciliation_id"): "reconciliation",
    ("/api/v1/claims/follow-ups/", "follow_up_id"): "follow_up",
    ("/api/v1/claims/children/", "child_id"): "child",
    ("/api/v1/claims/", "claim_id"): "claim",
}
#: Paths with a parameter that names no regency's record.
API_EXEMPT = {
    "/api/v1/regions/{code}/children": "the public catalogue of region names and codes",
}
#: Paths naming what every regency has its own of (a month's run): an OKU user may get 200,
#: with its own and nothing of OKI's in it.
API_SHARED = {
    "/api/v1/premiums/runs/{period}/invoices":
        "a month: each regency gets its own run of it (OKI's and OKU's are billed here)",
}


def oki_value(oki: dict, key: str):
    special = {"kabupaten": "16.02", "desa": oki["desa"], "period": f"{SEP:%Y-%m}"}
    return special[key] if key in special else oki[key].pk


def api_value(path: str, name: str, oki: dict):
    """The OKI value for a path parameter, or None when no entry of API_IDS fills it."""
    keys = [(len(prefix), key) for (prefix, n), key in API_IDS.items()
            if n == name and path.startswith(prefix)]
    return oki_value(oki, max(keys)[1]) if keys else None


def api_operations(oki) -> tuple[list[tuple[str, str, str, dict, str]], list[str]]:
    """Every API operation that names an OKI record (method, url, content type, body, path),
    from the OpenAPI document; and the path parameters nothing fills (each must be added)."""
    from jamsos.api.api import api

    ops, unfilled = [], []
    doc = api.get_openapi_schema()
    components = doc.get("components", {}).get("schemas", {})
    for path, methods in doc["paths"].items():
        names = re.findall(r"{(\w+)}", path)
        if not names or path in API_EXEMPT:
            continue
        url = path
        for n in names:
            value = api_value(path, n, oki)
            if value is None:
                unfilled.append(f"{path} {{{n}}}")
            url = url.replace("{" + n + "}", str(value))
        for method, op in methods.items():
            content = op.get("requestBody", {}).get("content", {})
            kind = next(iter(content), "application/json")
            body = content.get(kind, {}).get("schema")
            ops.append((method, url, kind, example(body, components) if body else {}, path))
    return ops, unfilled


def bearer(client, username: str) -> dict:
    token = client.post("/api/v1/auth/token", {"username": username, "password": PASSWORD},
                        content_type="application/json").json()["token"]
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def call(client, method: str, url: str, kind: str, body: dict, auth: dict):
    if kind == "multipart/form-data":
        return getattr(client, method)(url, body, **auth)
    return getattr(client, method)(url, body, content_type=kind, **auth)


def test_every_api_path_parameter_is_filled_or_exempted(two_regencies):
    from jamsos.api.api import api

    ops, unfilled = api_operations(two_regencies)
    assert unfilled == []  # a new path parameter: add it to API_IDS or API_EXEMPT (why)
    paths = set(api.get_openapi_schema()["paths"])
    assert set(API_EXEMPT) | set(API_SHARED) <= paths  # no stale entry
    assert len(ops) >= 38
    # Each fill names the right kind of record (a transfer batch is not an import).
    urls = {o[4]: o[1] for o in ops}
    oki = two_regencies
    assert urls["/api/v1/santunan/batches/{batch_id}"].endswith(f"/{oki['transfer'].pk}")
    assert urls["/api/v1/imports/{batch_id}"].endswith(f"/{oki['batch'].pk}")
    assert urls["/api/v1/claims/follow-ups/{follow_up_id}/decline"] == \
        f"/api/v1/claims/follow-ups/{oki['follow_up'].pk}/decline"


#: OKU's users: the regency's roles, and a camat and a kepala desa of OKU.
OKU_USERS = [("admin", OKU), ("operator", OKU), ("bpjs", OKU), ("auditor", OKU),
             ("verifikator", OKU), ("pimpinan", OKU), ("camat", "16.01.07"),
             ("kepala_desa", OKU_DESA)]


@pytest.mark.parametrize(("role", "area"), OKU_USERS)
def test_every_api_operation_on_a_guessed_oki_id_answers_404_to_oku(client, two_regencies,
                                                                    role, area):
    user("oku", role, area)
    auth = bearer(client, "oku")
    ops, _unfilled = api_operations(two_regencies)
    before = snapshot()
    answers, leaked = {}, {}
    for method, url, kind, body, path in ops:
        reply = call(client, method, url, kind, body, auth)
        if path in API_SHARED and reply.status_code == 200:
            leaked[(method, url)] = leaks(reply)
            continue
        answers[(method, url)] = reply.status_code
    # admin has every permission: every refusal is a 404; others may be refused by role first.
    allowed = {404} if role == "admin" else {403, 404}
    assert {k: v for k, v in answers.items() if v not in allowed} == {}
    assert {k: v for k, v in leaked.items() if v} == {}
    assert changed(before, snapshot()) == []
    assert ("get", "/api/v1/santunan/schemes/16.02/versions") in answers


@pytest.mark.parametrize(("role", "area"), OKU_USERS)
def test_every_api_list_and_aggregate_holds_nothing_of_oki_for_oku(client, two_regencies,
                                                                   role, area):
    """Every API read without a path parameter (lists, reports, notifications, findings…)
    answers an OKU user without a word of OKI's records (or refuses the role)."""
    from jamsos.api.api import api

    user("oku", role, area)
    auth = bearer(client, "oku")
    paths = [p for p, methods in api.get_openapi_schema()["paths"].items()
             if "get" in methods and "{" not in p and p != "/api/v1/public/coverage"]
    assert len(paths) >= 18  # the public coverage names every regency by design
    answers = {}
    for path in paths:
        reply = client.get(path, **auth)
        answers[path] = leaks(reply) if reply.status_code == 200 else reply.status_code
    assert {p: a for p, a in answers.items() if a not in ([], 403, 404)} == {}


#: Query-string parameters and body fields that choose an area, with OKI's value.
AREA_FIELDS = {"area": "16.02", "kabupaten": "16.02", "kecamatan": "16.02.13",
               "desa": TEBING_SULUH, "desa_code": TEBING_SULUH}


def area_operations() -> list[tuple[str, str, str, dict, dict]]:
    """Every API operation without a path parameter whose query or body names an area
    (method, path, content type, query, body), filled with OKI's."""
    from jamsos.api.api import api

    doc = api.get_openapi_schema()
    components = doc.get("components", {}).get("schemas", {})
    ops = []
    for path, methods in doc["paths"].items():
        if "{" in path:
            continue
        for method, op in methods.items():
            query = {p["name"]: AREA_FIELDS[p["name"]] for p in op.get("parameters", [])
                     if p["in"] == "query" and p["name"] in AREA_FIELDS}
            content = op.get("requestBody", {}).get("content", {})
            kind = next(iter(content), "application/json")
            schema = content.get(kind, {}).get("schema")
            body = example(schema, components) if schema else {}
            if isinstance(body, dict):
                props = schema and (components[schema["$ref"].rsplit("/", 1)[1]]
                                    if "$ref" in schema else schema).get("properties", {})
                body.update({k: v for k, v in AREA_FIELDS.items() if k in (props or {})})
            named = set(query) | (set(body) & set(AREA_FIELDS) if isinstance(body, dict)
                                  else set())
            if named:
                ops.append((method, path, kind, query, body))
    return ops


@pytest.mark.parametrize("role", ["admin", "operator", "auditor", "pimpinan"])
def test_every_api_operation_choosing_oki_by_query_or_body_is_refused_to_oku(
        client, two_regencies, role):
    """``?area=16.02``, ``{"kabupaten": "16.02"}``, a case proposed in OKI's desa: refused
    (403/404/422), or — a list filtered by kecamatan or desa — holding nothing of OKI's."""
    user("oku", role, OKU)
    auth = bearer(client, "oku")
    ops = area_operations()
    assert {(m, p) for m, p, *_ in ops} >= {
        ("get", "/api/v1/coverage"), ("get", "/api/v1/premiums/budget"),
        ("get", "/api/v1/premiums/settings"), ("post", "/api/v1/premiums/settings"),
        ("put", "/api/v1/premiums/allocations"), ("get", "/api/v1/claims/report"),
        ("get", "/api/v1/santunan/sla-report"), ("get", "/api/v1/candidates"),
        ("post", "/api/v1/santunan/cases"), ("get", "/api/v1/people")}
    before = snapshot()
    answers = {}
    for method, path, kind, query, body in ops:
        url = path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")
        reply = call(client, method, url, kind, body, auth)
        answers[(method, path)] = reply.status_code
        if reply.status_code == 200:
            answers[(method, path)] = leaks(reply) or 200
    refused = {403, 404, 422}
    filtered = {("get", "/api/v1/people")}  # a filter outside the area: an empty list
    assert {k: v for k, v in answers.items() if v not in refused
            and not (k in filtered and v == 200)} == {}
    assert changed(before, snapshot()) == []


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


def parametrised_pages() -> dict[str, list[str]]:
    """Every page (outside the API) whose address takes a parameter: name → its parameters."""
    def walk(patterns, namespace=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.namespace == "api":
                    continue
                inner = f"{namespace}{p.namespace}:" if p.namespace else namespace
                yield from walk(p.url_patterns, inner)
            elif isinstance(p, URLPattern) and p.pattern.converters:
                yield f"{namespace}{p.name}", list(p.pattern.converters)

    return dict(walk(get_resolver().url_patterns))


#: Each parametrised page → its parameters filled with the fixture's OKI records.
PAGES = {
    "accounts:user_change": {"pk": "oki_user"},
    "accounts:user_reset_link": {"pk": "oki_user"},
    "claims:detail": {"pk": "claim"},
    "claims:follow_up": {"pk": "follow_up"},
    "claims:scholarship": {"pk": "child"},
    "coverage:candidate_worklist": {"desa_code": "desa"},
    "coverage:candidate_worklist_export": {"desa_code": "desa"},
    "coverage:worklist": {"desa_code": "desa"},
    "coverage:worklist_export": {"desa_code": "desa"},
    "premiums:adjust": {"pk": "invoice"},
    "premiums:invoice": {"pk": "invoice"},
    "premiums:invoice_export": {"pk": "invoice"},
    "premiums:pay": {"pk": "invoice"},
    "premiums:person": {"person_id": "person"},
    "premiums:reconciliation": {"pk": "reconciliation"},
    "premiums:reconciliation_export": {"pk": "reconciliation"},
    "premiums:run_detail": {"period": "period"},
    "premiums:run_export": {"period": "period"},
    "registry:import_detail": {"pk": "batch"},
    "registry:import_rejected": {"pk": "batch"},
    "registry:import_status": {"pk": "batch"},
    "registry:person": {"pk": "person"},
    "santunan:act": {"pk": "case"},
    "santunan:batch": {"pk": "transfer"},
    "santunan:batch_file": {"pk": "transfer"},
    "santunan:detail": {"pk": "case"},
    "santunan:document": {"pk": "case", "doc": "document"},
    "santunan:edit": {"pk": "case"},
    "santunan:upload": {"pk": "case"},
}
PAGES_EXEMPT = {
    "accounts:reset": "its parameter is a one-time secret, not a record's id; an unknown or "
                      "used secret is 404 to everyone (tests/accounts)",
}
#: A month's run (see API_SHARED): 200 with OKU's own run only.
PAGES_SHARED = {"premiums:run_detail", "premiums:run_export"}
#: Pages that only take a POST.
POST_ONLY = {"accounts:user_change", "accounts:user_reset_link", "premiums:adjust",
             "premiums:pay", "santunan:act", "santunan:upload"}


def post_bodies(oki: dict) -> dict[str, dict]:
    """For every page that writes, a body its own regency's writer would have accepted."""
    from tests.santunan.conftest import PDF, case_data

    return {
        "accounts:user_change": {"action": "deactivate"},
        "accounts:user_reset_link": {},
        "claims:detail": {"action": "difference", "note": "Selisih dibayar BPJS"},
        "claims:follow_up": {"reason": "Ahli waris tidak mau mengajukan"},
        "claims:scholarship": {"action": "end", "reason": "Pindah", "on": "2025-11-01"},
        "premiums:pay": {"amount": "1000", "paid_on": "2025-09-20", "reference": "SP2D-1"},
        "premiums:adjust": {"amount": "-100", "reason": "Salah hitung"},
        "santunan:act": {"action": "reject", "expected": oki["case"].status,
                         "reason": "Ditolak"},
        "santunan:edit": case_data(heir_name="Orang Lain"),
        "santunan:upload": {"kind": "sktm", "file": SimpleUploadedFile("sktm.pdf", PDF)},
        "santunan:batch": {"file": SimpleUploadedFile(
            "hasil.csv", f"Nomor;Status\n{oki['case'].pk};berhasil\n".encode())},
    }


def page_urls(oki: dict) -> dict[str, str]:
    return {name: reverse(name, kwargs={k: oki_value(oki, v) for k, v in kwargs.items()})
            for name, kwargs in PAGES.items()}


def test_every_parametrised_page_is_filled_or_exempted(two_regencies):
    found = parametrised_pages()
    # A new page taking a parameter: add it to PAGES (with its OKI record) or PAGES_EXEMPT.
    assert set(found) - set(PAGES) - set(PAGES_EXEMPT) == set()
    assert set(PAGES) | set(PAGES_EXEMPT) <= set(found)  # no stale entry
    assert {n: sorted(k) for n, k in PAGES.items()} == {n: sorted(found[n]) for n in PAGES}
    assert set(post_bodies(two_regencies)) >= POST_ONLY


@pytest.mark.parametrize(("role", "area"), OKU_USERS)
def test_every_page_and_export_of_an_oki_record_answers_404_to_oku(client, two_regencies,
                                                                   role, area):
    """GET every page (POST for those that only take one), and POST a body that OKI's own
    writer would have had accepted to every page that writes: 404 (403 for a role that may
    not open that kind of page at all), nothing changed; a month's run: 200 with
    nothing of OKI's."""
    user("oku", role, area)
    assert client.login(username="oku", password=PASSWORD)
    oki = two_regencies
    urls = page_urls(oki)
    bodies = post_bodies(oki)
    before = snapshot()
    answers, leaked = {}, {}
    for name, url in urls.items():
        tries = [("post", bodies[name])] if name in POST_ONLY else [("get", None)]
        if name in bodies and name not in POST_ONLY:
            tries.append(("post", bodies[name]))
        for method, body in tries:
            reply = client.post(url, body) if method == "post" else client.get(url)
            if name in PAGES_SHARED and reply.status_code == 200:
                leaked[name] = leaks(reply) + [oki["invoice"].number] * (
                    oki["invoice"].number in text_of(reply))
                continue
            answers[(method, name)] = reply.status_code
    assert {k: v for k, v in leaked.items() if v} == {}
    assert {k: s for k, s in answers.items() if s not in (403, 404)} == {}
    if role == "admin":
        assert {k: s for k, s in answers.items() if s != 404} == {}
    assert changed(before, snapshot()) == []
    listing = client.get(reverse("registry:people"))
    assert "Budi Santoso" not in text_of(listing)
    if role in ("admin", "operator", "auditor"):
        assert "Ani Oku" in text_of(listing)


def test_a_province_admin_opens_every_one_of_those_records(client, two_regencies):
    """The control: the ids filled in above are OKI's real records — the province's
    administrator gets each page and each API read (a 404 above is the area's doing)."""
    user("prov", "admin", "16")
    auth = bearer(client, "prov")
    ops, _unfilled = api_operations(two_regencies)
    api_answers = {url: call(client, m, url, kind, body, auth).status_code
                   for m, url, kind, body, _path in ops if m == "get"}
    assert {u: s for u, s in api_answers.items() if s != 200} == {}
    assert client.login(username="prov", password=PASSWORD)
    pages = {name: client.get(url) for name, url in page_urls(two_regencies).items()
             if name not in POST_ONLY}
    # Only the desa that proposed a case edits it, and only while it is a draft.
    assert {n: r.status_code for n, r in pages.items() if r.status_code != 200} == {
        "santunan:edit": 403}
    assert "Budi Santoso" in text_of(pages["registry:person"])
    assert two_regencies["invoice"].number in text_of(pages["premiums:run_detail"])


def unparametrised_pages() -> list[str]:
    found = []

    def walk(patterns, namespace=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.namespace != "api":
                    walk(p.url_patterns, f"{namespace}{p.namespace}:" if p.namespace
                         else namespace)
            elif not p.pattern.converters and p.name:
                found.append(f"{namespace}{p.name}")

    walk(get_resolver().url_patterns)
    return found


#: Pages whose area comes from the query string (``request.GET.get("wilayah")`` …): OKI's
#: area asked for by an OKU user is 404 (403 for a role without the page).
AREA_PAGES = {
    "coverage:dashboard": "wilayah", "coverage:export": "wilayah",
    "coverage:candidates": "wilayah", "registry:targets": "wilayah",
    "claims:report": "wilayah", "claims:report_xlsx": "wilayah", "claims:report_pdf": "wilayah",
    "santunan:rules": "kabupaten", "premiums:settings": "kabupaten",
}


def test_the_area_pages_are_the_views_reading_an_area_from_the_query_string():
    """A view reading ``wilayah``/``kabupaten``/``area`` from the query string must be listed
    in AREA_PAGES (claims' reports share ``_period``)."""
    import inspect

    readers = set()
    for name in unparametrised_pages():
        view = get_resolver().resolve(reverse(name)).func
        while hasattr(view, "__wrapped__"):
            view = view.__wrapped__
        try:
            source = inspect.getsource(view)
        except (OSError, TypeError):
            continue
        helpers = re.findall(r"\b(_\w+)\(request", source)
        module = inspect.getmodule(view)
        for h in helpers:
            if callable(getattr(module, h, None)):
                source += inspect.getsource(getattr(module, h))
        if re.search(r'GET\.get\("(wilayah|kabupaten|area)"\)', source):
            readers.add(name)
    assert readers == set(AREA_PAGES)


#: Pages not walked with OKI's area in the query string, and why.
PUBLIC_PAGES = {
    "accounts:logout": "signs the user out",
    "set_language": "Django's language switch",
    "registry:import_template": "a fixed template; its example rows use the test data's names",
    "web:public": "the public coverage page names every regency of the province by design",
}


@pytest.mark.parametrize("role", ["admin", "operator", "auditor", "pimpinan", "verifikator"])
def test_every_page_asked_for_oki_by_the_query_string_answers_404_to_oku(
        client, two_regencies, role):
    """The area pages refuse OKI's area, the province's too (GET, and POST where they write);
    every other page, given ``?wilayah=16.02&kabupaten=16.02&area=16.02``, shows nothing of
    OKI's."""
    user("oku", role, OKU)
    assert client.login(username="oku", password=PASSWORD)
    before = snapshot()
    answers, leaked = {}, {}
    for name, param in AREA_PAGES.items():
        for area in ("16.02", "16"):
            url = f"{reverse(name)}?{param}={area}"
            answers[("get", url)] = client.get(url).status_code
            answers[("post", url)] = client.post(url, {param: area, "form": "allocation",
                                                       "year": "2026", "amount": "1"}
                                                 ).status_code
    query = "?wilayah=16.02&kabupaten=16.02&area=16.02"
    for name in unparametrised_pages():
        if name in AREA_PAGES or name in PUBLIC_PAGES:
            continue
        reply = client.get(reverse(name) + query)
        if reply.status_code == 200:
            leaked[name] = leaks(reply)
    # A page that takes no POST answers 405 to one, whatever the area.
    assert {k: v for k, v in answers.items() if v not in (403, 404, 405)
            or (k[0] == "get" and v == 405)} == {}
    if role == "admin":
        assert {k: v for k, v in answers.items() if k[0] == "get" and v != 404} == {}
    assert {k: v for k, v in leaked.items() if v} == {}
    assert changed(before, snapshot()) == []


def test_an_oku_write_naming_an_oki_record_in_its_body_changes_nothing(client, two_regencies):
    """Not the address but the body names OKI: a claim for OKI's Budi, a correction of OKU's
    invoice for Budi's enrolment, Ani moved into an OKI desa, Budi enrolled from an OKU desa,
    a user created in OKI or an OKU user moved there, a claim opened on the page by Budi's NIK.
    All refused by OKU's administrator; nothing changes."""
    from jamsos.premiums.models import Invoice

    oki = two_regencies
    user("oku", "admin", OKU)
    oku_op = user("op.oku", "operator", OKU)
    ani = Person.objects.get(nik="1601071708850004")
    oku_invoice = Invoice.objects.get(area_code=OKU)
    auth = bearer(client, "oku")
    before = snapshot()
    api_writes = {
        ("post", "/api/v1/claims"): {"person_id": oki["person"].pk, "program": "jkm",
                                     "event": "death", "event_date": "2025-10-01"},
        ("post", f"/api/v1/premiums/invoices/{oku_invoice.pk}/adjustments"): {
            "amount": 100, "reason": "Terlambat didaftarkan",
            "enrolment_id": oki["enrolment"].pk},
        ("patch", f"/api/v1/people/{ani.pk}"): {"desa_code": TEBING_SULUH},
        ("post", f"/api/v1/candidates/desa/{OKU_DESA}/enrol"): {
            "niks": [oki["person"].nik], "funding_source": "APBD"},
    }
    answers = {k: call(client, k[0], k[1], "application/json", body, auth).status_code
               for k, body in api_writes.items()}
    assert {k: v for k, v in answers.items() if v not in (403, 404, 422)} == {}
    assert client.login(username="oku", password=PASSWORD)
    client.post(reverse("accounts:users"), {"username": "baru.oki", "role": "operator",
                                            "area": "16.02", "password": "Sandi-panjang-123",
                                            "email": ""})
    client.post(reverse("accounts:user_change", args=[oku_op.pk]),
                {"role": "operator", "area": "16.02"})
    client.post(reverse("claims:new"), {"person": oki["person"].nik, "event": "jkm:death",
                                        "event_date": "2025-10-01"})
    assert changed(before, snapshot()) == []


def test_oku_imports_through_the_api_refuse_oki_rows(client, two_regencies):
    """The worker import and the claims import of an OKU operator: OKI's NIKs are refused."""
    from jamsos.claims.models import Claim
    from jamsos.registry.models import ImportBatch
    from jamsos.registry.tasks import run_import
    from tests.claims.test_import import GOOD
    from tests.claims.test_import import HEADER as CLAIMS_HEADER

    claim_of_budi = GOOD[0]
    assert "1602131708850001" in claim_of_budi

    user("oku", "operator", OKU)
    auth = bearer(client, "oku")
    rows = f"{PEOPLE[0].replace('Budi Santoso', 'Budi Diganti')}\n{RINA_ROW}"
    reply = client.post("/api/v1/imports/workers", {"file": SimpleUploadedFile(
        "w.csv", f"NIK;Nama;Jenis Kelamin;Tanggal Lahir;Kode Desa;Kategori;Sub Kategori\n"
                 f"{rows}".encode())}, **auth)
    assert reply.status_code == 202
    run_import.call(reply.json()["id"])
    batch = ImportBatch.objects.get(pk=reply.json()["id"])
    assert batch.summary["rejected"] == 2 and batch.summary["created"] == 0
    assert Person.objects.get(pk=two_regencies["person"].pk).name == "Budi Santoso"
    claims_before = Claim.objects.count()
    reply = client.post("/api/v1/claims/imports", {"file": SimpleUploadedFile(
        "k.csv", "\n".join([CLAIMS_HEADER, claim_of_budi]).encode())}, **auth)
    assert reply.status_code in (200, 201, 422), reply.content
    assert [e["code"] for e in reply.json()["errors"]] == ["person_not_found"]
    assert Claim.objects.count() == claims_before


def oku_case():
    """A case proposed by an OKU kepala desa (Ani), with its death certificate."""
    from jamsos.santunan import services
    from tests.santunan.conftest import PDF, TODAY
    from tests.santunan.test_regency_schemes import oku_case_data

    kades = user("kades.oku", "kepala_desa", OKU_DESA)
    case = services.propose(user=kades, data=oku_case_data(), today=TODAY)
    services.upload_document(case, user=kades, kind="akta_kematian", filename="akta.pdf",
                             data=PDF)
    return case


def test_an_oku_parent_with_an_oki_child_id_answers_404(client, two_regencies):
    """Addresses with two ids: OKU's own record first, OKI's second (Ani's enrolment path
    ending Budi's enrolment, OKU's case opening OKI's document, OKU's scheme correcting OKI's
    version). Every API path and page with two parameters is listed here."""
    from jamsos.api.api import api

    oki = two_regencies
    ani = Person.objects.get(nik="1601071708850004")
    case = oku_case()
    user("oku", "admin", OKU)
    auth = bearer(client, "oku")
    doc = api.get_openapi_schema()
    components = doc["components"]["schemas"]
    mixed = {
        "/api/v1/people/{person_id}/enrolments/{enrolment_id}/end":
            f"/api/v1/people/{ani.pk}/enrolments/{oki['enrolment'].pk}/end",
        "/api/v1/santunan/cases/{case_id}/documents/{doc_id}":
            f"/api/v1/santunan/cases/{case.pk}/documents/{oki['document'].pk}",
        "/api/v1/santunan/schemes/{kabupaten_code}/versions/{version_id}":
            f"/api/v1/santunan/schemes/{OKU}/versions/{oki['grant_version'].pk}",
    }
    assert {p for p in doc["paths"] if len(re.findall(r"{(\w+)}", p)) > 1} == set(mixed)
    before = snapshot()
    answers = {}
    for path, url in mixed.items():
        for method, op in doc["paths"][path].items():
            content = op.get("requestBody", {}).get("content", {})
            kind = next(iter(content), "application/json")
            schema = content.get(kind, {}).get("schema")
            body = example(schema, components) if schema else {}
            answers[(method, url)] = call(client, method, url, kind, body, auth).status_code
    # The same calls on OKU's own child record do reach it (the control).
    own = client.get(f"/api/v1/santunan/cases/{case.pk}/documents/"
                     f"{case.documents.first().pk}", **auth)
    assert own.status_code == 200
    assert {k: v for k, v in answers.items() if v != 404} == {}
    assert changed(before, snapshot()) == []
    two_param_pages = {n for n, kw in parametrised_pages().items() if len(kw) > 1}
    assert two_param_pages == {"santunan:document"}
    assert client.login(username="oku", password=PASSWORD)
    page = reverse("santunan:document", args=[case.pk, oki["document"].pk])
    assert client.get(page).status_code == 404
    own_page = reverse("santunan:document", args=[case.pk, case.documents.first().pk])
    assert client.get(own_page).status_code == 200


@pytest.mark.parametrize("role", ["verifikator", "admin"])
def test_an_oku_dtsen_extract_cannot_replace_the_one_okis_cases_are_judged_on(
        client, two_regencies, role):
    """The DTSEN extract in force is one for the whole deployment (santunan's decile check,
    the candidates): an OKU upload would decide OKI's cases. In a province only the province's
    administrators and verifikators upload it; OKU's are refused (page, API, menu)."""
    from jamsos.dtsen.models import DtsenExtract
    from jamsos.santunan.services import dtsen_lookup
    from tests.santunan.conftest import dtsen_csv

    case = two_regencies["case"]
    in_force, decile, _by = dtsen_lookup(case)
    user("oku", role, OKU)
    auth = bearer(client, "oku")
    extract = dtsen_csv("1601071708850004;1601070101090001;9", "1602131708850001;"
                        "1602130101090001;9")
    reply = client.post("/api/v1/santunan/dtsen", {
        "valid_from": "2025-02-01", "file": SimpleUploadedFile("dtsen-oku.csv", extract)},
        **auth)
    assert reply.status_code == 403
    assert client.get("/api/v1/santunan/dtsen", **auth).status_code == 403
    assert client.login(username="oku", password=PASSWORD)
    page = client.post(reverse("santunan:dtsen"), {
        "valid_from": "2025-02-01", "file": SimpleUploadedFile("dtsen-oku.csv", extract)})
    assert page.status_code == 403
    assert DtsenExtract.objects.count() == 1
    assert dtsen_lookup(case)[:2] == (in_force, decile) and decile == 3
    menu = [i.url_name for i in client.get(reverse("web:home")).context["menu"]]
    assert "santunan:dtsen" not in menu
    # The province's verifikator uploads the province's extract.
    user("prov", "verifikator", "16")
    reply = client.post("/api/v1/santunan/dtsen", {
        "valid_from": "2025-02-01", "file": SimpleUploadedFile("dtsen-sumsel.csv", extract)},
        **bearer(client, "prov"))
    assert reply.status_code == 201


def test_only_the_province_keeps_the_exclusion_list_of_a_province(client, two_regencies):
    """The candidates' exclusion list is one list of NIKs for the whole deployment: in a
    province, a regency's upload would overwrite another regency's rows (an OKU upload replaced
    the row OKI's operator stored for the same NIK) and strike its candidates. Only the
    province's admin or operator keeps it there (as the DTSEN extract); OKI's and OKU's
    operators are refused, on the page too."""
    from jamsos.coverage.exclusions import import_exclusions
    from jamsos.coverage.models import Exclusion

    nik = "1602135708930006"  # a woman of Lempuing (OKI), an ASN per OKI's BKD
    report = import_exclusions(f"NIK;Alasan;Sumber\n{nik};ASN;BKD OKI".encode(),
                               "asn-oki.csv", user=user("op.sumsel", "operator", "16"))
    assert report.stored == 1
    for operator in (two_regencies["oki_user"], user("op.oku", "operator", OKU)):
        with pytest.raises(PermissionError):
            import_exclusions(f"NIK;Alasan;Sumber\n{nik};Terdaftar;BPJS OKU".encode(),
                              "oku.csv", user=operator)
    row = Exclusion.objects.get(nik=nik)
    assert (row.reason, row.source) == ("asn", "BKD OKI")
    assert client.login(username="op.oku", password=PASSWORD)
    assert client.get(reverse("coverage:exclusions")).status_code == 403
