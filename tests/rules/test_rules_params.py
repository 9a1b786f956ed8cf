"""The data loader: overlaps rejected, missing values reported clearly, one-line additions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from jamsos.rules import DataError, MissingParameterError, ParameterSet, default_parameters
from jamsos.rules.params import _packaged_texts

CAP = """
[jp.wage_cap]
versions = [
  { from = 2024-03-01, value = 10_042_300, citation = "B/1387/022024" },
  { from = 2025-03-01, value = 10_547_400, citation = "B/726/022025" },
]
"""


def test_overlapping_explicit_to_is_rejected():
    text = """
[x.rate]
versions = [
  { from = 2025-01-01, to = 2025-06-30, value = 1, citation = "A" },
  { from = 2025-06-01, value = 2, citation = "B" },
]
"""
    with pytest.raises(DataError, match=r"overlapping effective periods for parameter 'x.rate'"):
        ParameterSet.from_texts({"a.toml": text})


def test_same_start_twice_is_rejected():
    text = """
[x.rate]
versions = [
  { from = 2025-01-01, value = 1, citation = "A" },
  { from = 2025-01-01, value = 2, citation = "B" },
]
"""
    with pytest.raises(DataError, match="overlapping"):
        ParameterSet.from_texts({"a.toml": text})


def test_overlap_across_two_files_is_rejected():
    other = """
[jp.wage_cap]
versions = [ { from = 2025-03-01, value = 1, citation = "dup" } ]
"""
    with pytest.raises(DataError, match=r"a.toml.*b.toml|b.toml.*a.toml"):
        ParameterSet.from_texts({"a.toml": CAP, "b.toml": other})


def test_versions_may_be_split_over_files_without_overlap():
    other = """
[jp.wage_cap]
versions = [ { from = 2026-03-01, value = 11_086_300, citation = "B/1226/022026" } ]
"""
    ps = ParameterSet.from_texts({"a.toml": CAP, "b.toml": other})
    assert ps.get("jp.wage_cap", dt.date(2026, 5, 1)).value == 11_086_300


def test_missing_parameter_for_date_is_a_clear_error():
    ps = ParameterSet.from_texts({"a.toml": CAP})
    with pytest.raises(MissingParameterError) as e:
        ps.get("jp.wage_cap", dt.date(2020, 1, 1))
    msg = str(e.value)
    assert "'jp.wage_cap'" in msg and "2020-01-01" in msg and "2024-03-01" in msg
    assert ps.get_optional("jp.wage_cap", dt.date(2020, 1, 1)) is None


def test_undefined_parameter_is_a_clear_error():
    with pytest.raises(MissingParameterError, match=r"no\.such"):
        default_parameters().get("no.such", dt.date(2025, 1, 1))


@pytest.mark.parametrize(
    ("version", "match"),
    [
        ("{ from = 2025-01-01, value = 1 }", "citation"),
        ('{ from = 2025-01-01, value = 1, citation = "" }', "citation"),
        ('{ value = 1, citation = "A" }', "'from'"),
        ('{ from = 2025-01-01, value = 1, citation = "A", colour = "red" }', "unknown key"),
        ('{ from = 2025-01-01, to = 2024-01-01, value = 1, citation = "A" }', "before"),
        ('{ from = "2025-01-01", value = 1, citation = "A" }', "TOML date"),
    ],
)
def test_malformed_versions_are_rejected(version, match):
    with pytest.raises(DataError, match=match):
        ParameterSet.from_texts({"a.toml": f"[x.y]\nversions = [ {version} ]\n"})


def test_floats_are_read_as_decimal():
    ps = ParameterSet.from_texts(
        {"a.toml": '[x.rate]\nversions = [ { from = 2025-01-01, value = 0.445, citation = "A" } ]'}
    )
    assert ps.get("x.rate", dt.date(2025, 1, 1)).value == Decimal("0.445")


def test_next_years_jp_cap_is_a_one_line_change():
    texts = _packaged_texts()
    anchor = "  { from = 2026-03-01, value = 11_086_300,"
    src = texts["contributions.toml"]
    line = '  { from = 2027-03-01, value = 11_600_000, citation = "SE BPJS TK B/xxx/022027" },\n'
    i = src.index(anchor)
    j = src.index("\n", i) + 1
    new = src[:j] + line + src[j:]
    assert len(new.splitlines()) == len(src.splitlines()) + 1
    ps = ParameterSet.from_texts({**texts, "contributions.toml": new})
    pv = ps.get("jp.wage_cap", dt.date(2027, 3, 1))
    assert pv.value == 11_600_000 and pv.citation == "SE BPJS TK B/xxx/022027"
    # and without it the engine refuses to reuse last year's cap
    with pytest.raises(MissingParameterError):
        default_parameters().get("jp.wage_cap", dt.date(2027, 3, 1))


def test_uncertain_start_window_flags_both_sides():
    ps = default_parameters()
    # PP 82/2019 believed 2019-12-02, maybe 2020-01-02
    assert ps.get("jkm.funeral", dt.date(2019, 12, 20)).unconfirmed
    assert not ps.get("jkm.funeral", dt.date(2020, 1, 3)).unconfirmed
    assert not ps.get("jkm.funeral", dt.date(2019, 12, 1)).unconfirmed


def test_packaged_data_is_consistent():
    ps = default_parameters()
    assert len(ps.names()) > 50
    for name in ps.names():
        for v in ps.versions(name):
            assert v.citation, name
            assert not isinstance(v.value, float), name
            # ";" separates citations when items merge them: never inside parentheses
            depth = 0
            for ch in v.citation:
                depth += (ch == "(") - (ch == ")")
                assert not (ch == ";" and depth > 0), (name, v.citation)


def test_unconfirmed_values_from_research_are_flagged_in_data():
    ps = default_parameters()
    on = dt.date.fromisoformat
    for name, date in [
        ("jkk.stmb_schedule", "2019-06-01"),  # pre-PP 82/2019 STMB
        ("jkm.periodic_benefit", "2019-06-01"),  # 4,8 jt vs 6 jt
        ("jkm.early_death", "2025-09-01"),  # Permenaker 1/2025 details
        ("jkm.jkp_share", "2025-06-01"),  # Pasal 18A after PP 6/2025
        ("jp.wage_cap", "2021-06-01"),  # 8.754.600 code-only
        ("jp.wage_cap", "2026-06-01"),  # 11.086.300 code-only
        ("jp.survivor_percent", "2025-06-01"),
        ("jp.benefit_max", "2024-06-01"),
        ("jkk.relief_discount", "2020-10-01"),  # PP 49/2020 months
        ("bpu.income_band_table", "2025-01-01"),
        ("jkk.scholarship_min_contribution_months", "2025-01-01"),
    ]:
        assert ps.get(name, on(date)).unconfirmed, name
    for name, date in [("jp.wage_cap", "2025-06-01"), ("jkm.death_lump_sum", "2025-01-01")]:
        assert not ps.get(name, on(date)).unconfirmed, name
