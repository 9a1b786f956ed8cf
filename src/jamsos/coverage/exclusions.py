"""Import the exclusion list (issue 17): people who are never pekerja rentan candidates —
ASN, TNI/Polri, or already insured elsewhere — as BPJS or an OPD sends them (CSV or XLSX:
NIK, Alasan; optional Sumber, Keterangan). Read with the import kit
(:mod:`jamsos.core.importing`); every issue names the row, the column, a code and a message;
valid rows replace the same NIK's earlier row (one transaction, :func:`jamsos.db.copy_frame`),
audited."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jamsos import db
from jamsos.audit import services as audit
from jamsos.core.importing.issues import ImportReport, issue_rows
from jamsos.core.importing.reader import ROW, read_columns
from jamsos.coverage.models import Exclusion
from jamsos.coverage.services import refresh_candidates
from jamsos.regions.nik import validate_nik_frame

COLUMNS = {
    "nik": ("NIK", ("nik", "noktp", "nomorindukkependudukan"), True),
    "alasan": ("Alasan", ("alasan", "jenis", "status", "keterangankepesertaan"), True),
    "sumber": ("Sumber", ("sumber", "instansi", "opd"), False),
    "keterangan": ("Keterangan", ("keterangan", "catatan"), False),
}
#: normalised spelling → reason
REASONS = {
    "asn": "asn", "pns": "asn", "pppk": "asn", "aparatursipilnegara": "asn",
    "tni": "tni_polri", "polri": "tni_polri", "tnipolri": "tni_polri",
    "tnidanpolri": "tni_polri",
    "insuredelsewhere": "insured_elsewhere", "terdaftar": "insured_elsewhere",
    "sudahterdaftar": "insured_elsewhere", "pesertabpjs": "insured_elsewhere",
    "terlindungiditempatlain": "insured_elsewhere",
    "sudahterlindungiditempatlain": "insured_elsewhere",
    "terdaftarditempatlain": "insured_elsewhere", "pesertaaktif": "insured_elsewhere",
}


@dataclass(kw_only=True)
class ExclusionReport(ImportReport):
    stored: int = 0

    def counts(self) -> dict:
        return {"stored": self.stored}


def _issue(f: pl.DataFrame, cond: pl.Expr, column: str, code: str, message: pl.Expr | str):
    return issue_rows(f, cond, COLUMNS[column][0], code, message)


def validate(frame: pl.DataFrame, *, today: dt.date) -> tuple[pl.DataFrame, pl.DataFrame]:
    col = pl.col
    f = frame.filter(pl.any_horizontal(col(k) != "" for k in COLUMNS))
    f = validate_nik_frame(f, nik_col="nik", today=today).with_columns(
        reason=col("alasan").str.to_lowercase().str.replace_all(r"[^0-9a-z]", "")
        .replace_strict(REASONS, default=None, return_dtype=pl.String))
    issues = pl.concat([
        _issue(f, col("nik") == "", "nik", "required", _("NIK wajib diisi.")),
        _issue(f, (col("nik") != "") & col("nik_norm").is_null(), "nik", "nik_invalid",
               pl.format(_("NIK '{}' harus 16 angka."), col("nik"))),
        _issue(f, col("reason").is_null(), "alasan", "reason_invalid", pl.format(_(
            "Alasan '{}' tidak dikenal; isi ASN, TNI/Polri atau Terdaftar di tempat lain."),
            col("alasan"))),
    ]).sort("row")
    valid = (f.filter(~col(ROW).is_in(issues["row"].implode()))
             .unique("nik_norm", keep="last", maintain_order=True)
             .select(col("nik_norm").alias("nik"), "reason",
                     col("sumber").str.slice(0, 100).alias("source"),
                     col("keterangan").str.slice(0, 200).alias("note")))
    return valid, issues


def may_import_exclusions(user) -> bool:
    """The exclusion list is one list for the whole deployment (NIKs, like the DTSEN
    extract): an admin or operator whose area covers the deployment — the kabupaten/kota's in
    a one-regency deployment, the province's in a province one, where a regency's upload would
    overwrite another regency's rows (issue 16). The CLI runs as the server's own account and
    passes no user."""
    from jamsos.accounts.models import Role
    from jamsos.accounts.selectors import area_code_of, role_of
    from jamsos.regions.selectors import deployment_area

    area, deployment = area_code_of(user), deployment_area()
    return (role_of(user) in {Role.ADMIN, Role.OPERATOR} and area is not None
            and (area == deployment or deployment.startswith(area + ".")))


def import_exclusions(data: bytes, filename: str, *, user=None, dry_run: bool = False,
                      today: dt.date | None = None) -> ExclusionReport:
    """Read, check and (unless ``dry_run``) store the list. ``user`` None: the CLI; a user
    must be allowed (:func:`may_import_exclusions`, else :class:`PermissionError`)."""
    if user is not None and not may_import_exclusions(user):
        raise PermissionError
    today = today or timezone.localdate()
    table = read_columns(data, filename, COLUMNS)
    frame, ignored = table.frame, table.ignored_headers
    valid, issues = validate(frame, today=today)
    report = ExclusionReport(rows=frame.height, stored=valid.height, dry_run=dry_run,
                             ignored_headers=ignored)
    report.take_issues(issues)
    if dry_run:
        return report
    now = timezone.now()
    with transaction.atomic():
        niks = valid["nik"].to_list()
        for i in range(0, len(niks), 900):
            Exclusion.objects.filter(nik__in=niks[i:i + 900]).delete()
        with connection.cursor() as cur:
            db.copy_frame(cur, Exclusion._meta.db_table,
                          ("nik", "reason", "source", "note", "filename", "created_at"),
                          valid.with_columns(
                              pl.lit(filename[:255]).alias("filename"),
                              pl.lit(now.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f"))
                              .alias("created_at")))
        audit.record(user=user, action="import", obj_type="exclusion_list", obj_id="",
                     changes={"file": [None, filename], "rows": [None, valid.height]})
        refresh_candidates(niks=niks)
    return report
