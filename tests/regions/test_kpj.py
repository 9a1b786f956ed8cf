"""KPJ (BPJS Ketenagakerjaan participant number) checks."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jamsos.regions.kpj import validate_kpj, validate_kpj_frame


def codes(value):
    r = validate_kpj(value)
    return [e.code for e in r.errors], [w.code for w in r.warnings]


@pytest.mark.parametrize(
    "value", ["12345678901", " 123 4567 8901 ", "123.456.789-01", "'01234567890", 12345678901]
)
def test_valid(value):
    r = validate_kpj(value)
    assert r.is_valid and r.warnings == ()
    assert r.kpj is not None and len(r.kpj) == 11


def test_legacy_letters_warn():
    r = validate_kpj("ab123456789")
    assert r.is_valid
    assert r.kpj == "AB123456789"
    assert codes("AB123456789") == ([], ["kpj_legacy"])
    assert "Jamsostek" in r.warnings[0].message


@pytest.mark.parametrize("value", [None, "", "  ", "'"])
def test_missing(value):
    assert codes(value) == (["kpj_missing"], [])


@pytest.mark.parametrize("value", ["1.23457E+10", "1,23457E+10", "12345678901e0"])
def test_scientific(value):
    assert codes(value) == (["kpj_scientific_notation"], [])


@pytest.mark.parametrize("value", ["1234567890", "123456789", 1234567890, "1234567890.0"])
def test_leading_zero_lost(value):
    r = validate_kpj(value)
    assert [e.code for e in r.errors] == ["kpj_leading_zero_lost"]
    assert "angka 0" in r.errors[0].message


def test_numeric_cell_warns():
    assert codes("12345678901.0") == ([], ["kpj_numeric_cell"])
    assert validate_kpj("12345678901.0").kpj == "12345678901"


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("123456789012", "ditemukan 12 karakter"),
        ("12345", "ditemukan 5 karakter"),
        ("1234567890/", "“/”"),
        ("AB12345678", "ditemukan 10 karakter"),
    ],
)
def test_format(value, fragment):
    r = validate_kpj(value)
    assert [e.code for e in r.errors] == ["kpj_format"]
    assert fragment in r.errors[0].message
    assert r.kpj is None


def test_frame_columns():
    df = pl.DataFrame({"kpj": ["12345678901", "AB123456789", "1234567890", None]})
    out = validate_kpj_frame(df)
    assert out["kpj_norm"].to_list() == ["12345678901", "AB123456789", None, None]
    assert out["kpj_valid"].to_list() == [True, True, False, False]
    assert out["kpj_error_code"].to_list() == [None, None, "kpj_leading_zero_lost", "kpj_missing"]
    assert out["kpj_warning_codes"].to_list() == [[], ["kpj_legacy"], [], []]
    assert out.schema["kpj_warning_messages"] == pl.List(pl.String)


def test_frame_int_column_loses_zero():
    out = validate_kpj_frame(pl.DataFrame({"kpj": [1234567890, 12345678901]}))
    assert out["kpj_error_code"].to_list() == ["kpj_leading_zero_lost", None]


kpj_values = st.one_of(
    st.from_regex(r"[0-9]{8,12}", fullmatch=True),
    st.from_regex(r"[0-9A-Za-z]{11}", fullmatch=True),
    st.from_regex(r"[0-9]{9,12}[.,]0{1,3}", fullmatch=True),
    st.from_regex(r"[0-9]\.[0-9]{1,6}[eE]\+?1[01]", fullmatch=True),
    st.text(alphabet="0123456789AbO .-,'\u00a0/eE+", max_size=16),
    st.text(max_size=14),
    st.none(),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(kpj_values, min_size=1, max_size=30))
def test_scalar_and_frame_agree(values):
    out = validate_kpj_frame(pl.DataFrame({"kpj": values}, schema={"kpj": pl.String}))
    for value, row in zip(values, out.iter_rows(named=True), strict=True):
        r = validate_kpj(value)
        first = r.errors[0] if r.errors else None
        assert (
            row["kpj_norm"],
            row["kpj_valid"],
            row["kpj_error_code"],
            row["kpj_error_message"],
            row["kpj_warning_codes"],
            row["kpj_warning_messages"],
        ) == (
            r.kpj,
            r.is_valid,
            first and first.code,
            first and first.message,
            [w.code for w in r.warnings],
            [w.message for w in r.warnings],
        ), repr(value)
