"""Validate a worker table with set-based polars expressions (no per-row Python).

Every check yields issues ``(row, column, code, message, severity)``; a row with any error is
rejected, the others go on to be stored. Messages are in Bahasa Indonesia and name the value
found, so that a village operator can fix the spreadsheet without help.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
from django.utils.translation import gettext as _

from jamsos.core.importing.issues import ISSUE_SCHEMA, Validated, issue_rows
from jamsos.core.importing.parsing import normalise_phone, parse_date, parse_rupiah
from jamsos.core.importing.reader import ROW
from jamsos.regions.kpj import validate_kpj_frame
from jamsos.regions.nik import SEX_WORDS, validate_nik_frame
from jamsos.registry import categories
from jamsos.registry.importing.columns import BY_KEY as COLUMN
from jamsos.rules import bounds

#: Plausible age of a worker on the import date; outside this is a warning, not an error.
PLAUSIBLE_AGE = (15, 90)
MAX_WAGE = bounds.MAX_WAGE  # Rp per month: the engine's bound (docs/rules.md)
FUNDING_WORDS = {
    "APBD": "APBD", "APBDKAB": "APBD", "APBDKABUPATEN": "APBD", "PEMDA": "APBD",
    "APBDES": "APBDES", "APBDESA": "APBDES", "DANADESA": "APBDES", "DD": "APBDES",
    "ADD": "APBDES", "MANDIRI": "MANDIRI", "SENDIRI": "MANDIRI", "PRIBADI": "MANDIRI",
    "SWADAYA": "MANDIRI",
}


def _norm_text(expr: pl.Expr) -> pl.Expr:
    return expr.str.to_lowercase().str.replace_all(r"[^0-9a-z]", "")


def _issue(frame: pl.DataFrame, cond: pl.Expr, column: str, code: str | pl.Expr,
           message: pl.Expr | str, severity: str = "error") -> pl.DataFrame:
    return issue_rows(frame, cond, COLUMN[column].header if column in COLUMN else column,
                      code, message, severity)


def _fmt(template: str, *exprs: pl.Expr) -> pl.Expr:
    return pl.format(template, *exprs)


def validate(table_frame: pl.DataFrame, *, villages: pl.DataFrame, kabupaten_name: str,
             today: dt.date, outside: dict[str, str] | None = None,
             funding_defaults: pl.DataFrame | None = None) -> Validated:
    """``villages``: the uploader's desa/kelurahan with ``code``, ``name``, ``kecamatan_name``;
    ``outside``: desa codes of the deployment outside the uploader's area → where they lie;
    ``funding_defaults``: each kabupaten/kota's default funding source per category
    (``kabupaten``, ``category``, ``default_funding``; ``registry.selectors.
    funding_defaults_frame``): a row without Sumber dana takes its own regency's."""
    f = table_frame
    for key in COLUMN:
        if key not in f.columns:
            f = f.with_columns(pl.lit("", dtype=pl.String).alias(key))
    data_cols = [c for c in COLUMN]

    # Empty rows: trailing ones are dropped silently, others reported.
    empty = pl.all_horizontal([pl.col(c) == "" for c in data_cols])
    f = f.with_columns(__empty=empty)
    last_data_row = f.filter(~pl.col("__empty"))[ROW].max()
    f = f.filter(pl.col(ROW) <= (last_data_row or 0))
    rows = f.height
    parts: list[pl.DataFrame] = [
        _issue(f, pl.col("__empty"), "Baris", "empty_row",
               _("Baris kosong; dilewati."), "warning"),
    ]
    f = f.filter(~pl.col("__empty")).drop("__empty")

    # ---- text to values -------------------------------------------------------------
    birth, birth_impossible, birth_format = parse_date("tanggal_lahir")
    start, start_impossible, start_format = parse_date("tanggal_mulai")
    wage, wage_invalid = parse_rupiah("penghasilan")
    phone, phone_invalid, phone_lost_zero = normalise_phone("no_hp")
    cat_lookup = categories.category_lookup()
    sub_lookup = categories.subcategory_lookup()
    sub_cat = {k: v[0] for k, v in sub_lookup.items()}
    sub_key = {k: v[1] for k, v in sub_lookup.items()}
    f = f.with_columns(
        birth_date=birth, __birth_impossible=birth_impossible, __birth_format=birth_format,
        start_date=start, __start_impossible=start_impossible, __start_format=start_format,
        wage=wage, __wage_invalid=wage_invalid,
        phone=phone, __phone_invalid=phone_invalid, __phone_lost_zero=phone_lost_zero,
        sex=pl.col("jenis_kelamin").str.to_uppercase().replace_strict(
            SEX_WORDS, default=None, return_dtype=pl.String),
        __cat_norm=_norm_text(pl.col("kategori")),
        __sub_norm=_norm_text(pl.col("sub_kategori")),
        funding_source=pl.col("sumber_dana").str.to_uppercase().str.replace_all(r"[^A-Z]", "")
        .replace_strict(FUNDING_WORDS, default=None, return_dtype=pl.String),
        name=pl.col("nama").str.replace_all(r"\s+", " "),
        occupation=pl.col("pekerjaan").str.replace_all(r"\s+", " "),
    ).with_columns(
        category=pl.col("__cat_norm").replace_strict(cat_lookup, default=None,
                                                     return_dtype=pl.String),
        __sub_cat=pl.col("__sub_norm").replace_strict(sub_cat, default=None,
                                                      return_dtype=pl.String),
        subcategory=pl.col("__sub_norm").replace_strict(sub_key, default=None,
                                                        return_dtype=pl.String),
    ).with_columns(
        # A blank Kategori is taken from the Sub Kategori when that names one.
        category=pl.when(pl.col("kategori") == "").then(pl.col("__sub_cat"))
        .otherwise(pl.col("category")),
    )

    # ---- NIK and KPJ (shared validators) ---------------------------------------------
    f = validate_nik_frame(f, nik_col="nik", birth_date_col="birth_date", sex_col="sex",
                           today=today)
    f = validate_kpj_frame(f, kpj_col="kpj")

    # ---- desa ------------------------------------------------------------------------
    f = _resolve_desa(f, villages, kabupaten_name, outside or {})
    f = _join_funding_defaults(f, funding_defaults)

    # ---- issues ----------------------------------------------------------------------
    col = pl.col
    parts += [
        _issue(f, col("nik") == "", "nik", "required", _("NIK wajib diisi.")),
        _issue(f, (col("nik") != "") & col("nik_error_code").is_not_null(), "nik",
               col("nik_error_code"), col("nik_error_message")),
        _nik_warnings(f),
        _issue(f, col("name") == "", "nama", "required", _("Nama wajib diisi.")),
        _issue(f, col("name").str.len_chars() > 150, "nama", "too_long",
               _("Nama lebih dari 150 karakter.")),
        _issue(f, col("name").str.contains(r"\d"), "nama", "name_has_digits",
               _fmt(_("Nama '{}' mengandung angka; periksa apakah kolom tertukar."),
                    col("name")), "warning"),
        _issue(f, col("jenis_kelamin") == "", "jenis_kelamin", "required",
               _("Jenis kelamin wajib diisi (L atau P).")),
        _issue(f, (col("jenis_kelamin") != "") & col("sex").is_null(), "jenis_kelamin",
               "sex_invalid",
               _fmt(_("Jenis kelamin '{}' tidak dikenal; isi L atau P."), col("jenis_kelamin"))),
        _issue(f, col("tanggal_lahir") == "", "tanggal_lahir", "required",
               _("Tanggal lahir wajib diisi.")),
        _issue(f, col("__birth_format"), "tanggal_lahir", "date_format",
               _fmt(_("Tanggal lahir '{}' tidak dikenali; gunakan DD-MM-YYYY, DD/MM/YYYY atau "
                      "YYYY-MM-DD dengan tahun 4 digit."), col("tanggal_lahir"))),
        _issue(f, col("__birth_impossible"), "tanggal_lahir", "date_invalid",
               _fmt(_("Tanggal lahir '{}' tidak ada di kalender (dibaca sebagai hari-bulan-"
                      "tahun); mungkin tertulis bulan/hari oleh Excel."), col("tanggal_lahir"))),
        _issue(f, col("birth_date") > pl.lit(today), "tanggal_lahir", "date_future",
               _fmt(_("Tanggal lahir {} ada di masa depan."), col("tanggal_lahir"))),
        _issue(f, _age(today, PLAUSIBLE_AGE[0], PLAUSIBLE_AGE[1]), "tanggal_lahir",
               "age_implausible",
               _fmt(_("Umur menurut tanggal lahir {} di luar {}–{} tahun; periksa kembali."),
                    col("tanggal_lahir"), pl.lit(PLAUSIBLE_AGE[0]), pl.lit(PLAUSIBLE_AGE[1])),
               "warning"),
        *_desa_issues(f),
        _issue(f, (col("kategori") == "") & col("__sub_cat").is_null(), "kategori", "required",
               _("Kategori wajib diisi (a–e atau nama kategori).")),
        _issue(f, (col("kategori") != "") & col("category").is_null(), "kategori",
               "category_unknown",
               _fmt(_("Kategori '{}' tidak dikenal; pilih salah satu: {}."), col("kategori"),
                    pl.lit("; ".join(f"{c.letter}) {c.label}" for c in categories.CATEGORIES)))),
        _issue(f, (col("sub_kategori") != "") & col("subcategory").is_null(), "sub_kategori",
               "subcategory_unknown",
               _fmt(_("Sub kategori '{}' tidak dikenal."), col("sub_kategori"))),
        _issue(f, col("category").is_not_null() & col("__sub_cat").is_not_null()
               & (col("category") != col("__sub_cat")), "sub_kategori", "subcategory_mismatch",
               _fmt(_("Sub kategori '{}' bukan bagian dari kategori '{}'."),
                    col("sub_kategori"), col("kategori"))),
        _issue(f, (col("category") == "pekerja_rentan") & (col("occupation") == ""),
               "pekerjaan", "occupation_missing",
               _("Pekerjaan pekerja rentan belum diisi."), "warning"),
        _issue(f, col("occupation").str.len_chars() > 100, "pekerjaan", "too_long",
               _("Pekerjaan lebih dari 100 karakter.")),
        _issue(f, col("__phone_invalid"), "no_hp", "phone_invalid",
               _fmt(_("No HP '{}' tidak valid; tulis seperti 081234567890."), col("no_hp"))),
        _issue(f, col("__phone_lost_zero"), "no_hp", "phone_leading_zero",
               _fmt(_("No HP '{}' kehilangan angka 0 di depan (kolom berformat angka); "
                      "dibaca sebagai {}."), col("no_hp"), col("phone")), "warning"),
        _kpj_issues(f),
        _issue(f, col("__wage_invalid"), "penghasilan", "amount_invalid",
               _fmt(_("Penghasilan '{}' bukan jumlah rupiah bulat (contoh: 1500000 atau "
                      "1.500.000)."), col("penghasilan"))),
        _issue(f, col("wage") > MAX_WAGE, "penghasilan", "amount_too_large",
               _fmt(_("Penghasilan Rp {} per bulan tidak wajar."), col("wage"))),
        _issue(f, (col("sumber_dana") != "") & col("funding_source").is_null(), "sumber_dana",
               "funding_unknown",
               _fmt(_("Sumber dana '{}' tidak dikenal; isi APBD, APBDes atau Mandiri."),
                    col("sumber_dana"))),
        _issue(f, col("funding_source").is_null() & (col("sumber_dana") == "")
               & col("category").is_not_null() & col("desa_code").is_not_null()
               & col("__default_funding").is_null(), "sumber_dana", "funding_default_assumed",
               _fmt(_("Sumber dana kosong dan kabupaten/kota desa ini belum menetapkan sumber "
                      "dana bawaan kategori ini; dicatat {} (bawaan kategori). Isi kolom "
                      "Sumber dana bila lain."), col("category").replace_strict(
                   {c.key: str(categories.FUNDING_SOURCES[c.funding])
                    for c in categories.CATEGORIES}, default="", return_dtype=pl.String)),
               "warning"),
        _issue(f, col("__start_format"), "tanggal_mulai", "date_format",
               _fmt(_("Tanggal mulai '{}' tidak dikenali; gunakan DD-MM-YYYY."),
                    col("tanggal_mulai"))),
        _issue(f, col("__start_impossible"), "tanggal_mulai", "date_invalid",
               _fmt(_("Tanggal mulai '{}' tidak ada di kalender."), col("tanggal_mulai"))),
        _issue(f, col("start_date") > pl.lit(today + dt.timedelta(days=366)), "tanggal_mulai",
               "date_future", _fmt(_("Tanggal mulai {} lebih dari setahun ke depan."),
                                   col("tanggal_mulai"))),
        *_duplicate_issues(f, data_cols),
    ]
    issues = pl.concat([p.cast(ISSUE_SCHEMA) for p in parts]).sort(["row", "severity"])

    rejected_ids = issues.filter(pl.col("severity") == "error")["row"].unique()
    skipped_ids = issues.filter(pl.col("code") == "duplicate_row")["row"].unique()
    ok = f.filter(~pl.col(ROW).is_in(pl.concat([rejected_ids, skipped_ids]).implode()))
    first_of_month = today.replace(day=1)
    valid = ok.select(
        pl.col(ROW).alias("row"),
        pl.col("nik_norm").alias("nik"),
        "name", "sex", "birth_date",
        pl.col("desa_code"),
        "category",
        pl.col("subcategory").fill_null(""),
        "occupation",
        "phone",
        pl.when(pl.col("kpj") == "").then(None).otherwise(pl.col("kpj_norm")).alias("kpj"),
        "wage",
        pl.coalesce(
            "funding_source",
            "__default_funding",  # the row's own regency's default (issue 16)
            pl.col("category").replace_strict(
                {c.key: c.funding for c in categories.CATEGORIES}, return_dtype=pl.String),
        ).alias("funding_source"),
        pl.col("category").replace_strict(
            {c.key: c.segment for c in categories.CATEGORIES}, return_dtype=pl.String
        ).alias("segment"),
        pl.col("start_date").fill_null(pl.lit(first_of_month)),
    )
    return Validated(valid=valid, issues=issues, rows=rows)


