"""API of the pekerja rentan candidates from DTSEN (``/api/v1/candidates/``, issue 17).

Thin, like the pages: the counts come from :func:`jamsos.coverage.candidates.summary` (the
stored counts per desa; every role, aggregates only), a desa's named worklist from
:func:`~jamsos.coverage.candidates.worklist` (``view_people``; NIK and No KK masked for roles
without personal-data rights; an unmasked page is recorded in the audit trail), the exclusion
list through :func:`jamsos.coverage.exclusions.import_exclusions` (admin or operator of the
kabupaten; the service audits it) and the enrol action through
:func:`jamsos.coverage.services.enrol_candidates` (all or nothing, audited). An area outside
the caller's is 404, as on the pages.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.http import Http404
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from jamsos.accounts.selectors import can_edit_registry
from jamsos.api.common import (
    AreaCode,
    Error,
    FieldError,
    RowIssue,
    area_of,
    check_upload,
    nik,
    people_area,
    report_area,
    shows_personal_data,
    text,
)
from jamsos.audit.services import record_list_view
from jamsos.core.errors import DomainError
from jamsos.coverage import candidates
from jamsos.coverage.exclusions import import_exclusions, may_import_exclusions
from jamsos.coverage.services import EnrolError, enrol_candidates
from jamsos.regions.models import Region
from jamsos.regions.selectors import VILLAGE_LEVELS
from jamsos.registry.categories import FUNDING_SOURCES

router = Router(tags=["candidates"])

NO_EXCLUSIONS = ("Hanya admin atau operator wilayah penerapan (kabupaten/kota; provinsi bila "
                 "jamsos dipakai satu provinsi) yang mengimpor daftar pengecualian calon "
                 "peserta.")


class CandidateAreaOut(Schema):
    code: str
    name: str
    candidates: int
    annual_premium: int = Field(description="Iuran setahun sebagai BPU (rupiah)")


class CandidateSummaryOut(Schema):
    area_code: str
    area_name: str
    extract_valid_from: dt.date | None = Field(
        description="Ekstrak DTSEN yang berlaku hari ini; null jika belum ada")
    max_decile: int = Field(description="Desil tertinggi yang dihitung (pengaturan kabupaten)")
    min_age: int
    max_age: int
    age_unconfirmed: bool = Field(description="Batas usia kerja belum dipastikan peraturan")
    per_person: int = Field(description="Iuran setahun per orang sebagai BPU (JKK + JKM)")
    total: int
    annual_premium: int
    no_desa: int = Field(description="Calon peserta yang di DTSEN tanpa Kode Desa (hanya di "
                                     "total kabupaten)")
    no_desa_annual_premium: int
    by_kecamatan: list[CandidateAreaOut]
    by_desa: list[CandidateAreaOut] = Field(description="Hanya desa yang punya calon peserta")


class CandidateSummaryQuery(Schema):
    area: AreaCode | None = Field(None, description="Kode wilayah (default: wilayah pengguna)")


@router.get("", response={200: CandidateSummaryOut, 403: Error, 404: Error},
            summary="Calon peserta pekerja rentan dari DTSEN yang belum terlindungi, per desa, "
                    "kecamatan dan kabupaten, dengan iuran setahunnya",
            description="Angka agregat (semua peran). 404 untuk wilayah di luar wilayah kerja "
                        "pengguna atau yang tidak dikenal.")
def candidate_summary(request, query: Query[CandidateSummaryQuery]):
    area = report_area(request, query.area)
    if area is None:
        return Status(404, {"detail": "Wilayah tidak ditemukan."})
    s = candidates.summary(area)
    c = s.criteria
    return Status(200, {
        "area_code": s.area.code, "area_name": s.area.name,
        "extract_valid_from": c.extract_valid_from, "max_decile": c.max_decile,
        "min_age": c.age.min_age, "max_age": c.age.max_age,
        "age_unconfirmed": c.age.unconfirmed, "per_person": c.premium.amount,
        "total": s.total, "annual_premium": s.annual_premium, "no_desa": s.unknown_desa,
        "no_desa_annual_premium": s.unknown_desa_premium,
        "by_kecamatan": [k.as_json() for k in s.by_kecamatan],
        "by_desa": [d.as_json() for d in s.by_desa]})


class CandidatePersonOut(Schema):
    nik: str = Field(description="Disamarkan untuk peran tanpa hak data pribadi")
    no_kk: str = Field(description="Disamarkan untuk peran tanpa hak data pribadi")
    name: str
    sex: str
    birth_date: dt.date | None
    age: int | None
    decile: int
    occupation: str
    employment_status: str


class CandidateWorklistOut(Schema):
    desa_code: str
    desa_name: str
    count: int = Field(description="Semua calon peserta desa ini")
    per_person: int = Field(description="Iuran setahun per orang sebagai BPU")
    annual_premium: int
    items: list[CandidatePersonOut] = Field(description="Satu halaman, urut nama")


class CandidatePageQuery(Schema):
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0, le=10_000_000)


def _desa(request, desa_code: str) -> Region:
    region = Region.objects.filter(code=desa_code, level__in=VILLAGE_LEVELS).first()
    if region is None or not report_area(request, region.code):
        raise Http404
    return region


@router.get("/desa/{desa_code}", response={200: CandidateWorklistOut, 403: Error, 404: Error},
            summary="Daftar calon peserta satu desa (bernama), satu halaman",
            description="Peran dengan hak melihat orang (403 untuk pimpinan); NIK dan No KK "
                        "disamarkan untuk peran tanpa hak data pribadi. Desa di luar wilayah "
                        "kerja: 404. Halaman yang ditampilkan tanpa samaran tercatat di jejak "
                        "audit.")
def candidate_worklist(request, desa_code: AreaCode, query: Query[CandidatePageQuery]):
    people_area(request)
    region = _desa(request, desa_code)
    c = candidates.criteria()
    people, total = candidates.worklist(region.code, page_size=query.limit,
                                        offset=query.offset, c=c)
    if shows_personal_data(request):
        record_list_view(user=request.user, kind="candidates",
                         filters={"desa": region.code, "offset": query.offset,
                                  "limit": query.limit}, count=len(people))
    return Status(200, {
        "desa_code": region.code, "desa_name": region.name, "count": total,
        "per_person": c.premium.amount, "annual_premium": total * c.premium.amount,
        "items": [{"nik": nik(request, p.nik), "no_kk": nik(request, p.no_kk),
                   "name": p.name, "sex": p.sex, "birth_date": p.birth_date, "age": p.age,
                   "decile": p.decile, "occupation": p.occupation,
                   "employment_status": p.employment_status} for p in people]})


Nik = Annotated[str, Field(pattern=r"^\d{16}$")]


class CandidateEnrolIn(Schema):
    niks: list[Nik] = Field(min_length=1, max_length=1000,
                            description="NIK calon peserta desa ini yang didaftarkan")
    funding_source: text(20) = Field(description="Sumber dana: " + ", ".join(FUNDING_SOURCES))


class CandidateEnrolOut(Schema):
    batch_id: int = Field(description="Batch impor yang mencatat pendaftaran ini")
    enrolled: int


@router.post("/desa/{desa_code}/enrol",
             response={201: CandidateEnrolOut, 403: Error, 404: Error, 422: FieldError},
             summary="Daftarkan calon peserta terpilih sebagai pekerja rentan (BPU)",
             description="Semua atau tidak sama sekali, lewat jalur yang sama dengan impor, "
                         "tercatat di jejak audit. Hanya peran yang boleh mengubah registri "
                         "(403); desa di luar wilayah kerja: 404; 422 (kolom `niks` atau "
                         "`funding_source`) jika ada yang dipilih bukan lagi calon peserta, "
                         "belum lengkap datanya, atau sumber dana tidak dikenal.")
def candidate_enrol(request, desa_code: AreaCode, body: CandidateEnrolIn):
    people_area(request)
    region = _desa(request, desa_code)
    if not can_edit_registry(request.user):
        return Status(403, {"detail": "Peran ini tidak boleh mendaftarkan peserta."})
    if body.funding_source not in FUNDING_SOURCES:
        raise DomainError("funding_source", "Sumber dana tidak dikenal.")
    try:
        batch = enrol_candidates(user=request.user, desa_code=region.code, niks=body.niks,
                                 funding_source=body.funding_source)
    except PermissionError:
        raise Http404 from None
    except EnrolError as exc:
        raise DomainError("niks", str(exc)) from None
    batch.refresh_from_db(fields=["summary"])
    return Status(201, {"batch_id": batch.pk, "enrolled": batch.summary.get("rows", 0)})


class ExclusionReportOut(Schema):
    rows: int = Field(description="Baris data di berkas")
    stored: int = Field(description="Baris yang disimpan (uji coba: yang akan disimpan)")
    rejected: int = Field(description="Baris yang ditolak karena ada kesalahan")
    dry_run: bool
    errors: list[RowIssue]
    ignored_headers: list[str] = Field(description="Judul kolom yang tidak dikenal (diabaikan)")


@router.post("/exclusions",
             response={200: ExclusionReportOut, 201: ExclusionReportOut, 403: Error,
                       422: FieldError},
             summary="Impor daftar pengecualian calon peserta (CSV atau XLSX: NIK, Alasan; "
                     "Sumber, Keterangan opsional)",
             description="ASN, TNI/Polri atau sudah terlindungi di tempat lain, seperti dikirim "
                         "BPJS atau OPD. Multipart: `file` dan `dry_run` opsional (uji coba: "
                         "diperiksa, tidak disimpan; 200). Baris yang benar disimpan (201), "
                         "baris yang salah disebut di `errors` dengan baris, kolom dan kodenya "
                         "(sama seperti CLI). 422 dengan kolom `file` jika berkas terlalu besar "
                         "atau tidak dapat dibaca. Hanya admin atau operator wilayah penerapan "
                         "(kabupaten/kota, atau provinsi bila satu provinsi; 403). "
                         "Tercatat di jejak audit.")
def exclusions_import(request, file: File[UploadedFile], dry_run: Form[bool] = False):
    area_of(request)
    if not may_import_exclusions(request.user):
        return Status(403, {"detail": NO_EXCLUSIONS})
    check_upload(file, suffixes=None)
    try:
        report = import_exclusions(file.read(), (file.name or "").replace("\x00", "")
                                   or "pengecualian", user=request.user, dry_run=dry_run)
    except PermissionError:
        return Status(403, {"detail": NO_EXCLUSIONS})
    body = report.as_json()
    body["errors"] = [{k: e[k] for k in ("row", "column", "code", "message")}
                      for e in report.errors]
    return Status(200 if dry_run else 201, body)
