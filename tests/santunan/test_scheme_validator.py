"""The one check of a death-grant version (``params.version_errors``, issue 16): the scheme file's
loader and the service storing a user's version refuse the same versions, for the same fields."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jamsos.santunan.params import DataError, overlap_errors, parse_scheme, version_errors

CATALOGUE = {"sktm": "SKTM", "akta_kematian": "Akta kematian"}
GOOD_PARTS = ["Perbup OKU 9/2024 tentang Santunan Kematian", "Perwali Palembang 3/2023",
              "PP 82/2019", "Perda OKI 1/2026"]
BAD_PARTS = ["Tribun Sumsel 2 Sep 2025", "https://sumsel.tribunnews.com/x", "", "Koran OKI",
             "perbup kecil"]
NUMBERS = st.one_of(st.integers(-5, 400), st.none(), st.booleans(), st.floats(0, 20),
                    st.just("7"))


def whole(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


@st.composite
def versions(draw):
    start = draw(st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31)))
    end = draw(st.one_of(st.none(), st.dates(dt.date(2020, 1, 1), dt.date(2031, 12, 31))))
    parts = draw(st.lists(st.sampled_from(GOOD_PARTS + BAD_PARTS), min_size=1, max_size=3))
    return {
        "valid_from": start, "valid_to": end,
        "amount": draw(st.one_of(st.integers(-10, 5_000_000), st.floats(1, 10), st.none(),
                                 st.just(True))),
        "max_decile": draw(NUMBERS), "sla_days": draw(NUMBERS), "notify_day": draw(NUMBERS),
        "documents": draw(st.lists(st.sampled_from(["sktm", "akta_kematian", "ktp"]),
                                   max_size=3)),
        "max_days_after_death": draw(st.one_of(st.none(), st.integers(-3, 400))),
        "min_age_years": draw(st.one_of(st.none(), st.integers(-3, 120))),
        "citation": "; ".join(parts),
    }


def expected_faults(v: dict) -> set[str]:
    out = set()
    if v["valid_to"] is not None and v["valid_to"] < v["valid_from"]:
        out.add("valid_to")
    if not whole(v["amount"]) or v["amount"] <= 0:
        out.add("amount")
    if not whole(v["max_decile"]) or not 1 <= v["max_decile"] <= 10:
        out.add("max_decile")
    sla, day = v["sla_days"], v["notify_day"]
    if not whole(sla) or not 1 <= sla <= 365:
        out.add("sla_days")
    if not whole(day) or day < 1 or (whole(sla) and day > sla):
        out.add("notify_day")
    if not v["documents"] or "ktp" in v["documents"]:
        out.add("documents")
    for k in ("max_days_after_death", "min_age_years"):
        if v[k] is not None and v[k] < 0:
            out.add(k)
    if any(p.strip() not in GOOD_PARTS for p in v["citation"].split(";")):
        out.add("citation")
    return out


@settings(max_examples=300, deadline=None)
@given(versions())
def test_the_validator_names_exactly_the_fields_at_fault(v):
    assert set(version_errors(v, documents=CATALOGUE)) == expected_faults(v)


@settings(max_examples=200, deadline=None)
@given(versions())
def test_the_scheme_file_loader_refuses_exactly_what_the_validator_refuses(v):
    item = {"from": v["valid_from"], **{k: v[k] for k in (
        "amount", "max_decile", "sla_days", "notify_day", "documents", "citation")}}
    if v["valid_to"] is not None:
        item["to"] = v["valid_to"]
    for k in ("max_days_after_death", "min_age_years"):
        if v[k] is not None:
            item[k] = v[k]
    doc = {"documents": CATALOGUE, "scheme": {"versions": [item]}}
    if expected_faults(v):
        with pytest.raises(DataError):
            parse_scheme(doc)
    else:
        assert parse_scheme(doc).versions[0].amount == v["amount"]


@given(st.lists(st.tuples(st.dates(dt.date(2020, 1, 1), dt.date(2030, 1, 1)),
                          st.one_of(st.none(), st.integers(0, 800))), min_size=1, max_size=4))
def test_versions_overlap_when_two_are_in_force_on_one_day(spans):
    from types import SimpleNamespace

    rows = [SimpleNamespace(valid_from=a, valid_to=None if n is None else a
                            + dt.timedelta(days=n)) for a, n in spans]
    days = [{r.valid_from + dt.timedelta(days=i) for i in range(
        ((r.valid_to or dt.date(2032, 1, 1)) - r.valid_from).days + 1)} for r in rows]
    clash = any(days[i] & days[j] for i in range(len(days)) for j in range(i + 1, len(days)))
    assert bool(overlap_errors(rows)) == clash
