"""Request-wide concerns of the web layer.

One log line per request, without personal data.

``GET /registri/orang/<int:pk>/ 200 12ms user=5`` on logger ``jamsos.request``: the method,
the URL pattern that answered (never the query string, never the path's values: a NIK or a
name can be in either; an unmatched path shows its first segment only), the status, the
duration and the user's id (not the username, which is often a person's name; ``-`` when
anonymous).
"""

from __future__ import annotations

import logging
import time

from django.shortcuts import render

from jamsos.core.files import StorageFull

log = logging.getLogger("jamsos.request")


def _route(request) -> str:
    match = getattr(request, "resolver_match", None)
    if match is not None and match.route:
        return "/" + match.route.removeprefix("^").removesuffix("$")
    first = request.path_info.lstrip("/").split("/", 1)
    if len(first) == 1 or not first[0]:
        return "/" if not first[0] else "/…"
    return f"/{first[0]}/…"


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.monotonic()
        status = 500
        try:
            response = self.get_response(request)
            status = response.status_code
            return response
        finally:
            user = getattr(request, "user", None)
            user_id = user.pk if user is not None and user.is_authenticated else "-"
            level = logging.WARNING if status >= 500 else logging.INFO
            log.log(level, "%s %s %d %dms user=%s", request.method, _route(request), status,
                    (time.monotonic() - started) * 1000, user_id)


class StorageFullMiddleware:
    """A full disk while keeping an upload: 507 with a page saying nothing was kept (the
    partial file is already gone), instead of a server error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, StorageFull):
            return None
        log.error("storage full on %s %s", request.method, request.path)
        return render(request, "storage_full.html", {"message": StorageFull.message},
                      status=507)
