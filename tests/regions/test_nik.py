"""NIK validator: golden cases from the research note, and scalar/vectorised agreement."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jamsos.regions.catalog import province_codes, retired_codes, upper_regions
from jamsos.regions.nik import (
    NikCheck,
    generate_nik,
    mask_nik,
    normalise_sex,
    validate_nik,
    validate_nik_frame,
)

TODAY = date(2026, 6, 1)

CURRENT_KEC = sorted(c for c, r in upper_regions().items() if r.level == "kecamatan")
RETIRED_KEC = sorted(c for c in retired_codes() if c.count(".") == 2)
OKI_KEC = [c for c in CURRENT_KEC if c.startswith("16.02.")]


def codes(check: NikCheck) -> tuple[list[str], list[str]]:
    return [e.code for e in check.errors], [w.code for w in check.warnings]


# --- golden cases (research note §3, §4.1) -------------------------------------------------------


def test_lempuing_male_1945_valid():
    r = validate_nik("1602131708450001", today=TODAY)
    assert r.is_valid
    assert r.errors == () and r.warnings == ()
    assert r.nik == "1602131708450001"
    assert r.sex == "L"
    assert r.birth_date == date(1945, 8, 17)
    assert r.region_code == "16.02.13"
    assert r.region_name == "Lempuing"


def test_serial_0000_is_error():
    r = validate_nik("1602135708450000", today=TODAY)
    assert codes(r) == (["nik_serial"], [])
    assert r.sex == "P"
    assert r.birth_date == date(1945, 8, 17)  # the rest still decodes
    assert "0000" in r.errors[0].message


def test_31_february_is_error():
    r = validate_nik("1602133102990001", today=TODAY)
    assert codes(r) == (["nik_birth_date"], [])
    assert r.birth_date is None
    assert r.region_name == "Lempuing"


def test_31_february_and_unknown_kecamatan():
    r = validate_nik("1602103102990001", today=TODAY)
    assert codes(r) == (["nik_birth_date"], ["nik_region_unknown"])
    assert r.region_code == "16.02.10"
    assert r.region_name is None
    assert "16.02.10" in r.warnings[0].message


@pytest.mark.parametrize(("nik", "sex"), [("3171011708450001", "L"), ("3171015708450001", "P")])
def test_gambir_examples(nik, sex):
    r = validate_nik(nik, today=TODAY)
    assert r.is_valid and r.warnings == ()
    assert r.sex == sex
    assert r.birth_date == date(1945, 8, 17)
    assert r.region_name == "Gambir"


def test_papua_retired_prefix_warns_only():
    r = validate_nik("9101011708450001", today=TODAY)
    assert codes(r) == ([], ["nik_region_retired"])
    assert r.region_code == "91.01.01"
    assert r.region_name == "Merauke"
    assert "kode lama" in r.warnings[0].message


def test_leap_day_2000():
    r = validate_nik("1602132902000001", today=TODAY)
    assert r.is_valid
    assert r.birth_date == date(2000, 2, 29)


def test_leap_day_non_leap_year_is_error():
    assert codes(validate_nik("1602132902010001", today=TODAY))[0] == ["nik_birth_date"]


@pytest.mark.parametrize("ddmm", ["3112", "0107", "1503", "0101", "7112", "4107"])
def test_placeholder_dates_are_normal(ddmm):
    r = validate_nik(f"160213{ddmm}600001", today=TODAY)
    assert r.is_valid and r.warnings == ()


# --- format and spreadsheet damage ---------------------------------------------------------------


def test_format_length_message():
    r = validate_nik("160213170845001", today=TODAY)
    assert codes(r) == (["nik_format"], [])
    assert r.errors[0].message == "NIK harus 16 digit angka; ditemukan 15 digit."
    assert r.nik is None


def test_format_bad_character_names_it():
    r = validate_nik("16021317O8450001", today=TODAY)
    assert r.errors[0].code == "nik_format"
    assert "“O”" in r.errors[0].message


@pytest.mark.parametrize(
    "value",
    [
        " 1602 1317 0845 0001 ",
        "1602.1317.0845.0001",
        "160213-170845-0001",
        "'1602131708450001",
        "\u00a01602131708450001\t",
    ],
)
def test_separators_stripped(value):
    r = validate_nik(value, today=TODAY)
    assert r.is_valid and r.nik == "1602131708450001"


@pytest.mark.parametrize("value", [None, "", "   ", "'"])
def test_missing(value):
    assert codes(validate_nik(value, today=TODAY)) == (["nik_missing"], [])


@pytest.mark.parametrize(
    "value", ["1.60201E+15", "1,60201E+15", "1.602011708450001e15", "1.60213E15", "1,6E+15"]
)
def test_scientific_notation(value):
    r = validate_nik(value, today=TODAY)
    assert codes(r) == (["nik_scientific_notation"], [])
    assert "Teks" in r.errors[0].message


@pytest.mark.parametrize(
    "value",
    ["1602011708450000.0", "1602131708450010.0", "1602131708450000,00", "9201011708450001.0"],
)
def test_precision_lost(value):
    r = validate_nik(value, today=TODAY)
    assert codes(r) == (["nik_precision_lost"], [])


def test_numeric_cell_with_intact_digits_warns():
    r = validate_nik("1602131708450001.0", today=TODAY)
    assert r.is_valid
    assert codes(r) == ([], ["nik_numeric_cell"])
    assert r.nik == "1602131708450001"


def test_int_and_float_inputs():
    assert validate_nik(1602131708450001, today=TODAY).is_valid
    assert codes(validate_nik(1602131708450001.0, today=TODAY))[1] == ["nik_numeric_cell"]
    assert codes(validate_nik(1.602e15, today=TODAY))[0] == ["nik_precision_lost"]


# --- region / structure --------------------------------------------------------------------------


def test_unknown_province_is_error_and_no_region_warning():
    r = validate_nik("9902011708450001", today=TODAY)
    assert codes(r) == (["nik_province"], [])
    assert "“99”" in r.errors[0].message


@pytest.mark.parametrize("nik", ["1600131708450001", "1602001708450001"])
def test_zero_region_parts(nik):
    assert codes(validate_nik(nik, today=TODAY)) == (["nik_region_zero"], [])


def test_errors_accumulate_in_order():
    r = validate_nik("9900009999990000", today=TODAY)
    assert codes(r)[0] == ["nik_province", "nik_region_zero", "nik_birth_date", "nik_serial"]


def test_migrant_prefix_is_fine():
    # Pitfall 1: validated against the national list, not only OKI.
    r = validate_nik(generate_nik("33.74.01", date(1980, 7, 1), "P", 12), today=TODAY)
    assert r.is_valid and r.warnings == ()


@pytest.mark.parametrize("dd", ["00", "32", "40", "72", "99"])
def test_day_field_out_of_range(dd):
    r = validate_nik(f"160213{dd}0845" + "0001", today=TODAY)
    assert codes(r)[0] == ["nik_birth_date"]
    assert r.sex is None


# --- century -------------------------------------------------------------------------------------


def test_century_window():
    assert validate_nik("1602130101260001", today=TODAY).birth_date == date(2026, 1, 1)
    # later this year cannot be a birth date: previous century
    assert validate_nik("1602130112260001", today=TODAY).birth_date == date(1926, 12, 1)
    assert validate_nik("1602130101270001", today=TODAY).birth_date == date(1927, 1, 1)
    assert validate_nik("1602130101990001", today=TODAY).birth_date == date(1999, 1, 1)


def test_declared_birth_date_resolves_century():
    nik = generate_nik("16.02.05", date(1925, 3, 1), "P", 7)
    r = validate_nik(nik, today=TODAY)
    assert r.birth_date == date(2025, 3, 1)  # ambiguous without documents
    r = validate_nik(nik, today=TODAY, declared_birth_date=date(1925, 3, 1))
    assert r.birth_date == date(1925, 3, 1)
    assert r.warnings == ()


def test_future_relative_to_old_today_is_error():
    assert codes(validate_nik("1602130101980001", today=date(1995, 1, 1)))[0] == ["nik_birth_date"]


# --- declared data: warnings, never errors -------------------------------------------------------


def test_declared_mismatches_are_warnings():
    r = validate_nik(
        "1602131708450001", today=TODAY, declared_birth_date=date(1945, 8, 18), declared_sex="P"
    )
    assert r.is_valid
    assert codes(r) == ([], ["nik_birth_date_mismatch", "nik_sex_mismatch"])
    assert "17-08-1945" in r.warnings[0].message and "18-08-1945" in r.warnings[0].message
    assert "Laki-laki" in r.warnings[1].message and "Perempuan" in r.warnings[1].message
    assert r.birth_date == date(1945, 8, 17)


@pytest.mark.parametrize("spelling", ["L", "l", "Laki-laki", " LAKI LAKI ", "Pria", "M"])
def test_declared_sex_spellings(spelling):
    assert normalise_sex(spelling) == "L"
    r = validate_nik("1602131708450001", today=TODAY, declared_sex=spelling)
    assert r.warnings == ()


def test_unrecognised_declared_sex_is_ignored():
    assert validate_nik("1602131708450001", today=TODAY, declared_sex="?").warnings == ()


# --- helpers -------------------------------------------------------------------------------------


def test_generate_nik():
    assert generate_nik("16.02.13", date(1945, 8, 17), "L", 1) == "1602131708450001"
    assert generate_nik("317101", date(1945, 8, 17), "P", 1) == "3171015708450001"
    with pytest.raises(ValueError):
        generate_nik("16.02", date(1945, 8, 17), "L", 1)
    with pytest.raises(ValueError):
        generate_nik("16.02.13", date(1945, 8, 17), "X", 1)
    with pytest.raises(ValueError):
        generate_nik("16.02.13", date(1945, 8, 17), "L", 0)


def test_mask_nik():
    assert mask_nik("1602131708450001") == "160213******0001"
    assert mask_nik(None) == ""


# --- vectorised ----------------------------------------------------------------------------------


def test_frame_columns_and_dtypes():
    df = pl.DataFrame({"id": [1, 2], "nik": ["1602131708450001", "1.60201E+15"]})
    out = validate_nik_frame(df, today=TODAY)
    assert out.columns[:2] == ["id", "nik"]
    assert out.schema["nik_norm"] == pl.String
    assert out.schema["nik_valid"] == pl.Boolean
    assert out.schema["nik_error_code"] == pl.String
    assert out.schema["nik_error_message"] == pl.String
    assert out.schema["nik_warning_codes"] == pl.List(pl.String)
    assert out.schema["nik_warning_messages"] == pl.List(pl.String)
    assert out.schema["nik_birth_date"] == pl.Date
    assert out.schema["nik_sex"] == pl.String
    assert out["nik_error_code"].to_list() == [None, "nik_scientific_notation"]
    assert out["nik_warning_codes"].to_list() == [[], []]
    assert out["nik_region_name"].to_list() == ["Lempuing", None]


def test_frame_numeric_columns():
    ints = pl.DataFrame({"nik": [1602131708450001, None]}, schema={"nik": pl.Int64})
    out = validate_nik_frame(ints, today=TODAY)
    assert out["nik_valid"].to_list() == [True, False]
    floats = pl.DataFrame({"nik": [1602131708450001.0, 1.602e15]})
    out = validate_nik_frame(floats, today=TODAY)
    assert out["nik_error_code"].to_list() == [None, "nik_precision_lost"]
    assert out["nik_warning_codes"].to_list() == [["nik_numeric_cell"], []]


def test_frame_preserves_row_order_and_height():
    niks = [generate_nik(c, date(1990, 1, 1), "L", 1) for c in reversed(CURRENT_KEC[:500])]
    df = pl.DataFrame({"nik": [*niks, "x"]})
    out = validate_nik_frame(df, today=TODAY)
    assert out.height == df.height
    assert out["nik"].to_list() == df["nik"].to_list()
    assert out["nik_region_code"].to_list()[:-1] == list(reversed(CURRENT_KEC[:500]))


# --- properties: scalar == vectorised ------------------------------------------------------------

todays = st.dates(date(2000, 1, 1), date(2090, 12, 31))
sexes = st.sampled_from(["L", "P"])
any_region = st.one_of(
    st.sampled_from(OKI_KEC),
    st.sampled_from(CURRENT_KEC),
    st.sampled_from(RETIRED_KEC),
    st.from_regex(r"[0-9]{2}\.[0-9]{2}\.[0-9]{2}", fullmatch=True),
)
leap_days = (
    st.integers(1900, 2096)
    .filter(lambda y: y % 4 == 0 and (y % 100 != 0 or y % 400 == 0))
    .map(lambda y: date(y, 2, 29))
)
edge_dates = st.sampled_from(
    [date(2000, 2, 29), date(1900, 3, 1), date(2000, 3, 1), date(1999, 12, 31), date(1945, 8, 17)]
)
birth_dates = st.one_of(st.dates(date(1900, 1, 1), date(2099, 12, 31)), leap_days, edge_dates)


@st.composite
def valid_nik_parts(draw):
    """A NIK born within the last 100 years (so the century is unambiguous without documents)."""
    today = draw(todays)
    try:
        lower = date(today.year - 100, today.month, today.day)
    except ValueError:  # 29 Feb
        lower = date(today.year - 100, 3, 1)
    window_leap_days = [
        date(y, 2, 29)
        for y in range(lower.year, today.year + 1)
        if y % 4 == 0 and (y % 100 != 0 or y % 400 == 0) and lower < date(y, 2, 29) <= today
    ]
    born = draw(
        st.one_of(st.dates(lower + timedelta(days=1), today), st.sampled_from(window_leap_days))
    )
    region = draw(st.sampled_from(CURRENT_KEC + RETIRED_KEC))
    return region, born, draw(sexes), draw(st.integers(1, 9999)), today


@st.composite
def nik_values(draw):
    """Valid NIKs and many kinds of damage."""
    region = draw(any_region)
    born = draw(birth_dates)
    nik = generate_nik(region, born, draw(sexes), draw(st.integers(1, 9999)))
    kind = draw(st.integers(0, 14))
    if kind == 0:
        return nik
    if kind == 1:
        return nik[:12] + "0000"
    if kind == 2:
        return nik[:2] + "00" + nik[4:]
    if kind == 3:
        return nik[:4] + "00" + nik[6:]
    if kind == 4:
        return draw(st.from_regex(r"[0-9]{2}", fullmatch=True)) + nik[2:]
    if kind == 5:
        return nik[:6] + draw(st.from_regex(r"[0-9]{6}", fullmatch=True)) + nik[12:]
    if kind == 6:
        return draw(st.from_regex(r"[0-9]{0,20}", fullmatch=True))
    if kind == 7:
        sep = draw(st.sampled_from([".", ","]))
        mant = draw(st.integers(0, 12))
        return f"{int(nik) / 1e15:.{mant}f}".replace(".", sep) + draw(
            st.sampled_from(["E+15", "e15", "E15", "e+15"])
        )
    if kind == 8:
        return repr(float(nik))
    if kind == 9:
        return nik + draw(st.sampled_from([".0", ",00", ".000"]))
    if kind == 10:
        chars = list(nik)
        for _ in range(draw(st.integers(1, 4))):
            pos = draw(st.integers(0, len(chars)))
            chars.insert(pos, draw(st.sampled_from([" ", ".", "-", "\u00a0", "\t"])))
        return "".join(chars)
    if kind == 11:
        return draw(st.text(alphabet="0123456789 .-,eE+'O\u00a0x\u200b", max_size=22))
    if kind == 12:
        return draw(st.text(max_size=20))
    if kind == 13:
        return draw(st.sampled_from(["'", "", "  ", None, "'" + nik, " " + nik + " "]))
    return nik[:-1] if draw(st.booleans()) else nik + draw(st.from_regex("[0-9]", fullmatch=True))


declared_dates = st.one_of(st.none(), birth_dates)
declared_sexes = st.one_of(
    st.none(), st.sampled_from(["L", "P", "Laki-laki", "perempuan", " p ", "x", "", "Wanita"])
)


def assert_frame_agrees(rows, today):
    df = pl.DataFrame(
        {
            "nik": [r[0] for r in rows],
            "tgl": [r[1] for r in rows],
            "jk": [r[2] for r in rows],
        },
        schema={"nik": pl.String, "tgl": pl.Date, "jk": pl.String},
    )
    out = validate_nik_frame(df, birth_date_col="tgl", sex_col="jk", today=today)
    assert out.height == len(rows)
    for (value, tgl, jk), row in zip(rows, out.iter_rows(named=True), strict=True):
        exp = validate_nik(value, today=today, declared_birth_date=tgl, declared_sex=jk)
        first = exp.errors[0] if exp.errors else None
        got = (
            row["nik_norm"],
            row["nik_valid"],
            row["nik_error_code"],
            row["nik_error_message"],
            row["nik_warning_codes"],
            row["nik_warning_messages"],
            row["nik_birth_date"],
            row["nik_sex"],
            row["nik_region_code"],
            row["nik_region_name"],
        )
        want = (
            exp.nik,
            exp.is_valid,
            first and first.code,
            first and first.message,
            [w.code for w in exp.warnings],
            [w.message for w in exp.warnings],
            exp.birth_date,
            exp.sex,
            exp.region_code,
            exp.region_name,
        )
        assert got == want, repr(value)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(st.tuples(nik_values(), declared_dates, declared_sexes), min_size=1, max_size=40),
    today=todays,
)
def test_scalar_and_frame_agree(rows, today):
    assert_frame_agrees(rows, today)


@settings(max_examples=200, deadline=None)
@given(parts=valid_nik_parts(), declared=st.booleans())
def test_generated_valid_nik_round_trips(parts, declared):
    region, born, sex, serial, today = parts
    nik = generate_nik(region, born, sex, serial)
    r = validate_nik(
        nik,
        today=today,
        declared_birth_date=born if declared else None,
        declared_sex=sex if declared else None,
    )
    assert r.errors == ()
    assert r.nik == nik
    assert r.birth_date == born
    assert r.sex == sex
    assert r.region_code == region
    expected_warn = ["nik_region_retired"] if region in RETIRED_KEC else []
    assert [w.code for w in r.warnings] == expected_warn
    assert_frame_agrees([(nik, born if declared else None, sex if declared else None)], today)


@settings(max_examples=100, deadline=None)
@given(region=any_region, born=st.dates(date(1900, 1, 1), TODAY), sex=sexes)
def test_declared_birth_date_always_resolves_century(region, born, sex):
    r = validate_nik(generate_nik(region, born, sex, 1), today=TODAY, declared_birth_date=born)
    assert r.birth_date == born
    assert "nik_birth_date_mismatch" not in [w.code for w in r.warnings]


GOLDEN = [
    "1602131708450001",
    "1602135708450000",
    "1602133102990001",
    "1602103102990001",
    "3171011708450001",
    "3171015708450001",
    "9101011708450001",
    "1602132902000001",
    "1602132902010001",
    "1602130112260001",
    "9900009999990000",
    "1.60201E+15",
    "1602011708450000.0",
    "1602131708450001.0",
    "9201011708450001.0",
    "160213170845001",
    "16021317O8450001",
    " 1602.1317-0845 0001 ",
    "'",
    None,
]


@pytest.mark.parametrize("today", [TODAY, date(2000, 2, 29), date(2026, 12, 31), date(1995, 1, 1)])
def test_frame_agrees_on_golden_values(today):
    rows = [
        (v, d, s)
        for v in GOLDEN
        for d in (None, date(1945, 8, 17), date(1900, 2, 28))
        for s in (None, "P")
    ]
    assert_frame_agrees(rows, today)


def test_province_codes_match_note():
    # §4.2 item 9: 38 provinces
    assert len(province_codes()) == 38
