"""REST API ``/api/v1/`` (OpenAPI at ``/api/v1/openapi.json``, interactive docs at
``/api/v1/docs``). Every call is limited to the caller's area, exactly like the web pages.
"""

import datetime as dt
import logging
from typing import Literal

from django.db import Error as DatabaseError
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, File, Form, NinjaAPI, Query, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from jamsos.accounts.selectors import (
    can_edit_registry,
    can_see_personal_data,
    has_perm,
    in_area,
)
from jamsos.accounts.throttle import window_minutes
from jamsos.api.auth import BearerToken, Throttled, issue_token, revoke_tokens
from jamsos.api.common import (
    AreaCode,
    CappedPagination,
    Error,
    FieldError,
    Mapped,
    area_of,
    check_upload,
    list_audit,
    people_area,
    text,
)
from jamsos.audit.services import record as audit_record
from jamsos.claims.api import router as claims
from jamsos.core.errors import DomainError, ErrorCode
from jamsos.core.files import StorageFull
from jamsos.coverage.api import router as candidates
from jamsos.coverage.selectors import coverage_report, not_yet_covered
from jamsos.premiums.api import router as premiums
from jamsos.regions.models import Region
from jamsos.regions.nik import mask_nik
from jamsos.regions.selectors import VILLAGE_LEVELS, deployment_area, subtree_q
from jamsos.registry import categories
from jamsos.registry.models import ImportBatch, Person, Target
from jamsos.registry.selectors import (
    PeopleFilter,
    double_enrolments,
    import_batches_for,
    import_progress,
    list_people,
    people_in,
)
from jamsos.registry.services import (
    RegistryError,
    end_enrolment,
    set_target,
    update_person,
)
from jamsos.registry.tasks import queue_import
from jamsos.rules import InputError, MissingParameterError
from jamsos.santunan.api import router as santunan

logger = logging.getLogger("jamsos.api")

VALIDATION_ERROR = {
    "title": "ValidationError",
    "type": "object",
    "properties": {"detail": {"type": "array", "items": {"type": "object"}}},
    "required": ["detail"],
}


class JamsosAPI(NinjaAPI):
    """Documents what every operation may answer besides its own responses.

    Malformed requests are answered 422 (or 400 when the body cannot be parsed) by the
    framework, and calls without a valid token 401; these are added to every operation's
    documented responses so that the OpenAPI document tells the whole truth (checked by
    schemathesis).
    """

    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components["ValidationError"] = VALIDATION_ERROR
        validation = {"$ref": "#/components/schemas/ValidationError"}
        for operations in schema["paths"].values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for code in [c for c in responses if not isinstance(c, str)]:
                    responses[str(code)] = responses.pop(code)
                own = responses.get("422")
                if own is None:
                    responses["422"] = {"description": "Permintaan tidak valid",
                                        "content": {"application/json": {"schema": validation}}}
                else:
                    content = own["content"]["application/json"]
                    content["schema"] = {"anyOf": [content["schema"], validation]}
                if "requestBody" in operation and "400" not in responses:
                    responses["400"] = {"description": "Isi permintaan tidak dapat dibaca"}
                if operation.get("security") and "401" not in responses:
                    responses["401"] = {"description": "Token tidak ada atau tidak berlaku"}
                responses.setdefault("503", {
                    "description": "Basis data sedang tidak dapat dihubungi (coba lagi)",
                    "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/Error"}}}})
        return schema


api = JamsosAPI(
    title="jamsos API",
    version="1",
    description="Registri pekerja dan cakupan BPJS Ketenagakerjaan. Setiap panggilan dibatasi "
                "pada wilayah kerja pengguna. Autentikasi: `POST /api/v1/auth/token`, lalu "
                "header `Authorization: Bearer <token>`.",
    auth=BearerToken(),
    urls_namespace="api",
)


#: Client text: no NUL characters (PostgreSQL refuses them; answered 422, never 500).
Short = text(150)
Long = text(4096)


class TokenIn(Schema):
    username: Short
    password: Long


class TokenOut(Schema):
    token: str


@api.post("/auth/token", auth=None, response={200: TokenOut, 401: Error, 429: Error},
          tags=["auth"], summary="Tukar nama pengguna dan kata sandi dengan token")
