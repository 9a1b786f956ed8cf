"""Every ``/api/`` error answers JSON ``{"detail": …}`` (the API's ``Error``), also those
that happen outside an API view: an unknown path, a database that cannot be reached while a
middleware reads the session, an uncaught exception anywhere. Django would answer them with
its HTML pages."""

from __future__ import annotations

import sys

from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import JsonResponse

#: Answer when the database cannot be reached (PostgreSQL restarting, network down).
DATABASE_UNAVAILABLE = "Basis data sedang tidak dapat dihubungi; coba lagi sebentar lagi."
MESSAGES = {
    400: "Permintaan tidak valid.",
    403: "Permintaan ditolak.",
    404: "Tidak ditemukan.",
    405: "Metode tidak diizinkan.",
    413: "Permintaan terlalu besar.",
    500: "Terjadi kesalahan sistem.",
    503: DATABASE_UNAVAILABLE,
}


def is_unavailable(exc: BaseException | None) -> bool:
    return isinstance(exc, OperationalError | InterfaceError)


def _remember_exception(sender, request=None, **kwargs):
    if request is not None:
        request.jamsos_exception = sys.exception()


got_request_exception.connect(_remember_exception, dispatch_uid="jamsos-api-json-errors")


class JsonErrorsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (not request.path_info.startswith("/api/") or response.status_code < 400
                or response.get("Content-Type", "").startswith("application/json")):
            return response
        status = response.status_code
        if status == 500 and is_unavailable(getattr(request, "jamsos_exception", None)):
            status = 503
        reply = JsonResponse({"detail": MESSAGES.get(status, response.reason_phrase)},
                             status=status)
        if status == 503:
            reply["Retry-After"] = "10"
        for header in ("Allow", "WWW-Authenticate"):
            if header in response:
                reply[header] = response[header]
        return reply