def _join_funding_defaults(f: pl.DataFrame, defaults: pl.DataFrame | None) -> pl.DataFrame:
    """``__default_funding``: the default funding source of the row's category in the row's
    kabupaten/kota (null when that regency has set none)."""
    schema = {"kabupaten": pl.String, "category": pl.String, "default_funding": pl.String}
    if defaults is None:
        defaults = pl.DataFrame(schema=schema)
    defaults = defaults.select(pl.col("kabupaten").alias("__kab"), "category",
                               pl.col("default_funding").alias("__default_funding"))
    kab = pl.col("desa_code").str.split(".").list.slice(0, 2).list.join(".")
    return (f.with_columns(kab.alias("__kab"))
            .join(defaults, on=["__kab", "category"], how="left", maintain_order="left")
            .drop("__kab"))


def _age(today: dt.date, low: int, high: int) -> pl.Expr:
    years = (pl.lit(today.year) - pl.col("birth_date").dt.year())
    return pl.col("birth_date").is_not_null() & (pl.col("birth_date") <= pl.lit(today)) & (
        (years < low) | (years > high)
    )


def _nik_warnings(f: pl.DataFrame) -> pl.DataFrame:
    w = f.filter(pl.col("nik_warning_codes").list.len() > 0).select(
        pl.col(ROW).alias("row"), pl.col("nik_warning_codes").alias("code"),
        pl.col("nik_warning_messages").alias("message"),
    ).explode(["code", "message"])
    return w.select(
        "row", pl.lit(COLUMN["nik"].header).alias("column"), "code", "message",
        pl.lit("warning").alias("severity"),
    )