def token(request, body: TokenIn):
    try:
        value = issue_token(request, body.username, body.password)
    except Throttled:
        return Status(429, {"detail": "Terlalu banyak percobaan gagal; coba lagi dalam "
                                      f"{window_minutes()} menit, atau minta administrator "
                                      "membuka kuncinya."})
    if value is None:
        return Status(401, {"detail": "Nama pengguna atau kata sandi salah."})
    return Status(200, {"token": value})


@api.delete("/auth/token", response={204: None}, tags=["auth"],
            summary="Cabut token yang dipakai untuk panggilan ini")
def revoke_token(request):
    revoke_tokens(request.user, token_id=request.api_token_id, reason="api")
    return Status(204, None)


@api.delete("/auth/tokens", response={204: None}, tags=["auth"],
            summary="Cabut semua token API milik pengguna ini")
def revoke_all_tokens(request):
    revoke_tokens(request.user, reason="api")
    return Status(204, None)


@api.exception_handler(DatabaseError)
def database_error(request, exc):
    """A database that cannot be reached answers 503 (JSON, with Retry-After), any other
    database error 500 (JSON) — never Django's HTML page."""
    from jamsos.api.middleware import DATABASE_UNAVAILABLE, is_unavailable

    if not is_unavailable(exc):
        return unexpected_error(request, exc)
    logger.warning("api: database unavailable (%s) on %s %s", type(exc).__name__,
                   request.method, request.path)
    response = api.create_response(request, {"detail": DATABASE_UNAVAILABLE}, status=503)
    response["Retry-After"] = "10"
    return response


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    """A request a service refused: the status from its code, the field, the message."""
    return api.create_response(request, exc.as_json(), status=exc.http_status)


@api.exception_handler(InputError)
def input_error(request, exc: InputError):
    """Facts the regulation engine cannot evaluate: 422 naming the fact at fault."""
    return domain_error(request, DomainError(f"facts.{exc.option}", str(exc)))


@api.exception_handler(MissingParameterError)
def missing_parameter(request, exc: MissingParameterError):
    """No regulation figure in force on the date asked: 422, refused, never guessed."""
    return domain_error(request, DomainError("form", str(exc), code=ErrorCode.NO_RULE))


@api.exception_handler(StorageFull)
def storage_full(request, exc):
    """A full disk: 507 with a plain message; the partial file was removed."""
    logger.error("api: storage full on %s %s", request.method, request.path)
    return api.create_response(request, {"detail": StorageFull.message}, status=507)


@api.exception_handler(Exception)
def unexpected_error(request, exc):
    from jamsos.api.middleware import MESSAGES

    logger.error("api: %s on %s %s", type(exc).__name__, request.method, request.path,
                 exc_info=exc)
    return api.create_response(request, {"detail": MESSAGES[500]}, status=500)


# ---- regions --------------------------------------------------------------------------

class RegionOut(Schema):
    code: str
    level: str
    name: str
    parent_code: str | None


def _region(r: Region) -> dict:
    return {"code": r.code, "level": r.level, "name": r.name, "parent_code": r.parent_id}


@api.get("/regions/{code}/children", response={200: list[RegionOut], 404: Error},
         tags=["regions"], auth=None, summary="Wilayah di bawah satu kode Kemendagri")
def region_children(request, code: Short):
    region = get_object_or_404(Region, code=code)
    return [_region(r) for r in Region.objects.filter(parent=region).order_by("code")]


# ---- people ---------------------------------------------------------------------------

class PersonOut(Schema):
    id: int
    nik: str
    name: str
    sex: Literal["L", "P"]
    birth_date: dt.date
    desa_code: str
    phone: str
    kpj: str | None
    died_on: dt.date | None


class EnrolmentOut(Schema):
    id: int
    category: str
    subcategory: str
    occupation: str
    desa_code: str
    segment: str
    programs: list[str]
    wage: int | None
    funding_source: str
    start_date: dt.date
    end_date: dt.date | None
    status: str
    insured: bool


class PersonPatch(Schema):
    nik: Short | None = None
    name: Short | None = None
    sex: Literal["L", "P"] | None = None
    birth_date: dt.date | None = None
    desa_code: Short | None = None
    phone: Short | None = None
    kpj: Short | None = None


class PersonUpdated(Schema):
    person: PersonOut
    warnings: list[str]


_people_area = people_area
_area = area_of


def _person_out(request, p: Person) -> dict:
    show = can_see_personal_data(request.user)
    return {"id": p.pk, "nik": p.nik if show else mask_nik(p.nik), "name": p.name,
            "sex": p.sex, "birth_date": p.birth_date, "desa_code": p.desa_id,
            "phone": p.phone if show else "", "kpj": p.kpj if show else None,
            "died_on": p.died_on}


