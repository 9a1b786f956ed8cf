"""Schemathesis against the OpenAPI document: no server error and no schema violation."""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from jamsos.wsgi import application
from tests.factories import PASSWORD, PEOPLE, import_rows, user

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


@pytest.fixture
def bearer(oki_regions):
    """Registry data, a month's bill, a santunan case, a claim with a scholarship child, and an
    operator's token (the database is emptied between operations)."""
    import datetime as dt

    from django.test import Client

    from jamsos.claims.services import add_child, create_claim
    from jamsos.premiums.services import run_billing
    from jamsos.registry.models import Person
    from tests.factories import TEBING_SULUH
    from tests.santunan.conftest import make_case

    import_rows(*PEOPLE)
    op = user("api-op", "operator", "16.02")
    run_billing(dt.date(2025, 9, 1), user=op)
    make_case({"desa": user("api-kades", "kepala_desa", TEBING_SULUH)})
    claim = create_claim(person=Person.objects.get(nik="1602021708800003"), program="jkm",
                         event="death", event_date=dt.date(2025, 9, 10), user=op,
                         reported_on=dt.date(2025, 9, 12))
    add_child(claim, name="Anak Ahmad", birth_date=dt.date(2015, 1, 1), level="sd", user=op)
    reply = Client().post("/api/v1/auth/token", {"username": "api-op", "password": PASSWORD},
                          content_type="application/json")
    # Identity encoding: schemathesis reads the WSGI body as it comes and does not undo gzip
    # (the API compresses for clients that ask; tests/web/test_serve.py checks that).
    return {"Authorization": f"Bearer {reply.json()['token']}", "Accept-Encoding": "identity"}


#: Examples per operation (each of the 63 operations, on each database of ./dev test). Most of
#: the pass's time is spent in them: 30 took 3–4 minutes a database on two cores. Raise it for
#: a deeper run: JAMSOS_SCHEMATHESIS_EXAMPLES=100 ./dev test tests/api/test_schema.py
EXAMPLES = int(os.environ.get("JAMSOS_SCHEMATHESIS_EXAMPLES", "10"))


@pytest.mark.django_db(transaction=True)
@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
def test_every_operation_conforms(case, bearer):
    case.call_and_validate(headers=bearer, checks=CHECKS)


def test_schema_names_are_unique_across_the_api():
    """The OpenAPI document names each schema by its class name: two classes of one name in
    different routers would silently share one (wrong) description."""
    import importlib
    import inspect

    from ninja import Schema

    seen: dict[str, str] = {}
    clashes = []
    for module in ("jamsos.api.api", "jamsos.api.common", "jamsos.santunan.api",
                   "jamsos.premiums.api", "jamsos.claims.api", "jamsos.coverage.api"):
        for name, obj in vars(importlib.import_module(module)).items():
            if inspect.isclass(obj) and issubclass(obj, Schema) and obj.__module__ == module:
                if name in seen:
                    clashes.append(f"{name}: {seen[name]} and {module}")
                seen[name] = module
    assert not clashes