def _kpj_issues(f: pl.DataFrame) -> pl.DataFrame:
    """KPJ is optional: an empty cell is fine, anything else must be a KPJ."""
    given = f.filter(pl.col("kpj") != "")
    errors = _issue(given, pl.col("kpj_error_code").is_not_null(), "kpj",
                    pl.col("kpj_error_code"), pl.col("kpj_error_message"))
    warnings = given.filter(pl.col("kpj_warning_codes").list.len() > 0).select(
        pl.col(ROW).alias("row"), pl.lit(COLUMN["kpj"].header).alias("column"),
        pl.col("kpj_warning_codes").alias("code"),
        pl.col("kpj_warning_messages").alias("message"),
    ).explode(["code", "message"]).with_columns(severity=pl.lit("warning"))
    return pl.concat([errors.cast(ISSUE_SCHEMA), warnings.cast(ISSUE_SCHEMA)])


def _resolve_desa(f: pl.DataFrame, villages: pl.DataFrame, kabupaten_name: str,
                  outside: dict[str, str]) -> pl.DataFrame:
    """Add ``desa_code`` (null if unresolved) and ``__desa_problem`` (an issue code)."""
    code_in = pl.col("kode_desa").str.replace_all(r"\s", "")
    code_in = pl.when(code_in.str.contains(r"^\d{10}$")).then(
        pl.concat_str(code_in.str.slice(0, 2), pl.lit("."), code_in.str.slice(2, 2), pl.lit("."),
                      code_in.str.slice(4, 2), pl.lit("."), code_in.str.slice(6, 4))
    ).otherwise(code_in)
    # Name matching: (kecamatan, desa) name key → the codes carrying it (names repeat).
    keyed = villages.with_columns(
        __key=pl.concat_str(_place_key(pl.col("kecamatan_name")), pl.lit("|"),
                            _place_key(pl.col("name"))))
    by_key = keyed.group_by("__key").agg(pl.col("code").sort())
    codes_of = dict(zip(by_key["__key"], by_key["code"].to_list(), strict=True))
    unique_code = {k: v[0] for k, v in codes_of.items() if len(v) == 1}
    ambiguous = {k: ", ".join(v) for k, v in codes_of.items() if len(v) > 1}
    has_names = (pl.col("desa") != "") & (pl.col("kecamatan") != "")
    name_key = pl.when(has_names).then(pl.concat_str(
        _place_key(pl.col("kecamatan")), pl.lit("|"), _place_key(pl.col("desa"))))
    f = f.with_columns(__code_in=code_in, __name_key=name_key).with_columns(
        __code_known=pl.col("__code_in").is_in(villages["code"].implode()),
        __name_code=pl.col("__name_key").replace_strict(unique_code, default=None,
                                                        return_dtype=pl.String),
        __name_codes=pl.col("__name_key").replace_strict(ambiguous, default=None,
                                                         return_dtype=pl.String),
    )
    has_code = pl.col("__code_in") != ""
    f = f.with_columns(__outside=pl.col("__code_in").replace_strict(
        outside, default=None, return_dtype=pl.String) if outside else pl.lit(None, pl.String))
    return f.with_columns(
        desa_code=pl.when(has_code & pl.col("__code_known")).then(pl.col("__code_in"))
        .when(~has_code & has_names).then(pl.col("__name_code")),
        __desa_problem=pl.when(has_code & ~pl.col("__code_known")
                               & pl.col("__outside").is_not_null())
        .then(pl.lit("desa_outside_area"))
        .when(has_code & ~pl.col("__code_known"))
        .then(pl.lit("desa_code_unknown"))
        .when(~has_code & ~has_names).then(pl.lit("desa_required"))
        .when(~has_code & pl.col("__name_codes").is_not_null()).then(pl.lit("desa_ambiguous"))
        .when(~has_code & pl.col("__name_code").is_null()).then(pl.lit("desa_not_found"))
        .when(has_code & has_names & pl.col("__name_code").is_not_null()
              & (pl.col("__name_code") != pl.col("__code_in"))).then(pl.lit("desa_name_mismatch")),
        __kabupaten=pl.lit(kabupaten_name),
    )


