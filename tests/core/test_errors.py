"""The one domain error (issue 12): codes, statuses, the apps' errors and the API handler."""

import json

import pytest
from django.test import RequestFactory

from jamsos.claims.services import ClaimError
from jamsos.core.errors import HTTP_STATUS, DomainError, ErrorCode
from jamsos.premiums.services import PremiumError
from jamsos.registry.services import RegistryError
from jamsos.santunan.services import CaseError, StaleState


def test_every_code_has_a_status():
    assert set(HTTP_STATUS) == set(ErrorCode)
    assert all(400 <= s < 500 for s in HTTP_STATUS.values())


@pytest.mark.parametrize("cls", [ClaimError, PremiumError, RegistryError, CaseError])
def test_app_errors_are_domain_errors(cls):
    exc = cls("nik", "NIK harus 16 angka.")
    assert isinstance(exc, DomainError) and isinstance(exc, ValueError)
    assert (exc.field, exc.message) == ("nik", "NIK harus 16 angka.")
    assert str(exc) == "NIK harus 16 angka."
    assert exc.code is ErrorCode.INVALID and exc.http_status == 422


def test_stale_state_is_a_conflict_of_versions():
    exc = StaleState("form", "Berkas sudah berubah.")
    assert exc.code is ErrorCode.STALE and exc.http_status == 409
    assert CaseError("form", "x", code=ErrorCode.STATE).code is ErrorCode.STATE


def test_unknown_code_is_refused():
    with pytest.raises(ValueError):
        DomainError("x", "y", code="no_such_code")


@pytest.mark.django_db
@pytest.mark.parametrize(("code", "status"), [(ErrorCode.INVALID, 422), (ErrorCode.STALE, 409),
                                              (ErrorCode.OUTSIDE_AREA, 403)])
def test_api_handler_answers_json_with_the_codes_status(code, status):
    from jamsos.api.api import domain_error

    request = RequestFactory().post("/api/v1/x")
    response = domain_error(request, RegistryError("desa_id", "Desa di luar wilayah Anda.",
                                                   code=code))
    assert response.status_code == status
    assert json.loads(response.content) == {
        "field": "desa_id", "code": code.value, "detail": "Desa di luar wilayah Anda.",
        "errors": [{"field": "desa_id", "detail": "Desa di luar wilayah Anda."}]}


def test_collected_errors_keep_every_field_in_order():
    exc = RegistryError.collected({"nik": "NIK harus 16 angka.", "name": "Nama wajib diisi."})
    assert (exc.field, exc.message, exc.code) == ("nik", "NIK harus 16 angka.", ErrorCode.INVALID)
    assert [e["field"] for e in exc.as_json()["errors"]] == ["nik", "name"]
