"""KPJ (nomor peserta BPJS Ketenagakerjaan) checks: one value, or a whole polars frame.

Per ``shared/research/regions-and-nik.md`` §6: current KPJ numbers are 11 digits
(``^\\d{11}$``); older Jamsostek-era numbers may contain letters, so ``^[0-9A-Z]{11}$`` is
accepted with a warning. No public check digit is known, so nothing else is checked.

Normalisation is the same as for NIK (:mod:`.nik`): trim whitespace, drop one leading
apostrophe, remove spaces, ``.`` and ``-``; letters are upper-cased. Only ASCII ``0-9``/``A-Z``
count.

Codes
    ``kpj_missing`` (error)
        empty value.
    ``kpj_scientific_notation`` (error)
        ``1.23457E+10``: a number-formatted spreadsheet cell; digits are gone.
    ``kpj_leading_zero_lost`` (error)
        9 or 10 digits only: a KPJ that starts with 0 typed into a number-formatted cell loses
        its leading zero(s). Not padded automatically (it may also be a typo).
    ``kpj_format`` (error)
        anything else that is not 11 characters of ``0-9``/``A-Z``.
    ``kpj_numeric_cell`` (warning)
        an 11-digit value with a float tail (``12345678901.0``): digits intact, ``.0`` dropped.
    ``kpj_legacy`` (warning)
        11 characters with letters: an old Jamsostek-era number.

:func:`validate_kpj_frame` adds ``kpj_norm`` (String, null on error), ``kpj_valid`` (Boolean),
``kpj_error_code`` / ``kpj_error_message`` (String, null when none) and ``kpj_warning_codes`` /
``kpj_warning_messages`` (List[String], empty when none).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import polars as pl

from jamsos.regions.nik import SCIENTIFIC_RE, SEPARATOR_RE, WHITESPACE, Issue, _msg, _string_list

__all__ = ["KpjCheck", "validate_kpj", "validate_kpj_frame"]

KPJ_RE = "^[0-9]{11}$"
KPJ_LEGACY_RE = "^[0-9A-Z]{11}$"
_FLOAT_TAIL_RE = r"^([0-9]+)[.,]0+$"

MSG_MISSING = "Nomor KPJ kosong. Isi 11 digit nomor peserta BPJS Ketenagakerjaan (KPJ) dari kartu."
MSG_SCIENTIFIC = (
    "Nomor KPJ tertulis dalam format ilmiah (mis. 1,23457E+10) karena kolom spreadsheet "
    "berformat Angka, sehingga digitnya hilang. Ubah format kolom menjadi Teks, lalu ketik ulang "
    "KPJ dari kartu."
)
MSG_LEADING_ZERO = (
    "Nomor KPJ harus 11 digit; ditemukan {} digit. Jika KPJ pada kartu diawali angka 0, angka 0 "
    "itu hilang karena kolom spreadsheet berformat Angka: ubah format kolom menjadi Teks, lalu "
    "ketik ulang KPJ dari kartu."
)
MSG_FORMAT_CHAR = "Nomor KPJ hanya boleh berisi angka (dan huruf untuk kartu lama); ditemukan “{}”."
MSG_FORMAT_LEN = "Nomor KPJ harus 11 digit; ditemukan {} karakter."
MSG_NUMERIC_CELL = (
    "Nomor KPJ tersimpan sebagai angka di spreadsheet (berakhiran .0). Digitnya masih utuh, "
    "tetapi sebaiknya format kolom KPJ diubah menjadi Teks agar angka 0 di depan tidak hilang."
)
MSG_LEGACY = (
    "Nomor KPJ memuat huruf; ini format lama (era Jamsostek) dan tetap diterima. Pastikan huruf "
    "O dan I tidak tertukar dengan angka 0 dan 1."
)


@dataclass(frozen=True, slots=True)
class KpjCheck:
    kpj: str | None
    errors: tuple[Issue, ...]
    warnings: tuple[Issue, ...]

    @property
    def is_valid(self) -> bool:
        return not self.errors


def _fail(issue: Issue) -> KpjCheck:
    return KpjCheck(None, (issue,), ())


def validate_kpj(value: str | int | None) -> KpjCheck:
    """Check one KPJ number."""
    if value is None:
        return _fail(Issue("kpj_missing", MSG_MISSING))
    raw = str(value).strip(WHITESPACE).removeprefix("'")
    if raw == "":
        return _fail(Issue("kpj_missing", MSG_MISSING))
    if re.fullmatch(SCIENTIFIC_RE, raw):
        return _fail(Issue("kpj_scientific_notation", MSG_SCIENTIFIC))
    numeric = False
    if m := re.fullmatch(_FLOAT_TAIL_RE, raw):
        s, numeric = m.group(1), True
    else:
        s = re.sub(SEPARATOR_RE, "", raw)
    if bad := re.search("[^0-9A-Za-z]", s):
        return _fail(Issue("kpj_format", MSG_FORMAT_CHAR.format(bad.group())))
    s = s.upper()
    if re.fullmatch(KPJ_RE, s):
        warnings = (Issue("kpj_numeric_cell", MSG_NUMERIC_CELL),) if numeric else ()
        return KpjCheck(s, (), warnings)
    if re.fullmatch(KPJ_LEGACY_RE, s):
        return KpjCheck(s, (), (Issue("kpj_legacy", MSG_LEGACY),))
    if re.fullmatch("[0-9]{9,10}", s):
        return _fail(Issue("kpj_leading_zero_lost", MSG_LEADING_ZERO.format(len(s))))
    return _fail(Issue("kpj_format", MSG_FORMAT_LEN.format(len(s))))


def validate_kpj_frame(df: pl.DataFrame, *, kpj_col: str = "kpj") -> pl.DataFrame:
    """Vectorised :func:`validate_kpj`; adds the columns listed in the module docstring."""
    c = pl.col
    col = c(kpj_col)
    if df.schema[kpj_col] != pl.String:
        col = col.cast(pl.String)
    raw = col.str.strip_chars(WHITESPACE).str.strip_prefix("'")
    tail = raw.str.extract(_FLOAT_TAIL_RE, 1)
    lf = df.lazy().with_columns(
        __kpj_missing=raw.is_null() | (raw == ""),
        __kpj_sci=raw.str.contains(SCIENTIFIC_RE),
        __kpj_numeric=tail.is_not_null(),
        __kpj_s=pl.coalesce(tail, raw.str.replace_all(SEPARATOR_RE, "")),
    )
    s = c("__kpj_s")
    lf = lf.with_columns(
        __kpj_bad=s.str.extract("([^0-9A-Za-z])", 1),
        __kpj_up=s.str.to_uppercase(),
        __kpj_len=s.str.len_chars(),
    )
    early = c("__kpj_missing") | c("__kpj_sci").fill_null(False)
    bad = ~early & c("__kpj_bad").is_not_null()
    ok_checks = ~early & c("__kpj_bad").is_null()
    up = c("__kpj_up")
    digits = ok_checks & up.str.contains(KPJ_RE)
    legacy = ok_checks & ~digits & up.str.contains(KPJ_LEGACY_RE)
    zero_lost = ok_checks & ~digits & ~legacy & up.str.contains("^[0-9]{9,10}$")
    fmt_len = ok_checks & ~digits & ~legacy & ~zero_lost
    lf = lf.with_columns(
        __kpj_digits=digits,
        __kpj_legacy=legacy,
        __kpj_zero=zero_lost,
        __kpj_fmtlen=fmt_len,
        __kpj_fmtchar=bad,
    )
    numeric_warn = c("__kpj_digits") & c("__kpj_numeric")
    length = c("__kpj_len").cast(pl.String)
    lf = lf.with_columns(
        kpj_norm=pl.when(c("__kpj_digits") | c("__kpj_legacy")).then(up),
        kpj_error_code=pl.coalesce(
            pl.when(c("__kpj_missing")).then(pl.lit("kpj_missing")),
            pl.when(c("__kpj_sci")).then(pl.lit("kpj_scientific_notation")),
            pl.when(c("__kpj_fmtchar") | c("__kpj_fmtlen")).then(pl.lit("kpj_format")),
            pl.when(c("__kpj_zero")).then(pl.lit("kpj_leading_zero_lost")),
        ),
        kpj_error_message=pl.coalesce(
            pl.when(c("__kpj_missing")).then(pl.lit(MSG_MISSING)),
            pl.when(c("__kpj_sci")).then(pl.lit(MSG_SCIENTIFIC)),
            _msg(c("__kpj_fmtchar"), MSG_FORMAT_CHAR, c("__kpj_bad")),
            _msg(c("__kpj_fmtlen"), MSG_FORMAT_LEN, length),
            _msg(c("__kpj_zero"), MSG_LEADING_ZERO, length),
        ),
        kpj_warning_codes=_string_list(
            pl.when(numeric_warn).then(pl.lit("kpj_numeric_cell")),
            pl.when(c("__kpj_legacy")).then(pl.lit("kpj_legacy")),
        ),
        kpj_warning_messages=_string_list(
            pl.when(numeric_warn).then(pl.lit(MSG_NUMERIC_CELL)),
            pl.when(c("__kpj_legacy")).then(pl.lit(MSG_LEGACY)),
        ),
    ).with_columns(kpj_valid=c("kpj_error_code").is_null())
    out = [
        "kpj_norm",
        "kpj_valid",
        "kpj_error_code",
        "kpj_error_message",
        "kpj_warning_codes",
        "kpj_warning_messages",
    ]
    keep = [x for x in df.columns if x not in out]
    return lf.select(*keep, *out).collect()