def _place_key(expr: pl.Expr) -> pl.Expr:
    """Name key that ignores case, spaces, punctuation and a leading 'Desa'/'Kecamatan'."""
    return (expr.str.to_lowercase()
            .str.replace(r"^\s*(desa|kelurahan|kel\.|kecamatan|kec\.)\s+", "")
            .str.replace_all(r"[^0-9a-z]", ""))


def _desa_issues(f: pl.DataFrame) -> list[pl.DataFrame]:
    p = pl.col("__desa_problem")
    return [
        _issue(f, p == "desa_code_unknown", "kode_desa", "desa_code_unknown",
               _fmt(_("Kode desa '{}' tidak ada di {} (gunakan kode Kemendagri, "
                      "contoh 16.02.13.2005)."), pl.col("kode_desa"), pl.col("__kabupaten"))),
        _issue(f, p == "desa_outside_area", "kode_desa", "desa_outside_area",
               _fmt(_("Kode desa '{}' ada di {}, di luar wilayah Anda ({}); baris ditolak."),
                    pl.col("kode_desa"), pl.col("__outside"), pl.col("__kabupaten"))),
        _issue(f, p == "desa_required", "kode_desa", "desa_required",
               _("Isi Kode Desa, atau Kecamatan dan Desa.")),
        _issue(f, p == "desa_not_found", "desa", "desa_not_found",
               _fmt(_("Desa '{}' di Kecamatan '{}' tidak ditemukan di {}."), pl.col("desa"),
                    pl.col("kecamatan"), pl.col("__kabupaten"))),
        _issue(f, p == "desa_ambiguous", "desa", "desa_ambiguous",
               _fmt(_("Nama desa '{}' di Kecamatan '{}' tidak unik ({}); isi Kode Desa."),
                    pl.col("desa"), pl.col("kecamatan"), pl.col("__name_codes"))),
        _issue(f, p == "desa_name_mismatch", "desa", "desa_name_mismatch",
               _fmt(_("Kode desa {} tidak cocok dengan nama desa '{}' ({}); kode yang dipakai."),
                    pl.col("__code_in"), pl.col("desa"), pl.col("__name_code")), "warning"),
    ]


