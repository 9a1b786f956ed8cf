"""Errors of the machine (not of the user's input) answered in plain words."""

from __future__ import annotations

import logging

from django.shortcuts import render

from jamsos.core.files import StorageFull

logger = logging.getLogger(__name__)


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
        logger.error("storage full on %s %s", request.method, request.path)
        return render(request, "storage_full.html", {"message": StorageFull.message},
                      status=507)
