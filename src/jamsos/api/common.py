"""What every API module shares: error bodies, the caller's area, masking, lazy lists.

Kept apart from :mod:`jamsos.api.api` so that the apps' routers (``jamsos.<app>.api``) can
use it without importing the API object that mounts them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Annotated, Any

from ninja import Schema
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination
from pydantic import Field, Strict, StringConstraints

from jamsos.accounts.selectors import area_code_of, can_see_personal_data, has_perm, in_area
from jamsos.audit.services import record_list_view
from jamsos.core.importing.reader import SUFFIXES, UnreadableFile, refuse_upload
from jamsos.regions.models import Region
from jamsos.regions.nik import mask_nik
from jamsos.registry.selectors import capped_count

#: Free text from a client: no NUL characters (PostgreSQL cannot store them).
NO_NUL = r"^[^\x00]*$"
#: Largest rupiah amount a ``BigIntegerField`` holds.
MAX_RUPIAH = 9_223_372_036_854_775_807


def text(max_length: int) -> Any:
    return Annotated[str, StringConstraints(max_length=max_length, pattern=NO_NUL)]


#: A Kemendagri region code (``16.02.13.2005`` at most).
AreaCode = text(13)
#: Rupiah as a JSON integer only: a string such as "1.000" (Indonesian for a thousand) would
#: otherwise be read as 1, and 1000.5 is not an amount of rupiah.
Rupiah = Annotated[int, Strict(), Field(ge=-MAX_RUPIAH, le=MAX_RUPIAH)]
Month = Annotated[str, StringConstraints(pattern=r"^[1-9]\d{3}-(0[1-9]|1[0-2])$")]


class Error(Schema):
    detail: str


class FieldIssue(Schema):
    field: str
    detail: str


class FieldError(Schema):
    field: str
    detail: str


class FieldErrors(FieldError):
    """A refusal naming every field at fault (``field``/``detail``: the first of them)."""

    errors: list[FieldIssue] = Field(default=[], description=(
        "Setiap kolom yang ditolak, sama seperti daftar kesalahan di formulir web"))


def field_errors(exc, rename: dict[str, str] | None = None) -> dict:
    """A service's :class:`~jamsos.core.errors.DomainError` as a :class:`FieldErrors` body
    (``rename``: the API's names for the service's fields)."""
    rename = rename or {}
    return {"field": rename.get(exc.field, exc.field), "detail": exc.message,
            "errors": [{"field": rename.get(f, f), "detail": m} for f, m in exc.errors.items()]}


class RowIssue(Schema):
    """One refused (or warned) row of an uploaded file, as every import reports it."""

    row: int = Field(description="Baris di berkas, seperti di lembar kerja (baris judul = 1)")
    column: str
    code: str
    message: str


def area_of(request) -> str:
    """The caller's area (403 for a user without a role and area)."""
    area = area_code_of(request.user)
    if area is None:
        raise HttpError(403, "Pengguna belum diberi peran dan wilayah kerja.")
    return area


def people_area(request) -> str:
    """The caller's area, for calls that list or show named people (403 for pimpinan)."""
    if not has_perm(request.user, "view_people"):
        raise HttpError(403, "Peran ini hanya melihat data agregat.")
    return area_of(request)


def report_area(request, code: str | None) -> str | None:
    """``code`` (default: the caller's area) if the caller may see it and it exists, else
    None (answered 404)."""
    area = code or area_of(request)
    if not in_area(request.user, area) or not Region.objects.filter(code=area).exists():
        return None
    return area


def shows_personal_data(request) -> bool:
    return can_see_personal_data(request.user)


def nik(request, value: str | None) -> str:
    value = value or ""
    return value if shows_personal_data(request) else mask_nik(value)


def month_start(value: str) -> dt.date:
    return dt.datetime.strptime(value, "%Y-%m").date()


def is_kabupaten(area: str) -> bool:
    from jamsos.regions.selectors import deployment_area

    return area == deployment_area()


_FAR = 10**12


class Mapped(Sequence):
    """A sequence over a queryset (or list) that converts only the slice asked for, so that
    ``paginate`` counts in the database and builds only one page of output."""

    def __init__(self, source, convert: Callable[[Any], dict],
                 on_page: Callable[[int], Any] | None = None):
        self.source = source
        self.convert = convert
        self.on_page = on_page  # told the size of each page built (e.g. to audit the view)

    def __len__(self) -> int:
        count = getattr(self.source, "count", None)
        if callable(count) and not isinstance(self.source, list):
            return count()
        return len(self.source)

    def __getitem__(self, index):
        if isinstance(index, slice):
            start, stop = index.start or 0, index.stop
            if start >= _FAR:  # the database cannot take an offset this large
                return []
            stop = None if stop is None else min(stop, _FAR)
            page = [self.convert(x) for x in self.source[start:stop]]
            if self.on_page is not None:
                self.on_page(len(page))
            return page
        return self.convert(self.source[index])


def list_audit(request, kind: str, filters: dict):
    """``Mapped.on_page`` for a list of named people: each page shown unmasked is audited
    (one event per page: the list, its filters and the row count)."""
    if not can_see_personal_data(request.user):
        return None
    params = {**filters, "offset": request.GET.get("offset", ""),
              "limit": request.GET.get("limit", "")}
    return lambda n: record_list_view(user=request.user, kind=kind, filters=params, count=n)


class CappedPagination(LimitOffsetPagination):
    """Limit/offset paging whose ``count`` stops at a cap (never ``COUNT(*)`` over millions):
    ``count_exact`` false means "at least ``count``"; offsets reach past the cap."""

    class Output(Schema):
        items: list[Any]
        count: int = Field(description="Jumlah, dihitung sampai batas (10.000)")
        count_exact: bool = Field(description="false: lebih dari `count`")

    def paginate_queryset(self, queryset, pagination, request, **params):
        offset, limit = pagination.offset, min(pagination.limit, self.max_limit)
        source = queryset.source if isinstance(queryset, Mapped) else queryset
        count, exact = capped_count(source)
        return {"items": queryset[offset:offset + limit], "count": count,
                "count_exact": exact}


def check_upload(file, *, suffixes: frozenset[str] | None = SUFFIXES,
                 limit: int | None = None) -> None:
    """Refuse an upload before it is read into memory (the import kit's
    :func:`~jamsos.core.importing.reader.refuse_upload`, the pages' wording) as a refusal of
    ``file`` (422, through the API's one error handler)."""
    if (why := refuse_upload(file, suffixes=suffixes, limit=limit)) is not None:
        raise UnreadableFile(why)
