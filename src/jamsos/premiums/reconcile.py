"""Read the participant/invoice list BPJS Ketenagakerjaan sends and classify every row.

Classes (:class:`~jamsos.premiums.models.RecClass`):

* ``matched`` — on our bill for the month with the same amount;
* ``amount_differs`` — on our bill, another amount;
* ``not_in_registry`` — billed by BPJS but not ours this month (unknown NIK, or a role that has
  ended, not started, is suspended or is not the person's insured role);
* ``not_billed`` — on our bill, missing from the BPJS file;
* ``after_death`` — billed for a month after the month of death recorded in our registry;
* ``duplicate`` — the NIK's second and further rows (two categories or two KPJ): the first row
  (the one with our KPJ, else the first in the file) is classified as above.

Everything is polars joins over two SELECTs; rows with a bad NIK, amount or another period are
reported as errors (row, column, code, message) and not classified.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from jamsos.core.importing.issues import issue_rows, split_issues
from jamsos.core.importing.reader import ROW, read_columns
from jamsos.premiums.billing import read_sql_frame
from jamsos.premiums.models import RecClass
from jamsos.registry import sql as registry_sql

ROW_COLUMNS = ("reconciliation_id", "cls", "row", "nik", "kpj", "name", "segment", "programs",
               "amount_bpjs", "amount_ours", "desa_code", "note")

#: column key → (header shown in messages, accepted header spellings, required)
COLUMNS: dict[str, tuple[str, tuple[str, ...], bool]] = {
    "nik": ("NIK", ("noktp", "nomorindukkependudukan"), True),
    "kpj": ("KPJ", ("nokpj", "nomorkpj", "nopeserta"), False),
    "name": ("Nama", ("nama", "namapeserta", "namatenagakerja"), False),
    "segment": ("Segmen", ("segmen", "jenispeserta"), False),
    "programs": ("Program", ("program", "programyangdiikuti"), False),
    "amount": ("Iuran", ("iuran", "jumlah", "jumlahiuran", "tagihan", "nominal", "totaliuran"),
               True),
    "period": ("Periode", ("periode", "bulaniuran", "bulan"), False),
}


@dataclass
class BpjsTable:
    frame: pl.DataFrame  # row + the recognised columns, as text
    rows: int


@dataclass
class Classified:
    frame: pl.DataFrame  # ROW_COLUMNS without reconciliation_id
    summary: dict
    errors: list[dict]


def read_bpjs_file(data: bytes, filename: str) -> BpjsTable:
    """CSV (UTF-8/Windows-1252; ``;``, ``,`` or tab) or XLSX; raises ``UnreadableFile``."""
    frame = read_columns(data, filename, COLUMNS).frame.rename({ROW: "row"})
    return BpjsTable(frame, frame.height)


def _amount_expr() -> pl.Expr:
    """``16800``, ``16.800``, ``Rp 16.800,00`` → 16800; anything else → null."""
    s = (pl.col("amount").str.replace_all(r"(?i)rp|\s", "")
         .str.replace(r",00$", "").str.replace(r"\.00$", ""))
    s = pl.when(s.str.contains(r"^\d{1,3}(\.\d{3})+$")).then(s.str.replace_all(r"\.", "")) \
        .otherwise(s)
    return pl.when(s.str.contains(r"^\d{1,15}$")).then(s.cast(pl.Int64, strict=False)) \
        .otherwise(None)


def _period_expr() -> pl.Expr:
    """``2025-09``, ``09-2025``, ``09/2025``, ``202509``, ``2025-09-01`` → date; else null."""
    p = pl.col("period").str.replace_all(r"[/.]", "-")
    return pl.coalesce(
        p.str.strptime(pl.Date, "%Y-%m-%d", strict=False),
        (p + "-01").str.strptime(pl.Date, "%Y-%m-%d", strict=False),
        ("01-" + p).str.strptime(pl.Date, "%d-%m-%Y", strict=False),
        (p + "01").str.strptime(pl.Date, "%Y%m%d", strict=False),
    ).dt.month_start()


def _issues(frame: pl.DataFrame, mask: pl.Expr, column: str, code: str, message) -> pl.DataFrame:
    return issue_rows(frame, mask, COLUMNS[column][0], code, message, row="row")


def classify(table: BpjsTable, period: dt.date, kabupaten: str | None = None) -> Classified:
    """Each row's class against our lines of ``period`` (of ``kabupaten``'s run when given)."""
    f = table.frame.with_columns(
        pl.col("nik").str.replace_all(r"[\s.\-]", ""),
        pl.col("kpj").str.replace_all(r"[\s.\-]", "").str.to_uppercase(),
        _amount_expr().alias("amount_bpjs"), _period_expr().alias("period_date"),
        pl.col("segment").str.to_uppercase().str.slice(0, 3),
    )
    bad_nik = ~pl.col("nik").str.contains(r"^\d{16}$")
    bad_amount = pl.col("amount_bpjs").is_null()
    given = pl.col("period") != ""
    bad_period = given & pl.col("period_date").is_null()
    other_period = given & pl.col("period_date").is_not_null() & (pl.col("period_date") != period)
    issues = pl.concat([
        _issues(f, bad_nik, "nik", "nik_invalid", "NIK harus 16 angka."),
        _issues(f, bad_amount, "amount", "amount_invalid",
                "Iuran harus bilangan bulat rupiah (mis. 16800 atau 16.800)."),
        _issues(f, bad_period, "period", "period_invalid",
                "Periode tidak dikenali (pakai YYYY-MM)."),
        _issues(f, other_period, "period", "period_other",
                pl.format("Periode {} bukan bulan yang direkonsiliasi ({}).",
                          pl.col("period"), pl.lit(f"{period:%Y-%m}"))),
    ])
    valid = f.filter(~(bad_nik | bad_amount | bad_period | other_period))

    ours = read_sql_frame(
        "SELECT p.nik, p.kpj, l.total, l.desa_code FROM premiums_invoiceline l "  # noqa: S608 - identifiers from this module; values are parameters
        f"JOIN {registry_sql.PEOPLE} p ON p.id = l.person_id WHERE l.period = %s"
        + (" AND l.invoice_id IN (SELECT i.id FROM premiums_invoice i JOIN premiums_billingrun "
           "r ON r.id = i.run_id WHERE r.kabupaten = %s)" if kabupaten else ""),
        [period, *([kabupaten] if kabupaten else [])],
        {"nik": pl.String, "our_kpj": pl.String, "amount_ours": pl.Int64, "our_desa": pl.String})
    people = read_sql_frame(
        f"SELECT p.nik, p.died_on, p.desa_code FROM {registry_sql.PEOPLE} p", [],  # noqa: S608 - identifiers from this module
        {"nik": pl.String, "died_on": pl.Date, "person_desa": pl.String})

    # Duplicates: a NIK's further rows; the row with our KPJ (else the first) is kept.
    ranked = (valid.join(ours.select("nik", "our_kpj"), on="nik", how="left")
              .with_columns((pl.col("kpj") != pl.col("our_kpj")).fill_null(True)
                            .alias("_not_ours_kpj"))
              .sort(["nik", "_not_ours_kpj", "row"])
              .with_columns(pl.int_range(pl.len()).over("nik").alias("_rank"))
              .drop("our_kpj", "_not_ours_kpj"))
    first = ranked.filter(pl.col("_rank") == 0).join(ours, on="nik", how="left") \
        .join(people, on="nik", how="left")
    dead_before = pl.col("died_on").is_not_null() & (pl.col("died_on").dt.month_start() < period)
    first = first.with_columns(
        pl.when(pl.col("amount_ours").is_not_null() & (pl.col("amount_ours") ==
                                                        pl.col("amount_bpjs")))
        .then(pl.lit(RecClass.MATCHED.value))
        .when(pl.col("amount_ours").is_not_null()).then(pl.lit(RecClass.AMOUNT_DIFFERS.value))
        .when(dead_before).then(pl.lit(RecClass.AFTER_DEATH.value))
        .otherwise(pl.lit(RecClass.NOT_IN_REGISTRY.value)).alias("cls"),
        pl.coalesce("our_desa", "person_desa", pl.lit("")).alias("desa_code"),
        pl.when(pl.col("amount_ours").is_not_null() & (pl.col("amount_ours") !=
                                                        pl.col("amount_bpjs")))
        .then(pl.format("selisih Rp{}", pl.col("amount_bpjs") - pl.col("amount_ours")))
        .when(dead_before).then(pl.format("meninggal {}", pl.col("died_on").cast(pl.String)))
        .when(pl.col("amount_ours").is_null() & pl.col("person_desa").is_null())
        .then(pl.lit("NIK tidak terdaftar"))
        .when(pl.col("amount_ours").is_null())
        .then(pl.lit("terdaftar, tidak ditagih bulan ini "
                     "(berakhir/belum mulai/bukan peran dijamin)"))
        .otherwise(pl.lit("")).alias("note"),
    )
    dup = ranked.filter(pl.col("_rank") > 0).join(people, on="nik", how="left").with_columns(
        pl.lit(RecClass.DUPLICATE.value).alias("cls"), pl.lit(None, pl.Int64).alias("amount_ours"),
        pl.col("person_desa").fill_null("").alias("desa_code"),
        pl.format("baris ke-{} untuk NIK ini", pl.col("_rank") + 1).alias("note"))
    missing = ours.join(valid.select("nik").unique(), on="nik", how="anti").select(
        pl.lit(RecClass.NOT_BILLED.value).alias("cls"), pl.lit(None, pl.Int64).alias("row"),
        "nik", pl.col("our_kpj").fill_null("").alias("kpj"), pl.lit("").alias("name"),
        pl.lit("").alias("segment"), pl.lit("").alias("programs"),
        pl.lit(0, pl.Int64).alias("amount_bpjs"), "amount_ours",
        pl.col("our_desa").alias("desa_code"), pl.lit("").alias("note"))
    cols = [c for c in ROW_COLUMNS if c != "reconciliation_id"]
    out = pl.concat([
        first.select(cols), dup.select(cols), missing.select(cols),
    ], how="vertical_relaxed").with_columns(
        pl.col("amount_ours").fill_null(0), pl.col("name").str.slice(0, 150),
        pl.col("kpj").str.slice(0, 20), pl.col("programs").str.slice(0, 40),
        pl.col("nik").str.slice(0, 16))
    errors, _warnings, _rejected = split_issues(issues)
    return Classified(out, summarise(out), errors)


def summarise(frame: pl.DataFrame) -> dict:
    agg = frame.group_by("cls").agg(pl.len().alias("count"),
                                    pl.col("amount_bpjs").sum().alias("bpjs"),
                                    pl.col("amount_ours").sum().alias("ours"))
    got = {r["cls"]: r for r in agg.iter_rows(named=True)}
    return {c.value: {"count": int(got.get(c.value, {}).get("count", 0)),
                      "bpjs": int(got.get(c.value, {}).get("bpjs", 0) or 0),
                      "ours": int(got.get(c.value, {}).get("ours", 0) or 0)}
            for c in RecClass}
