"""The audit trail pages: an interface over :mod:`jamsos.audit` that checks who may see what
through :mod:`jamsos.accounts` (which records its own changes through the audit, a lower layer;
so the pages live here, in the interface layer)."""

import csv
import datetime as dt
import json

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render

from jamsos.accounts.selectors import area_code_of, can_see_personal_data, require
from jamsos.audit import labels
from jamsos.audit.selectors import search, verify_chain
from jamsos.audit.services import record
from jamsos.core.downloads import neutralise_row
from jamsos.core.masking import mask_changes


def _filters(request) -> dict:
    def day(name):
        try:
            return dt.date.fromisoformat(request.GET.get(name, ""))
        except ValueError:
            return None

    return {"q": request.GET.get("q", "").strip(),
            "object_type": request.GET.get("jenis", "").strip(),
            "actor": request.GET.get("pelaku", "").strip(),
            "date_from": day("dari"), "date_to": day("sampai"),
            "area_code": area_code_of(request.user)}


@login_required
@require("view_audit")
def trail(request):
    filters = _filters(request)
    page = Paginator(search(**filters), 100).get_page(request.GET.get("hal"))
    if not can_see_personal_data(request.user):
        for event in page:
            event.changes = mask_changes(event.changes)
    check = verify_chain() if request.GET.get("periksa") else None
    return render(request, "audit/trail.html",
                  {"page": page, "filters": filters, "check": check,
                   "object_types": sorted(((k, str(v)) for k, v in labels.OBJECTS.items()),
                                          key=lambda kv: kv[1]),
                   "query": request.GET.urlencode()})


class _Echo:
    def write(self, value):
        return value


@login_required
@require("view_audit")
def export_csv(request):
    filters = _filters(request)
    record(user=request.user, action="export", obj_type="audit_trail", obj_id="",
           changes={"filters": [None, {k: str(v) for k, v in filters.items()
                                        if v and k != "area_code"}]})
    writer = csv.writer(_Echo())
    header = ["id", "waktu", "pelaku", "alamat_ip", "tindakan", "jenis_objek", "id_objek",
              "sumber", "perubahan", "hash"]

    shown = (lambda c: c) if can_see_personal_data(request.user) else mask_changes

    def rows():
        yield writer.writerow(header)
        for e in search(**filters).iterator(chunk_size=2000):
            yield writer.writerow(neutralise_row([
                e.pk, e.at.isoformat(), e.actor_name, e.ip or "", e.action, e.object_type,
                e.object_id, e.source, json.dumps(shown(e.changes), ensure_ascii=False),
                e.hash]))

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="jejak-audit.csv"'
    return response