class PeopleQuery(Schema):
    q: Short = Field("", description="Bagian nama (tanpa beda huruf besar/kecil), awal NIK "
                                     "(angka saja) atau KPJ")
    kecamatan: AreaCode = Field("", description="Kode kecamatan di wilayah pengguna")
    desa: AreaCode = Field("", description="Kode desa di wilayah pengguna")
    category: Literal["", *categories.BY_KEY] = ""  # type: ignore[valid-type]
    status: Literal["", "dijamin", "belum", "berakhir"] = Field(
        "", description="dijamin: ada peran yang berlaku hari ini; belum: tidak ada; "
                        "berakhir: ada peran di wilayah ini yang sudah berakhir")
    funding_source: Literal["", *categories.FUNDING_SOURCES] = ""  # type: ignore[valid-type]
    sort: Literal["nama", "-nama", "nik", "-nik"] = "nama"


@api.get("/people", response={200: list[PersonOut], 403: Error}, tags=["registry"],
         summary="Cari dan saring pekerja di wilayah pengguna (jumlah dihitung sampai 10.000)")
@paginate(CappedPagination)
def people(request, filters: Query[PeopleQuery]):
    f = PeopleFilter(q=filters.q, kecamatan=filters.kecamatan, desa=filters.desa,
                     category=filters.category, status=filters.status,
                     funding=filters.funding_source, sort=filters.sort)
    return Mapped(list_people(_people_area(request), f), lambda p: _person_out(request, p),
                  on_page=list_audit(request, "person_list", f.params()))


def _visible_person(request, person_id: int) -> Person:
    try:
        return people_in(_people_area(request)).get(pk=person_id)
    except Person.DoesNotExist as exc:
        raise Http404 from exc


@api.get("/people/{person_id}", response={200: PersonOut, 403: Error, 404: Error},
         tags=["registry"])
def person(request, person_id: int):
    p = _visible_person(request, person_id)
    if can_see_personal_data(request.user):
        audit_record(user=request.user, action="view_personal", obj_type="person", obj_id=p.pk,
                     changes={})
    return Status(200, _person_out(request, p))


@api.patch("/people/{person_id}", response={200: PersonUpdated, 403: Error, 404: Error,
                                             422: FieldError}, tags=["registry"],
           summary="Ubah data pekerja (koreksi NIK tetap menjaga semua tautan)")
def person_update(request, person_id: int, body: PersonPatch):
    if not can_edit_registry(request.user):
        return Status(403, {"detail": "Peran ini tidak boleh mengubah registri."})
    p = _visible_person(request, person_id)
    changes = body.dict(exclude_unset=True)
    if "desa_code" in changes:
        changes["desa_id"] = changes.pop("desa_code")
        if changes["desa_id"] and not in_area(request.user, changes["desa_id"]):
            return Status(422, {"field": "desa_code",
                                "detail": "Desa di luar wilayah kerja Anda."})
    changes = {k: v for k, v in changes.items() if v is not None}
    try:
        warnings = update_person(p, user=request.user, **changes)
    except RegistryError as exc:
        field = "desa_code" if exc.field == "desa_id" else exc.field
        return Status(422, {"field": field, "detail": exc.message})
    p.refresh_from_db()
    return Status(200, {"person": _person_out(request, p), "warnings": warnings})


@api.get("/people/{person_id}/enrolments",
         response={200: list[EnrolmentOut], 403: Error, 404: Error},
         tags=["registry"])
def person_enrolments(request, person_id: int):
    p = _visible_person(request, person_id)
    return Status(200, [
        {"id": e.pk, "category": e.category, "subcategory": e.subcategory,
         "occupation": e.occupation, "desa_code": e.desa_id, "segment": e.segment,
         "programs": [prog for prog in categories.PROGRAMS if getattr(e, prog)],
         "wage": e.wage, "funding_source": e.funding_source, "start_date": e.start_date,
         "end_date": e.end_date, "status": e.status, "insured": e.is_primary}
        for e in p.enrolments.order_by("id")
    ])


class EnrolmentEndIn(Schema):
    end_date: dt.date
    reason: text(300) = Field(description="Alasan (pindah, berhenti, meninggal, …); wajib")


