"""NIK (Nomor Induk Kependudukan) checks: one value at a time, or a whole polars frame.

A NIK has 16 digits, ``PP KK CC DD MM YY SSSS``:

* ``PPKKCC``: Kemendagri kecamatan code where the NIK was *first registered* (not the address);
* ``DDMMYY``: birth date, with 40 added to the day for women;
* ``SSSS``: issue serial, 0001–9999. There is no check digit.

Rules follow ``shared/research/regions-and-nik.md`` §4.3. **Errors** mean the value cannot be a
NIK and must be corrected; **warnings** never block the record.

Normalisation
    Outer whitespace is trimmed and one leading apostrophe (Excel's "text" marker) is dropped.
    Then spaces, ``.`` and ``-`` are removed anywhere (``1602.1317-0845 0001`` is fine). The
    whitespace set is :data:`WHITESPACE` (explicit, so the scalar and polars versions agree), and
    only ASCII ``0-9`` count as digits.

Spreadsheet damage (checked *before* the separators are removed)
    ``nik_scientific_notation`` (error)
        ``1.60201E+15``, ``1,60201E+15``, ``1.602011708450001e15``: the cell was formatted as a
        number and shown in scientific notation; the digits are gone.
    ``nik_precision_lost`` (error)
        A 16-digit value with a float tail (``1602011708450000.0`` / ``…,00``) whose last digit
        is ``0`` (Excel keeps only 15 significant digits, so the 16th became 0), or which is
        above 2**53 (a float64 cannot hold every integer there, so the last digit may have moved).
    ``nik_numeric_cell`` (warning)
        A 16-digit value with a float tail whose digits are still exact (e.g. pandas wrote
        ``1602131708450001.0``); the ``.0`` is dropped and the NIK checked normally.
    ``nik_leading_zero_lost`` is deliberately **not** used for NIKs: no valid NIK starts with 0
    (provinces are 11–96), so Excel's dropping of leading zeros cannot damage one. A 15-digit
    value is simply a ``nik_format`` error. (KPJ numbers can start with 0; see :mod:`.kpj`.)

Error codes (at most one from the first group; the rest can accumulate, in this order)
    ``nik_missing``, ``nik_scientific_notation``, ``nik_precision_lost``, ``nik_format``;
    then ``nik_province``, ``nik_region_zero``, ``nik_birth_date``, ``nik_serial``.

Warning codes (in this order)
    ``nik_numeric_cell``, ``nik_region_retired`` *or* ``nik_region_unknown`` (only looked up when
    the province is known and neither KK nor CC is 00), ``nik_birth_date_mismatch``,
    ``nik_sex_mismatch``.

Birth date and century
    ``DD`` 01–31 is male (``L``), 41–71 female (``P``); anything else is ``nik_birth_date``.
    The year is 20YY when that date is not after ``today``, otherwise 19YY (a date later this
    year cannot be a birth date, so it belongs to the previous century); the date must exist in
    that year (29-02-00 is valid: 2000 is a leap year). If a declared birth date is given and its
    day, month and two-digit year equal the NIK's, the declared date is taken as the NIK birth
    date, which resolves the century for people aged 100 or more, and no mismatch is reported.
    Dates such as 31-12, 01-07, 15-MM and 01-01 are normal registry placeholders and are never
    flagged.

Sex is decoded whenever the day field is in range (even if e.g. the month is wrong).

:func:`validate_nik` returns all errors; :func:`validate_nik_frame` reports the first error per
row (same code and message as ``validate_nik(...).errors[0]``) and all warnings as
``list[str]`` columns (empty list when none), in the same order as the scalar version.

NIK is personal data: use :func:`mask_nik` before logging.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Literal

import polars as pl

from jamsos.regions.catalog import province_codes, retired_codes, upper_regions

__all__ = [
    "Issue",
    "NikCheck",
    "generate_nik",
    "mask_nik",
    "normalise_sex",
    "region_frame",
    "validate_nik",
    "validate_nik_frame",
]

Sex = Literal["L", "P"]

#: Whitespace removed from NIK/KPJ values (explicit, so Python and polars agree exactly).
WHITESPACE = " \t\r\n\f\v\u00a0\u2007\u202f\u200b\ufeff"
_WS_CLASS = "".join(
    {"\t": r"\t", "\r": r"\r", "\n": r"\n", "\f": r"\f", "\v": r"\x0B"}.get(c, c)
    for c in WHITESPACE
)
#: Characters dropped anywhere inside the value.
SEPARATOR_RE = f"[{_WS_CLASS}.\\-]"
#: Excel/float scientific notation: ``1.60201E+15``, ``1,60201E+15``, ``1.6e15``.
SCIENTIFIC_RE = r"^\+?[0-9]+(?:[.,][0-9]*)?[eE][+\-]?[0-9]+$"
#: A 16-digit number with a float tail: ``1602011708450000.0``.
FLOAT_TAIL_RE = r"^([0-9]{16})[.,]0+$"
#: 2**53 as a 16-digit string: above this a float64 cannot hold every integer.
FLOAT_EXACT_LIMIT = "9007199254740992"
_DIGITS_RE = "^[0-9]*$"

SEX_WORDS = {
    "L": "L",
    "LK": "L",
    "LAKI": "L",
    "LAKI-LAKI": "L",
    "LAKI LAKI": "L",
    "LAKILAKI": "L",
    "PRIA": "L",
    "M": "L",
    "MALE": "L",
    "P": "P",
    "PR": "P",
    "PEREMPUAN": "P",
    "WANITA": "P",
    "W": "P",
    "F": "P",
    "FEMALE": "P",
}
_SEX_LABEL = {"L": "Laki-laki", "P": "Perempuan"}

# --- messages (Bahasa Indonesia, for a village operator) -----------------------------------------

MSG_MISSING = "NIK kosong. Isi 16 digit NIK sesuai KTP atau Kartu Keluarga."
MSG_SCIENTIFIC = (
    "NIK tertulis dalam format ilmiah (mis. 1,60201E+15) karena kolom spreadsheet berformat "
    "Angka, sehingga sebagian digit NIK sudah hilang. Ubah format kolom NIK menjadi Teks, lalu "
    "ketik ulang NIK dari KTP/KK."
)
MSG_PRECISION = (
    "NIK tersimpan sebagai angka di spreadsheet, sehingga digit terakhirnya bisa berubah "
    "(Excel hanya menyimpan 15 digit). Ubah format kolom NIK menjadi Teks, lalu ketik ulang NIK "
    "dari KTP/KK."
)
MSG_NUMERIC_CELL = (
    "NIK tersimpan sebagai angka di spreadsheet (berakhiran .0). Digitnya masih utuh, tetapi "
    "sebaiknya format kolom NIK diubah menjadi Teks agar tidak rusak."
)
MSG_FORMAT_CHAR = "NIK hanya boleh berisi angka 0–9; ditemukan karakter “{}”."
MSG_FORMAT_LEN = "NIK harus 16 digit angka; ditemukan {} digit."
MSG_PROVINCE = (
    "Kode provinsi “{}” (2 digit pertama NIK) tidak dikenal. Periksa kembali NIK dengan KTP/KK."
)
MSG_REGION_ZERO = (
    "Kode kabupaten/kota (digit 3–4) dan kode kecamatan (digit 5–6) pada NIK tidak boleh 00; "
    "ditemukan “{}”. Periksa kembali NIK dengan KTP/KK."
)
MSG_BIRTH_DATE = (
    "Digit 7–12 NIK (“{}”) bukan tanggal lahir yang sah (format TTBBTT; untuk perempuan "
    "tanggal ditambah 40). Periksa kembali NIK dengan KTP/KK."
)
MSG_SERIAL = (
    "Nomor urut NIK (4 digit terakhir) tidak boleh 0000. Jika NIK pernah diketik di Excel "
    "sebagai angka, digit terakhirnya berubah menjadi 0: ubah format kolom menjadi Teks, lalu "
    "ketik ulang NIK dari KTP/KK."
)
MSG_REGION_RETIRED = (
    "Kode wilayah {} ({}) pada NIK adalah kode lama yang sudah tidak dipakai karena pemekaran "
    "wilayah. Ini wajar untuk NIK lama; NIK tetap diterima."
)
MSG_REGION_UNKNOWN = (
    "Kode wilayah {} pada NIK tidak ada dalam daftar wilayah Kemendagri 2025 maupun daftar kode "
    "lama. Periksa kembali NIK dengan KTP/KK; NIK tetap diterima."
)
MSG_BIRTH_MISMATCH = (
    "Tanggal lahir pada NIK ({}) berbeda dengan tanggal lahir yang diisi ({}). Ini bisa wajar "
    "(NIK tidak diganti saat tanggal lahir dikoreksi); pastikan tanggal lahir sesuai KK/akta."
)
MSG_SEX_MISMATCH = (
    "Jenis kelamin menurut NIK ({}) berbeda dengan jenis kelamin yang diisi ({}). Pada NIK "
    "perempuan, tanggal lahir ditambah 40. Pastikan data sesuai KTP/KK."
)


@dataclass(frozen=True, slots=True)
class Issue:
    """One finding: a stable English ``code`` and a ``message`` for the operator (Indonesian)."""

    code: str
    message: str


@dataclass(frozen=True, slots=True)
class NikCheck:
    nik: str | None
    errors: tuple[Issue, ...]
    warnings: tuple[Issue, ...]
    birth_date: date | None
    sex: Sex | None
    region_code: str | None
    region_name: str | None

    @property
    def is_valid(self) -> bool:
        return not self.errors


# --- helpers -------------------------------------------------------------------------------------


def mask_nik(nik: str | None) -> str:
    """``1602131708450001`` → ``160213******0001`` (for logs and screenshots)."""
    if not nik:
        return ""
    return nik[:6] + "*" * max(len(nik) - 10, 0) + nik[-4:] if len(nik) > 10 else "*" * len(nik)


def normalise_sex(value: object) -> Sex | None:
    """``L``/``P`` from common spellings (``Laki-laki``, ``Perempuan``, ``M``/``F``…), else None."""
    if value is None:
        return None
    return SEX_WORDS.get(str(value).strip(WHITESPACE).upper())  # type: ignore[return-value]


def _fmt_date(d: date) -> str:
    return f"{d.day:02d}-{d.month:02d}-{d.year:04d}"


def _days_in_month(year: int, month: int) -> int:
    if month == 2:
        leap = (year % 4 == 0 and year % 100 != 0) or year % 400 == 0
        return 29 if leap else 28
    return 30 if month in (4, 6, 9, 11) else 31


@cache
def _kecamatan_lookup() -> tuple[dict[str, str], dict[str, str]]:
    current = {c: r.name for c, r in upper_regions().items() if r.level == "kecamatan"}
    retired = {c: n for c, n in retired_codes().items() if c.count(".") == 2 and c not in current}
    return current, retired


@cache
def region_frame() -> pl.DataFrame:
    """Kecamatan codes (dotted) with name and status ``current``/``retired``, for joins."""
    current, retired = _kecamatan_lookup()
    return pl.DataFrame(
        {
            "__nik_rc": [*current, *retired],
            "__nik_rname": [*current.values(), *retired.values()],
            "__nik_rretired": [False] * len(current) + [True] * len(retired),
        },
        schema={"__nik_rc": pl.String, "__nik_rname": pl.String, "__nik_rretired": pl.Boolean},
    )


def generate_nik(region_code: str, birth_date: date, sex: str, serial: int) -> str:
    """Build a NIK: ``generate_nik("16.02.13", date(1945, 8, 17), "L", 1)`` → ``1602131708450001``.

    ``region_code`` is a kecamatan code, dotted or 6 digits (it is not looked up, so migrants'
    and retired prefixes work). ``sex`` is ``L`` or ``P`` (40 is added to the day for ``P``).
    """
    digits = region_code.replace(".", "")
    if not re.fullmatch("[0-9]{6}", digits):
        raise ValueError(f"region_code must be a kecamatan code PP.KK.CC, got {region_code!r}")
    sx = normalise_sex(sex)
    if sx is None:
        raise ValueError(f"sex must be 'L' or 'P', got {sex!r}")
    if not 1 <= serial <= 9999:
        raise ValueError(f"serial must be 1..9999, got {serial!r}")
    day = birth_date.day + (40 if sx == "P" else 0)
    return f"{digits}{day:02d}{birth_date.month:02d}{birth_date.year % 100:02d}{serial:04d}"


# --- scalar --------------------------------------------------------------------------------------


def _fail(issue: Issue) -> NikCheck:
    return NikCheck(None, (issue,), (), None, None, None, None)


def validate_nik(
    value: str | int | None,
    *,
    today: date,
    declared_birth_date: date | None = None,
    declared_sex: str | None = None,
) -> NikCheck:
    """Check one NIK. ``today`` fixes the century rule; declared data only ever give warnings."""
    warnings: list[Issue] = []
    if value is None:
        return _fail(Issue("nik_missing", MSG_MISSING))
    raw = str(value).strip(WHITESPACE)
    raw = raw.removeprefix("'")
    if raw == "":
        return _fail(Issue("nik_missing", MSG_MISSING))
    if re.fullmatch(SCIENTIFIC_RE, raw):
        return _fail(Issue("nik_scientific_notation", MSG_SCIENTIFIC))
    if m := re.fullmatch(FLOAT_TAIL_RE, raw):
        s = m.group(1)
        if s.endswith("0") or s > FLOAT_EXACT_LIMIT:
            return _fail(Issue("nik_precision_lost", MSG_PRECISION))
        warnings.append(Issue("nik_numeric_cell", MSG_NUMERIC_CELL))
    else:
        s = re.sub(SEPARATOR_RE, "", raw)
        if bad := re.search("[^0-9]", s):
            return _fail(Issue("nik_format", MSG_FORMAT_CHAR.format(bad.group())))
        if len(s) != 16:
            return _fail(Issue("nik_format", MSG_FORMAT_LEN.format(len(s))))

    errors: list[Issue] = []
    pp, kk, cc = s[0:2], s[2:4], s[4:6]
    region_code = f"{pp}.{kk}.{cc}"
    region_name: str | None = None
    province_ok = pp in province_codes()
    if not province_ok:
        errors.append(Issue("nik_province", MSG_PROVINCE.format(pp)))
    if kk == "00" or cc == "00":
        errors.append(Issue("nik_region_zero", MSG_REGION_ZERO.format(kk + cc)))
    elif province_ok:
        current, retired = _kecamatan_lookup()
        if region_code in current:
            region_name = current[region_code]
        elif region_code in retired:
            region_name = retired[region_code]
            warnings.append(
                Issue("nik_region_retired", MSG_REGION_RETIRED.format(region_code, region_name))
            )
        else:
            warnings.append(Issue("nik_region_unknown", MSG_REGION_UNKNOWN.format(region_code)))

    dd, mm, yy = int(s[6:8]), int(s[8:10]), int(s[10:12])
    sex: Sex | None = "L" if 1 <= dd <= 31 else "P" if 41 <= dd <= 71 else None
    day = dd - 40 if dd > 40 else dd
    year = 2000 + yy
    if (year, mm, day) > (today.year, today.month, today.day):
        year -= 100
    birth: date | None = None
    if (
        sex is not None
        and 1 <= mm <= 12
        and day <= _days_in_month(year, mm)
        and (year, mm, day) <= (today.year, today.month, today.day)
    ):
        birth = date(year, mm, day)
    else:
        errors.append(Issue("nik_birth_date", MSG_BIRTH_DATE.format(s[6:12])))

    if s[12:16] == "0000":
        errors.append(Issue("nik_serial", MSG_SERIAL))

    if birth is not None and declared_birth_date is not None:
        d = declared_birth_date
        if (d.day, d.month, d.year % 100) == (day, mm, yy):
            birth = d
        else:
            warnings.append(
                Issue(
                    "nik_birth_date_mismatch",
                    MSG_BIRTH_MISMATCH.format(_fmt_date(birth), _fmt_date(d)),
                )
            )
    dsex = normalise_sex(declared_sex)
    if sex is not None and dsex is not None and sex != dsex:
        warnings.append(
            Issue("nik_sex_mismatch", MSG_SEX_MISMATCH.format(_SEX_LABEL[sex], _SEX_LABEL[dsex]))
        )

    return NikCheck(s, tuple(errors), tuple(warnings), birth, sex, region_code, region_name)


# --- vectorised ----------------------------------------------------------------------------------


def _code(cond: pl.Expr, code: str) -> pl.Expr:
    return pl.when(cond).then(pl.lit(code))


def _msg(cond: pl.Expr, template: str, *args: pl.Expr) -> pl.Expr:
    """``template`` filled with ``args`` where ``cond`` holds, else null.

    The arguments are nulled first so that no string is built for rows without the issue
    (building a 200-character message for every row costs more than all the checks).
    """
    if not args:
        return pl.when(cond).then(pl.lit(template))
    return pl.format(template, *(pl.when(cond).then(a) for a in args))


_UNIT_SEP = "\x1f"


def _string_list(*items: pl.Expr) -> pl.Expr:
    """``List[String]`` of the non-null ``items`` (empty list when all are null).

    Faster than ``concat_list(...).list.drop_nulls()`` (about 0.05 s instead of 0.6 s for a
    million rows): join with a control character that never occurs in a code or message,
    then split.
    """
    joined = pl.concat_str(list(items), separator=_UNIT_SEP, ignore_nulls=True)
    return (
        pl.when(joined == "")
        .then(pl.lit([], pl.List(pl.String)))
        .otherwise(joined.str.split(_UNIT_SEP))
    )


def validate_nik_frame(
    df: pl.DataFrame,
    *,
    nik_col: str = "nik",
    birth_date_col: str | None = None,
    sex_col: str | None = None,
    today: date,
) -> pl.DataFrame:
    """Check a column of NIKs with set-based polars expressions (no per-row Python).

    Returns ``df`` with these columns added (replaced if present):

    ``nik_norm`` (String)
        normalised 16 digits, null when the value is not a 16-digit number;
    ``nik_valid`` (Boolean)
        no error;
    ``nik_error_code``, ``nik_error_message`` (String)
        first error, as ``validate_nik(...).errors[0]``; null when none;
    ``nik_warning_codes``, ``nik_warning_messages`` (List[String])
        all warnings in scalar order; empty list when none;
    ``nik_birth_date`` (Date), ``nik_sex`` (String ``L``/``P``)
        decoded, null when not decodable;
    ``nik_region_code``, ``nik_region_name`` (String)
        dotted ``PP.KK.CC`` of any 16-digit value; name from the 2025 or retired list.

    ``nik_col`` may be String or numeric (cast to String). ``birth_date_col`` must be Date or
    Datetime; ``sex_col`` is read with :func:`normalise_sex` spellings.
    """
    t = (today.year, today.month, today.day)
    col = pl.col(nik_col)
    dtype = df.schema[nik_col]
    if dtype != pl.String:
        col = col.cast(pl.String)

    raw = col.str.strip_chars(WHITESPACE).str.strip_prefix("'")
    missing = raw.is_null() | (raw == "")
    sci = raw.str.contains(SCIENTIFIC_RE)
    tail = raw.str.extract(FLOAT_TAIL_RE, 1)
    has_tail = tail.is_not_null()
    lost = has_tail & (tail.str.ends_with("0") | (tail > FLOAT_EXACT_LIMIT))
    stripped = raw.str.replace_all(SEPARATOR_RE, "")
    bad_char = stripped.str.extract("([^0-9])", 1)
    n_chars = stripped.str.len_chars()

    lf = df.lazy().with_columns(
        __nik_raw=raw,
        __nik_missing=missing,
        __nik_sci=sci,
        __nik_tail=tail,
        __nik_lost=lost,
        __nik_badch=bad_char,
        __nik_nchars=n_chars,
        __nik_stripped=stripped,
    )
    c = pl.col
    early = c("__nik_missing") | c("__nik_sci").fill_null(False) | c("__nik_lost").fill_null(False)
    fmt_char = ~early & c("__nik_tail").is_null() & c("__nik_badch").is_not_null()
    fmt_len = (
        ~early & c("__nik_tail").is_null() & c("__nik_badch").is_null() & (c("__nik_nchars") != 16)
    )
    norm = (
        pl.when(early | fmt_char | fmt_len)
        .then(None)
        .when(c("__nik_tail").is_not_null())
        .then(c("__nik_tail"))
        .otherwise(c("__nik_stripped"))
    )
    lf = lf.with_columns(
        nik_norm=norm,
        __nik_fmt_char=fmt_char,
        __nik_fmt_len=fmt_len,
    )
    n = c("nik_norm")
    pp, kk, cc = n.str.slice(0, 2), n.str.slice(2, 2), n.str.slice(4, 2)
    zero = (kk == "00") | (cc == "00")
    prov_ok = pp.is_in(sorted(province_codes()))
    dd = n.str.slice(6, 2).cast(pl.Int32)
    mm = n.str.slice(8, 2).cast(pl.Int32)
    yy = n.str.slice(10, 2).cast(pl.Int32)
    lf = lf.with_columns(
        nik_region_code=pl.concat_str([pp, kk, cc], separator="."),
        __nik_pp=pp,
        __nik_kkcc=n.str.slice(2, 4),
        __nik_zero=zero,
        __nik_prov_ok=prov_ok,
        __nik_dd=dd,
        __nik_mm=mm,
        __nik_yy=yy,
        __nik_serial0=n.str.slice(12, 4) == "0000",
    )
    dd, mm, yy = c("__nik_dd"), c("__nik_mm"), c("__nik_yy")
    sex = (
        pl.when(dd.is_between(1, 31))
        .then(pl.lit("L"))
        .when(dd.is_between(41, 71))
        .then(pl.lit("P"))
    )
    day = pl.when(dd > 40).then(dd - 40).otherwise(dd)
    y20 = 2000 + yy
    after_today = (y20 > t[0]) | ((y20 == t[0]) & ((mm > t[1]) | ((mm == t[1]) & (day > t[2]))))
    lf = lf.with_columns(
        nik_sex=sex,
        __nik_day=day,
        __nik_year=pl.when(after_today).then(y20 - 100).otherwise(y20),
    )
    day, year = c("__nik_day"), c("__nik_year")
    leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
    dim = (
        pl.when(mm == 2)
        .then(pl.when(leap).then(29).otherwise(28))
        .when(mm.is_in([4, 6, 9, 11]))
        .then(30)
        .otherwise(31)
    )
    not_future = (year < t[0]) | ((year == t[0]) & ((mm < t[1]) | ((mm == t[1]) & (day <= t[2]))))
    date_ok = (
        c("nik_sex").is_not_null() & mm.is_between(1, 12) & (day <= dim) & not_future
    ).fill_null(False)
    safe = pl.date(
        pl.when(date_ok).then(year).otherwise(2000),
        pl.when(date_ok).then(mm).otherwise(1),
        pl.when(date_ok).then(day).otherwise(1),
    )
    lf = lf.with_columns(
        __nik_date_ok=date_ok,
        nik_birth_date=pl.when(date_ok).then(safe),
    )

    # Region lookup: a hash join against the kecamatan table (2025 + retired).
    lf = lf.join(
        region_frame().lazy(),
        left_on="nik_region_code",
        right_on="__nik_rc",
        how="left",
        maintain_order="left",
    )
    lookup = c("__nik_prov_ok") & ~c("__nik_zero")
    retired = lookup & c("__nik_rretired").fill_null(False)
    unknown = lookup & c("__nik_rname").is_null()

    # Declared birth date / sex.
    bd_warn = pl.lit(None, pl.String)
    bd_msg = pl.lit(None, pl.String)
    if birth_date_col is not None:
        decl = pl.col(birth_date_col)
        if df.schema[birth_date_col] != pl.Date:
            decl = decl.cast(pl.Date)
        same = (decl.dt.day() == day) & (decl.dt.month() == mm) & (decl.dt.year() % 100 == yy)
        check = c("__nik_date_ok") & decl.is_not_null()
        lf = lf.with_columns(
            __nik_bd_same=check & same,
            __nik_bd_diff=check & ~same,
            __nik_decl=decl,
        )
        bd_warn = _code(c("__nik_bd_diff"), "nik_birth_date_mismatch")
        bd_msg = _msg(
            c("__nik_bd_diff"),
            MSG_BIRTH_MISMATCH,
            c("nik_birth_date").dt.strftime("%d-%m-%Y"),
            c("__nik_decl").dt.strftime("%d-%m-%Y"),
        )
        lf = lf.with_columns(
            nik_birth_date=pl.when(c("__nik_bd_same"))
            .then(c("__nik_decl"))
            .otherwise(c("nik_birth_date"))
        )
    sx_warn = pl.lit(None, pl.String)
    sx_msg = pl.lit(None, pl.String)
    if sex_col is not None:
        dsex = (
            pl.col(sex_col)
            .cast(pl.String)
            .str.strip_chars(WHITESPACE)
            .str.to_uppercase()
            .replace_strict(SEX_WORDS, default=None, return_dtype=pl.String)
        )
        labels = {"L": _SEX_LABEL["L"], "P": _SEX_LABEL["P"]}
        lf = lf.with_columns(__nik_dsex=dsex)
        diff = (c("nik_sex") != c("__nik_dsex")).fill_null(False)
        sx_warn = _code(diff, "nik_sex_mismatch")
        sx_msg = _msg(
            diff,
            MSG_SEX_MISMATCH,
            c("nik_sex").replace_strict(labels, default=None),
            c("__nik_dsex").replace_strict(labels, default=None),
        )

    numeric_cell = c("__nik_tail").is_not_null() & ~c("__nik_lost").fill_null(False)
    prov_bad = c("nik_norm").is_not_null() & ~c("__nik_prov_ok")
    date_bad = c("nik_norm").is_not_null() & ~c("__nik_date_ok")

    err_code = pl.coalesce(
        _code(c("__nik_missing"), "nik_missing"),
        _code(c("__nik_sci"), "nik_scientific_notation"),
        _code(c("__nik_lost"), "nik_precision_lost"),
        _code(c("__nik_fmt_char") | c("__nik_fmt_len"), "nik_format"),
        _code(prov_bad, "nik_province"),
        _code(c("__nik_zero"), "nik_region_zero"),
        _code(date_bad, "nik_birth_date"),
        _code(c("__nik_serial0"), "nik_serial"),
    )
    err_msg = pl.coalesce(
        _msg(c("__nik_missing"), MSG_MISSING),
        _msg(c("__nik_sci"), MSG_SCIENTIFIC),
        _msg(c("__nik_lost"), MSG_PRECISION),
        _msg(c("__nik_fmt_char"), MSG_FORMAT_CHAR, c("__nik_badch")),
        _msg(c("__nik_fmt_len"), MSG_FORMAT_LEN, c("__nik_nchars").cast(pl.String)),
        _msg(prov_bad, MSG_PROVINCE, c("__nik_pp")),
        _msg(c("__nik_zero"), MSG_REGION_ZERO, c("__nik_kkcc")),
        _msg(date_bad, MSG_BIRTH_DATE, c("nik_norm").str.slice(6, 6)),
        _msg(c("__nik_serial0"), MSG_SERIAL),
    )
    warn_codes = _string_list(
        _code(numeric_cell, "nik_numeric_cell"),
        pl.when(retired)
        .then(pl.lit("nik_region_retired"))
        .when(unknown)
        .then(pl.lit("nik_region_unknown")),
        bd_warn,
        sx_warn,
    )
    warn_msgs = _string_list(
        _msg(numeric_cell, MSG_NUMERIC_CELL),
        pl.coalesce(
            _msg(retired, MSG_REGION_RETIRED, c("nik_region_code"), c("__nik_rname")),
            _msg(unknown, MSG_REGION_UNKNOWN, c("nik_region_code")),
        ),
        bd_msg,
        sx_msg,
    )

    lf = lf.with_columns(
        nik_error_code=err_code,
        nik_error_message=err_msg,
        nik_warning_codes=warn_codes,
        nik_warning_messages=warn_msgs,
        nik_region_name=c("__nik_rname"),
    ).with_columns(nik_valid=c("nik_error_code").is_null())

    out_cols = [
        "nik_norm",
        "nik_valid",
        "nik_error_code",
        "nik_error_message",
        "nik_warning_codes",
        "nik_warning_messages",
        "nik_birth_date",
        "nik_sex",
        "nik_region_code",
        "nik_region_name",
    ]
    keep = [x for x in df.columns if x not in out_cols]
    return lf.select(*keep, *out_cols).collect()


# --- benchmark -----------------------------------------------------------------------------------


def _bench(n: int = 1_000_000, repeat: int = 3) -> float:
    """Time :func:`validate_nik_frame` on ``n`` synthetic rows; returns the best time in seconds."""
    import random
    import time

    rng = random.Random(42)
    current, _retired = _kecamatan_lookup()
    codes = list(current)
    oki = [k for k in codes if k.startswith("16.02.")]
    niks: list[str] = []
    births: list[date] = []
    sexes: list[str] = []
    for i in range(n):
        region = rng.choice(oki) if rng.random() < 0.8 else rng.choice(codes)
        b = date(rng.randint(1930, 2024), rng.randint(1, 12), rng.randint(1, 28))
        sx = rng.choice("LP")
        nik = generate_nik(region, b, sx, rng.randint(1, 3000))
        if i % 50 == 0:
            nik = nik[:-1]
        elif i % 97 == 0:
            nik = f"{nik[0]}.{nik[1:6]}E+15"
        niks.append(nik)
        births.append(b)
        sexes.append(sx)
    df = pl.DataFrame({"nik": niks, "tgl_lahir": births, "jk": sexes})
    today = date(2026, 6, 1)
    validate_nik_frame(df.head(1000), birth_date_col="tgl_lahir", sex_col="jk", today=today)
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        validate_nik_frame(df, birth_date_col="tgl_lahir", sex_col="jk", today=today)
        best = min(best, time.perf_counter() - start)
    return best


if __name__ == "__main__":
    print(f"validate_nik_frame, 1,000,000 rows: {_bench():.3f} s (best of 3)")
