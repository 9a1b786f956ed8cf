"""Import the regency's DTSEN extract (NIK, No. KK → decile) from CSV or XLSX.

Read like the worker import (CSV with , ; or tab, UTF-8/BOM/Windows-1252, XLSX), validated
with set-based polars expressions; every issue names the row (header = row 1), the column, a
code and a message in Bahasa Indonesia. Valid rows are stored (COPY on PostgreSQL); rejected
rows are reported.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field

import polars as pl
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jamsos.audit import services as audit
from jamsos.regions.nik import validate_nik_frame
from jamsos.registry.importing.reader import ROW, UnreadableFile, read_grid
from jamsos.santunan.models import DtsenExtract, DtsenRecord

#: column key → (header shown in messages, accepted header spellings, normalised)
COLUMNS = {
    "nik": ("NIK", {"nik", "noktp", "nomorindukkependudukan"}),
    "no_kk": ("No KK", {"nokk", "kk", "nomorkk", "nomorkartukeluarga"}),
    "desil": ("Desil", {"desil", "desilnasional", "decile", "desilkesejahteraan"}),
}
ISSUE_SCHEMA = {"row": pl.Int64, "column": pl.String, "code": pl.String, "message": pl.String,
                "severity": pl.String}


@dataclass
class DtsenReport:
    rows: int = 0
    stored: int = 0
    rejected: int = 0
    dry_run: bool = False
    extract_id: int | None = None
    valid_from: str = ""
    errors: list[dict] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)
    ignored_headers: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return {"rows": self.rows, "stored": self.stored, "rejected": self.rejected,
                "dry_run": self.dry_run, "extract": self.extract_id,
                "valid_from": self.valid_from, "ignored_headers": self.ignored_headers,
                "errors": self.errors, "warnings": self.warnings}


def _norm(h: str) -> str:
    return re.sub(r"[^a-z0-9]", "", str(h).lower())


def read(data: bytes, filename: str) -> tuple[pl.DataFrame, list[str]]:
    """ROW + nik, no_kk, desil as text."""
    header_cells, grid, _encoding, _delimiter = read_grid(data, filename)
    rows = [header_cells, *([("" if v is None else v) for v in r] for r in grid.rows())]
    if not rows:
        raise UnreadableFile(_("Berkas kosong."))
    header = rows[0]
    mapping: dict[str, int] = {}
    ignored = []
    for i, h in enumerate(header):
        key = next((k for k, (_h, names) in COLUMNS.items() if _norm(h) in names), None)
        if key and key not in mapping:
            mapping[key] = i
        elif str(h).strip():
            ignored.append(str(h).strip())
    missing = [COLUMNS[k][0] for k in COLUMNS if k not in mapping]
    if missing:
        raise UnreadableFile(_("Kolom wajib tidak ditemukan di baris judul: %(cols)s.")
                             % {"cols": ", ".join(missing)})
    width = len(header)
    body = [(r + [""] * (width - len(r)))[:width] for r in rows[1:]]
    frame = pl.DataFrame(
        {k: [str(r[i]) for r in body] for k, i in mapping.items()},
        schema={k: pl.String for k in mapping},
    ).with_columns(pl.all().str.strip_chars().fill_null(""))
    frame = frame.with_row_index(ROW, offset=2).with_columns(pl.col(ROW).cast(pl.Int64))
    return frame, ignored


def _issue(f: pl.DataFrame, cond: pl.Expr, column: str, code, message, severity="error"):
    return f.filter(cond).select(
        pl.col(ROW).alias("row"), pl.lit(COLUMNS[column][0] if column in COLUMNS else column)
        .alias("column"), (pl.lit(code) if isinstance(code, str) else code).alias("code"),
        (pl.lit(message) if isinstance(message, str) else message).cast(pl.String)
        .alias("message"), pl.lit(severity).alias("severity"))


def validate(frame: pl.DataFrame, *, today: dt.date) -> tuple[pl.DataFrame, pl.DataFrame, int]:
    """(valid rows nik/no_kk/decile, issues, data rows)."""
    col = pl.col
    empty = (col("nik") == "") & (col("no_kk") == "") & (col("desil") == "")
    last = frame.filter(~empty)[ROW].max() or 0
    f = frame.filter(col(ROW) <= last)
    rows = f.height
    parts = [_issue(f, empty, "Baris", "empty_row", _("Baris kosong; dilewati."), "warning")]
    f = f.filter(~empty)
    f = validate_nik_frame(f, nik_col="nik", today=today)
    kk = col("no_kk").str.strip_prefix("'").str.replace_all(r"[\s.\-]", "")
    desil_num = col("desil").str.replace(r"\.0+$", "").cast(pl.Int64, strict=False)
    f = f.with_columns(kk=kk, decile=desil_num)
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
    ]
    ok_nik = col("nik_error_code").is_null() & (col("nik") != "")
    dup = f.filter(ok_nik).group_by("nik_norm").agg(
        pl.col(ROW).min().alias("first"), pl.col("decile").n_unique().alias("n_dec"),
        pl.len().alias("n"))
    f = f.join(dup, on="nik_norm", how="left")
    parts.append(_issue(f, ok_nik & (col("n") > 1) & (col(ROW) != col("first")), "nik",
                        "duplicate_nik", pl.format(_("NIK {} sudah ada di baris {}."),
                                                   col("nik_norm"), col("first"))))
    issues = pl.concat([p.cast(ISSUE_SCHEMA) for p in parts]).sort(["row", "column"])
    bad = issues.filter(col("severity") == "error")["row"].unique()
    valid = f.filter(~col(ROW).is_in(bad.implode())).select(
        col("nik_norm").alias("nik"), col("kk").alias("no_kk"), col("decile").cast(pl.Int16))
    return valid, issues, rows


def import_extract(data: bytes, filename: str, *, valid_from: dt.date, user=None,
                   dry_run: bool = False, today: dt.date | None = None) -> DtsenReport:
    today = today or timezone.localdate()
    frame, ignored = read(data, filename)
    valid, issues, rows = validate(frame, today=today)
    errors = issues.filter(pl.col("severity") == "error").drop("severity")
    report = DtsenReport(rows=rows, dry_run=dry_run, valid_from=valid_from.isoformat(),
                         ignored_headers=ignored, errors=errors.to_dicts(),
                         warnings=issues.filter(pl.col("severity") == "warning")
                         .drop("severity").to_dicts(),
                         rejected=errors["row"].n_unique(), stored=valid.height)
    if dry_run:
        return report
    with transaction.atomic():
        extract = DtsenExtract.objects.create(
            valid_from=valid_from, filename=filename[:255],
            sha256=hashlib.sha256(data).hexdigest(), rows=valid.height,
            rejected=report.rejected, uploaded_by=user if getattr(
                user, "is_authenticated", False) else None)
        _bulk_insert(extract.pk, valid)
        audit.record(user=user, action="import", obj_type="dtsen_extract", obj_id=extract.pk,
                     changes={"file": [None, filename], "valid_from": [None, str(valid_from)],
                              "rows": [None, valid.height], "sha256": [None, extract.sha256]})
    report.extract_id = extract.pk
    return report


def _bulk_insert(extract_id: int, valid: pl.DataFrame) -> None:
    table = DtsenRecord._meta.db_table
    if connection.vendor == "postgresql":
        with connection.cursor() as cur, cur.cursor.copy(
                f"COPY {table} (extract_id, nik, no_kk, decile) FROM STDIN") as copy:
            for nik, kk, dec in valid.iter_rows():
                copy.write_row((extract_id, nik, kk, dec))
        return
    with connection.cursor() as cur:
        cur.executemany(
            f"INSERT INTO {table} (extract_id, nik, no_kk, decile) VALUES (%s, %s, %s, %s)",  # noqa: S608
            [(extract_id, *r) for r in valid.iter_rows()])