def _duplicate_issues(f: pl.DataFrame, data_cols: list[str]) -> list[pl.DataFrame]:
    """Rows repeated within the file, and one NIK given conflicting personal data.

    Windows run over 64-bit row hashes rather than the strings themselves; the frame is in row
    order, so a window's ``min`` row is the first occurrence.
    """
    row_hash = pl.struct(data_cols).hash(seed=1)
    role_hash = pl.struct("nik_norm", "category", pl.col("subcategory").fill_null("")).hash(seed=2)
    person_hash = pl.struct("name", "birth_date", "sex").hash(seed=3)
    g = f.with_columns(__h_row=row_hash, __h_role=role_hash, __h_person=person_hash).with_columns(
        __first_exact=pl.col(ROW).min().over("__h_row"),
        __first_role=pl.col(ROW).min().over("__h_role"),
        __first_nik=pl.col(ROW).min().over("nik_norm"),
        __first_sig=pl.col("__h_person").first().over("nik_norm"),
    )
    has_nik = pl.col("nik_norm").is_not_null()
    exact = pl.col("__first_exact") < pl.col(ROW)
    return [
        _issue(g, exact, "Baris", "duplicate_row",
               _fmt(_("Baris ini sama persis dengan baris {}; dilewati."),
                    pl.col("__first_exact")), "warning"),
        _issue(g, has_nik & ~exact & pl.col("category").is_not_null()
               & (pl.col("__first_role") < pl.col(ROW)), "nik", "duplicate_nik_role",
               _fmt(_("NIK {} dengan kategori yang sama sudah ada di baris {}."),
                    pl.col("nik_norm"), pl.col("__first_role"))),
        _issue(g, has_nik & ~exact & (pl.col("__first_nik") < pl.col(ROW))
               & (pl.col("__h_person") != pl.col("__first_sig")), "nik", "nik_conflict",
               _fmt(_("NIK {} sudah dipakai di baris {} dengan nama/tanggal lahir/jenis kelamin "
                      "berbeda."), pl.col("nik_norm"), pl.col("__first_nik"))),
    ]
