"""Import the regency's DTSEN extract from CSV or XLSX (issue 17).

Required: NIK, No KK, Desil. Optional: Nama, Kode Desa, Tanggal Lahir (else read from the
NIK), Jenis Kelamin (else from the NIK), Pekerjaan, Status Pekerjaan. Read and reported with
the import kit (:mod:`jamsos.core.importing`: reader, issue rows); validated
with set-based polars expressions; every issue names the row (header = row 1), the column, a
code and a message in Bahasa Indonesia. Valid rows are stored in one transaction
(:func:`jamsos.db.copy_frame`: COPY on PostgreSQL); rejected rows are reported.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

import polars as pl
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jamsos import db
from jamsos.accounts.models import PERMISSIONS
from jamsos.accounts.selectors import area_code_of, role_of
from jamsos.audit import services as audit
from jamsos.core.importing.issues import ISSUE_SCHEMA, ImportReport, issue_rows
from jamsos.core.importing.parsing import parse_date
from jamsos.core.importing.reader import ROW, read_columns
from jamsos.dtsen.models import DtsenExtract, DtsenRecord
from jamsos.dtsen.signals import extract_stored
from jamsos.regions.nik import SEX_WORDS, validate_nik_frame
from jamsos.regions.selectors import deployment_area, villages_in

#: column key → (header shown in messages, accepted header spellings, required)
COLUMNS = {
    "nik": ("NIK", ("nik", "noktp", "nomorindukkependudukan"), True),
    "no_kk": ("No KK", ("nokk", "kk", "nomorkk", "nomorkartukeluarga"), True),
    "desil": ("Desil", ("desil", "desilnasional", "decile", "desilkesejahteraan"), True),
    "nama": ("Nama", ("nama", "namalengkap", "namaart", "namaanggotakeluarga"), False),
    "kode_desa": ("Kode Desa", ("kodedesa", "kodewilayah", "kodedesakelurahan", "kodekel"),
                  False),
    "tanggal_lahir": ("Tanggal Lahir", ("tanggallahir", "tgllahir", "tgllhr"), False),
    "jenis_kelamin": ("Jenis Kelamin", ("jeniskelamin", "jk", "kelamin", "lp"), False),
    "pekerjaan": ("Pekerjaan", ("pekerjaan", "jenispekerjaan", "lapanganusaha"), False),
    "status_pekerjaan": ("Status Pekerjaan", ("statuspekerjaan", "statusbekerja",
                                              "statusdalampekerjaan"), False),
}
RECORD_COLUMNS = ("extract_id", "nik", "no_kk", "decile", "name", "desa_code", "birth_date",
                  "sex", "occupation", "employment_status")


@dataclass(kw_only=True)
class DtsenReport(ImportReport):
    stored: int = 0
    extract_id: int | None = None
    valid_from: str = ""

    def counts(self) -> dict:
        return {"stored": self.stored, "extract": self.extract_id, "valid_from": self.valid_from}


def read(data: bytes, filename: str) -> tuple[pl.DataFrame, list[str]]:
    """ROW + every known column as text ("" when the file lacks an optional one)."""
    table = read_columns(data, filename, COLUMNS)
    return table.frame, table.ignored_headers


def _issue(f: pl.DataFrame, cond: pl.Expr, column: str, code, message, severity="error"):
    return issue_rows(f, cond, COLUMNS[column][0] if column in COLUMNS else column, code,
                      message, severity)


def _villages() -> pl.DataFrame:
    codes = list(villages_in(deployment_area()).values_list("code", flat=True))
    return pl.DataFrame({"desa_code": codes, "known_desa": [True] * len(codes)},
                        schema={"desa_code": pl.String, "known_desa": pl.Boolean})


def _desa_code(expr: pl.Expr) -> pl.Expr:
    """``16.02.13.2005`` as written, or its ten digits ``1602132005``, → the dotted code."""
    digits = expr.str.replace_all(r"[\s.]", "")
    return (pl.when(digits.str.contains(r"^\d{10}$"))
            .then(pl.concat_str(digits.str.slice(0, 2), digits.str.slice(2, 2),
                                digits.str.slice(4, 2), digits.str.slice(6, 4), separator="."))
            .otherwise(expr))


def validate(frame: pl.DataFrame, *, today: dt.date,
             villages: pl.DataFrame | None = None) -> tuple[pl.DataFrame, pl.DataFrame, int]:
    """(valid rows as stored, issues in the kit's ``ISSUE_SCHEMA``, data rows)."""
    col = pl.col
    empty = pl.all_horizontal(col(k) == "" for k in COLUMNS)
    last = frame.filter(~empty)[ROW].max() or 0
    f = frame.filter(col(ROW) <= last)
    rows = f.height
    parts = [_issue(f, empty, "Baris", "empty_row", _("Baris kosong; dilewati."), "warning")]
    f = f.filter(~empty)
    f = validate_nik_frame(f, nik_col="nik", today=today)
    kk = col("no_kk").str.strip_prefix("'").str.replace_all(r"[\s.\-]", "")
    desil_num = col("desil").str.replace(r"\.0+$", "").cast(pl.Int64, strict=False)
    born, born_impossible, born_unknown = parse_date("tanggal_lahir")
    sex = (col("jenis_kelamin").str.to_uppercase()
           .replace_strict(SEX_WORDS, default=None, return_dtype=pl.String))
    f = f.with_columns(kk=kk, decile=desil_num, born=born, born_bad=born_impossible | born_unknown,
                       sex_file=sex, desa=_desa_code(col("kode_desa")))
    f = f.join(villages if villages is not None else _villages(), left_on="desa",
               right_on="desa_code", how="left")
    parts += [
        _issue(f, col("nik") == "", "nik", "required", _("NIK wajib diisi.")),
        _issue(f, (col("nik") != "") & col("nik_error_code").is_not_null(), "nik",
               col("nik_error_code"), col("nik_error_message")),
        _issue(f, col("no_kk") == "", "no_kk", "required", _("No KK wajib diisi.")),
        _issue(f, (col("no_kk") != "") & col("no_kk").str.contains(r"(?i)e\+"), "no_kk",
               "kk_scientific", pl.format(_(
                   "No KK '{}' tertulis sebagai angka ilmiah (Excel); angka terakhir hilang. "
                   "Format kolom sebagai Teks dan ketik ulang."), col("no_kk"))),
        _issue(f, (col("no_kk") != "") & ~col("no_kk").str.contains(r"(?i)e\+")
               & ~col("kk").str.contains(r"^\d{16}$"), "no_kk", "kk_invalid",
               pl.format(_("No KK '{}' harus 16 angka."), col("no_kk"))),
        _issue(f, col("desil") == "", "desil", "required", _("Desil wajib diisi (1–10).")),
        _issue(f, (col("desil") != "") & (col("decile").is_null()
                                          | ~col("decile").is_between(1, 10)),
               "desil", "decile_invalid",
               pl.format(_("Desil '{}' tidak valid; isi angka 1 sampai 10."), col("desil"))),
        _issue(f, (col("kode_desa") != "") & col("known_desa").is_null(), "kode_desa",
               "desa_unknown", pl.format(_(
                   "Kode Desa '{}' tidak ada di kabupaten ini; tulis seperti 16.02.13.2005."),
                   col("kode_desa"))),
        _issue(f, col("born_bad"), "tanggal_lahir", "date_invalid", pl.format(_(
            "Tanggal Lahir '{}' tidak dapat dibaca; tulis seperti 17-08-1985."),
            col("tanggal_lahir"))),
        _issue(f, col("born").is_not_null() & (col("born") > pl.lit(today)), "tanggal_lahir",
               "date_future", pl.format(_("Tanggal Lahir '{}' ada di masa depan."),
                                        col("tanggal_lahir"))),
        _issue(f, (col("jenis_kelamin") != "") & col("sex_file").is_null(), "jenis_kelamin",
               "sex_invalid", pl.format(_("Jenis Kelamin '{}' tidak dikenal; isi L atau P."),
                                        col("jenis_kelamin"))),
    ]
    ok_nik = col("nik_error_code").is_null() & (col("nik") != "")
    dup = f.filter(ok_nik).group_by("nik_norm").agg(pl.col(ROW).min().alias("first"),
                                                    pl.len().alias("n"))
    f = f.join(dup, on="nik_norm", how="left")
    parts.append(_issue(f, ok_nik & (col("n") > 1) & (col(ROW) != col("first")), "nik",
                        "duplicate_nik", pl.format(_("NIK {} sudah ada di baris {}."),
                                                   col("nik_norm"), col("first"))))
    issues = pl.concat([p.cast(ISSUE_SCHEMA) for p in parts]).sort(["row", "column"])
    bad = issues.filter(col("severity") == "error")["row"].unique()
    valid = f.filter(~col(ROW).is_in(bad.implode())).select(
        col("nik_norm").alias("nik"), col("kk").alias("no_kk"),
        col("decile").cast(pl.Int16), col("nama").str.slice(0, 150).alias("name"),
        pl.when(col("kode_desa") != "").then(col("desa")).otherwise(pl.lit(""))
        .alias("desa_code"),
        pl.coalesce(col("born"), col("nik_birth_date")).alias("birth_date"),
        pl.coalesce(col("sex_file"), col("nik_sex"), pl.lit("")).alias("sex"),
        col("pekerjaan").str.slice(0, 100).alias("occupation"),
        col("status_pekerjaan").str.slice(0, 60).alias("employment_status"))
    return valid, issues, rows


def may_import_dtsen(user) -> bool:
    """The DTSEN extract in force is one for the whole deployment (every regency's decile
    checks and candidates read it): only its administrators and verifikators whose area is the
    deployment's upload and list them — in a province, those of the whole province, so that
    no regency's upload decides another's cases (issue 16)."""
    return role_of(user) in PERMISSIONS["import_dtsen"] and \
        area_code_of(user) == deployment_area()


def import_extract(data: bytes, filename: str, *, valid_from: dt.date, user=None,
                   dry_run: bool = False, today: dt.date | None = None) -> DtsenReport:
    """Read, check and (unless ``dry_run``) store one extract, all valid rows or nothing.
    ``user`` None: the CLI or the demo; a user must be allowed (:func:`may_import_dtsen`,
    else :class:`PermissionError`). Raises
    :class:`~jamsos.core.importing.reader.UnreadableFile` when the file cannot be read at
    all."""
    if user is not None and not may_import_dtsen(user):
        raise PermissionError("import_dtsen")
    today = today or timezone.localdate()
    frame, ignored = read(data, filename)
    valid, issues, rows = validate(frame, today=today)
    report = DtsenReport(rows=rows, dry_run=dry_run, valid_from=valid_from.isoformat(),
                         ignored_headers=ignored, stored=valid.height)
    report.take_issues(issues)
    if dry_run:
        return report
    with transaction.atomic():
        extract = DtsenExtract.objects.create(
            valid_from=valid_from, filename=filename[:255],
            sha256=hashlib.sha256(data).hexdigest(), rows=valid.height,
            rejected=report.rejected, uploaded_by=user if getattr(
                user, "is_authenticated", False) else None)
        with connection.cursor() as cur:
            db.copy_frame(cur, DtsenRecord._meta.db_table, RECORD_COLUMNS,
                          valid.with_columns(pl.lit(extract.pk, pl.Int64).alias("extract_id")))
        audit.record(user=user, action="import", obj_type="dtsen_extract", obj_id=extract.pk,
                     changes={"file": [None, filename], "valid_from": [None, str(valid_from)],
                              "rows": [None, valid.height], "sha256": [None, extract.sha256]})
        extract_stored.send(sender=DtsenExtract, extract=extract)
    report.extract_id = extract.pk
    return report
