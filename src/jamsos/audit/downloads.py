"""File downloads, each recorded in the audit trail as an export by the requesting user (the
cell-level safety of the files themselves is :mod:`jamsos.core.downloads`)."""

from __future__ import annotations

from django.http import HttpResponse

from jamsos.audit.services import record
from jamsos.core.downloads import CONTENT_TYPES


def export(request, data: bytes, filename: str, *, obj_type: str, obj_id="",
           changes: dict | None = None) -> HttpResponse:
    """An attachment response for ``data``, audited as an export by the requesting user."""
    record(user=request.user, action="export", obj_type=obj_type, obj_id=obj_id,
           changes={"file": [None, filename], **(changes or {})})
    response = HttpResponse(data, content_type=CONTENT_TYPES[filename.rsplit(".", 1)[-1]])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