@api.post("/people/{person_id}/enrolments/{enrolment_id}/end",
          response={200: list[EnrolmentOut], 403: Error, 404: Error, 422: FieldError},
          tags=["registry"],
          summary="Akhiri satu peran (kepesertaan) seseorang; peran lainnya tetap")
def enrolment_end(request, person_id: int, enrolment_id: int, body: EnrolmentEndIn):
    p = _visible_person(request, person_id)
    enrolment = p.enrolments.filter(subtree_q(_area(request), "desa__code"),
                                    pk=enrolment_id).first()
    if enrolment is None:
        raise Http404
    if not can_edit_registry(request.user):
        return Status(403, {"detail": "Peran ini tidak boleh mengubah registri."})
    end_enrolment(enrolment, end_date=body.end_date, reason=body.reason, user=request.user)
    return person_enrolments(request, person_id)


# ---- targets ------------------------------------------------------------------------------

CategoryName = Literal["non_asn", "perangkat_desa", "kelembagaan_desa", "rt_rw",
                       "pekerja_rentan"]


class TargetOut(Schema):
    category: CategoryName
    label: str
    headcount: int | None = Field(description="Target yang ditetapkan untuk wilayah ini; null: "
                                              "tidak ditetapkan (cakupan memakai jumlah target "
                                              "wilayah di bawahnya)")


class TargetsOut(Schema):
    area: str
    name: str
    targets: list[TargetOut]


class TargetIn(Schema):
    category: CategoryName
    headcount: int = Field(ge=0, le=100_000_000, strict=True)


def _targets_out(region: Region) -> dict:
    set_ = dict(Target.objects.filter(region=region).values_list("category", "headcount"))
    return {"area": region.code, "name": region.name,
            "targets": [{"category": c.key, "label": str(c.label),
                         "headcount": set_.get(c.key)} for c in categories.CATEGORIES]}


def _target_region(request, code: str) -> Region:
    if not in_area(request.user, code):
        raise Http404
    return get_object_or_404(Region, code=code)


@api.get("/targets/{code}", response={200: TargetsOut, 403: Error, 404: Error},
         tags=["coverage"], summary="Target kepesertaan per kategori satu wilayah")
def targets(request, code: Short):
    _area(request)
    return Status(200, _targets_out(_target_region(request, code)))


@api.put("/targets/{code}", response={200: TargetsOut, 403: Error, 404: Error},
         tags=["coverage"],
         summary="Tetapkan target satu wilayah (kategori yang dikirim saja; tercatat di audit)")
def targets_set(request, code: Short, body: list[TargetIn]):
    _area(request)
    region = _target_region(request, code)
    if not has_perm(request.user, "edit_targets"):
        return Status(403, {"detail": "Peran ini tidak boleh mengubah target."})
    current = _targets_out(region)["targets"]
    before = {t["category"]: t["headcount"] for t in current}
    for item in body:
        if before.get(item.category) != item.headcount:
            set_target(region_code=region.code, category=item.category,
                       headcount=item.headcount, user=request.user)
    return Status(200, _targets_out(region))


class DoubleOut(Schema):
    person_id: int
    name: str
    categories: list[str]
    insured_category: str | None


@api.get("/findings/double-enrolments", response={200: list[DoubleOut], 403: Error},
         tags=["registry"],
         summary="Orang dengan lebih dari satu peran aktif (dijamin sekali)")
@paginate(CappedPagination)
def doubles(request):
    """One page built from the database (a province has tens of thousands of findings)."""
    def out(p: Person) -> dict:
        live = [e for e in p.enrolments.all() if e.status == "active" and e.end_date is None]
        insured = next((e.category for e in live if e.is_primary), None)
        return {"person_id": p.pk, "name": p.name,
                "categories": [e.category for e in live], "insured_category": insured}

    return Mapped(double_enrolments(_people_area(request)), out)


# ---- imports --------------------------------------------------------------------------

class ImportOut(Schema):
    id: int
    filename: str
    status: str
    progress: int
    dry_run: bool
    rows: int | None = None
    created: int | None = None
    updated: int | None = None
    rejected: int | None = None
    warnings: int | None = None
    error: str | None = None


def _import_out(b: ImportBatch) -> dict:
    s = b.summary or {}
    return {"id": b.pk, "filename": b.filename, "status": b.status,
            "progress": import_progress(b)[0],
            "dry_run": b.dry_run, "rows": s.get("rows"), "created": s.get("created"),
            "updated": s.get("updated"), "rejected": s.get("rejected"),
            "warnings": s.get("warnings"), "error": s.get("error")}


@api.post("/imports/workers", response={202: ImportOut, 403: Error, 422: Error},
          tags=["imports"], summary="Unggah berkas pekerja (CSV/XLSX); diproses di latar")
def import_workers(request, file: File[UploadedFile], dry_run: bool = False,
                   dry_run_form: bool | None = Form(
                       None, alias="dry_run",
                       description="Uji coba (juga diterima sebagai parameter kueri)")):
    # A dry run asked for in the form or in the query string is a dry run: never write then.
    dry_run = dry_run or bool(dry_run_form)
    if not can_edit_registry(request.user):
        return Status(403, {"detail": "Peran ini tidak boleh mengimpor."})
    check_upload(file)
    return Status(202, _import_out(queue_import(file, user=request.user, dry_run=dry_run)))


@api.get("/imports/{batch_id}", response={200: ImportOut, 403: Error, 404: Error},
         tags=["imports"])
def import_status(request, batch_id: int):
    visible = import_batches_for(request.user, _area(request))
    return Status(200, _import_out(get_object_or_404(visible, pk=batch_id)))


# ---- coverage -------------------------------------------------------------------------

class CoverageRowOut(Schema):
    code: str
    name: str
    target: int
    covered: int
    percent: float | None


class CoverageQuery(Schema):
    by: Literal["category", "kabupaten", "kecamatan", "desa"] = "category"
    area: Short | None = None
    category: Literal["non_asn", "perangkat_desa", "kelembagaan_desa", "rt_rw",
                      "pekerja_rentan"] | None = None


@api.get("/coverage", response={200: list[CoverageRowOut], 403: Error, 404: Error},
         tags=["coverage"],
         summary="Cakupan terhadap target, per kategori, kabupaten/kota (tertinggi dulu), "
                 "kecamatan atau desa")
def coverage(request, query: Query[CoverageQuery]):
    area = query.area or _area(request)
    if not in_area(request.user, area) or not Region.objects.filter(code=area).exists():
        return Status(404, {"detail": "Wilayah tidak ditemukan."})
    return Status(200, [r.as_json() for r in coverage_report(query.by, area, query.category)])


class WorklistPersonOut(Schema):
    person_id: int
    nik: str
    name: str
    category: str
    status: str
    start_date: dt.date
    end_date: dt.date | None


class WorklistOut(Schema):
    desa_code: str
    desa_name: str
    gaps: list[CoverageRowOut] = Field(description="Kategori yang masih di bawah target")
    people: list[WorklistPersonOut] = Field(description="Terdaftar di desa ini tetapi tidak "
                                                        "terlindungi hari ini (paling banyak "
                                                        "2000)")


@api.get("/coverage/worklist/{desa_code}",
         response={200: WorklistOut, 403: Error, 404: Error}, tags=["coverage"],
         summary="Daftar kerja satu desa: kategori di bawah target dan orang yang belum "
                 "terlindungi")
def coverage_worklist(request, desa_code: Short):
    _people_area(request)
    region = Region.objects.filter(code=desa_code, level__in=VILLAGE_LEVELS).first()
    if region is None or not in_area(request.user, region.code):
        raise Http404
    gaps, people = not_yet_covered(region.code)
    show = can_see_personal_data(request.user)
    return Status(200, {
        "desa_code": region.code, "desa_name": region.name,
        "gaps": [g.as_json() for g in gaps],
        "people": [{"person_id": p["id"], "nik": p["nik"] if show else mask_nik(p["nik"]),
                    "name": p["name"], "category": p["category"], "status": p["status"],
                    "start_date": p["start_date"], "end_date": p["end_date"]}
                   for p in people]})


class PublicQuery(Schema):
    by: Literal["category", "kecamatan"] = "category"


@api.get("/public/coverage", response=list[CoverageRowOut], tags=["public"], auth=None,
         summary="Cakupan agregat kabupaten (tanpa data pribadi)")
def public_coverage(request, query: Query[PublicQuery]):
    return [r.as_json() for r in coverage_report(query.by, deployment_area())]


# ---- domain apps ----------------------------------------------------------------------

def _mount() -> None:
    api.add_router("/santunan", santunan)
    api.add_router("/premiums", premiums)
    api.add_router("/claims", claims)
    api.add_router("/candidates", candidates)


_mount()
