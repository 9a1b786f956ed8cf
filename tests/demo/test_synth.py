"""Synthetic OKI workers: counts, NIK validity, regions, determinism, doubles, targets.

Runs without Django settings: ``.venv/bin/pytest -p no:django tests/demo -q``.
"""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from jamsos.demo import names
from jamsos.demo.synth import (
    DEFAULT_DOUBLES,
    DEFAULT_PLAN,
    TRANSMIGRATION,
    demo_targets,
    demo_workers,
    output_headers,
)
from jamsos.regions.catalog import VILLAGE_LEVELS, iter_regions
from jamsos.regions.nik import validate_nik
from jamsos.registry.categories import BY_KEY as CATEGORIES
from jamsos.registry.importing.columns import BY_KEY as COLUMNS

TODAY = date(2025, 9, 2)
EXPECTED = {
    "non_asn": 4_798,
    "perangkat_desa": 5_302,
    "kelembagaan_desa": 29_161,
    "rt_rw": 5_232,
    "pekerja_rentan": 31_500,
}
N_DOUBLES = sum(d.count for d in DEFAULT_DOUBLES)
PERSON_COLS = ["NIK", "Nama", "Jenis Kelamin", "Tanggal Lahir", "Kode Desa"]


@pytest.fixture(scope="module")
def workers() -> pl.DataFrame:
    return demo_workers()


@pytest.fixture(scope="module")
def people(workers: pl.DataFrame) -> pl.DataFrame:
    return workers.unique("NIK", keep="first", maintain_order=True)


@pytest.fixture(scope="module")
def oki_villages() -> dict[str, str]:
    return {
        r.code: r.level
        for r in iter_regions()
        if r.level in VILLAGE_LEVELS and r.code.startswith("16.02.")
    }


def _date(s: str) -> date:
    d, m, y = map(int, s.split("-"))
    return date(y, m, d)


# --- shape and counts ------------------------------------------------------------------------


def test_headers_are_the_import_columns(workers: pl.DataFrame) -> None:
    keys = [
        "nik", "nama", "jenis_kelamin", "tanggal_lahir", "kode_desa", "kategori",
        "sub_kategori", "pekerjaan", "no_hp", "kpj", "penghasilan", "sumber_dana",
        "tanggal_mulai",
    ]
    assert workers.columns == [COLUMNS[k].header for k in keys] == output_headers()
    assert all(dtype == pl.String for dtype in workers.dtypes)


def test_include_names_adds_kecamatan_and_desa() -> None:
    small = demo_workers(plan={"rt_rw": 50}, doubles=(), include_names=True)
    assert small.columns == output_headers(include_names=True)
    assert small.height == 50
    assert small["Kecamatan"].is_not_null().all() and small["Desa"].is_not_null().all()


def test_default_plan_is_the_brief() -> None:
    assert dict(DEFAULT_PLAN) == EXPECTED


def test_exact_category_counts(workers: pl.DataFrame) -> None:
    counts = dict(workers.group_by("Kategori").len().iter_rows())
    assert counts == EXPECTED
    assert workers.height == sum(EXPECTED.values()) == 75_993


def test_people_count_is_rows_minus_doubles(workers: pl.DataFrame) -> None:
    assert N_DOUBLES == 300
    assert workers["NIK"].n_unique() == workers.height - N_DOUBLES


def test_subcategories_belong_to_their_category(workers: pl.DataFrame) -> None:
    for cat, sub in workers.select("Kategori", "Sub Kategori").unique().iter_rows():
        if cat == "pekerja_rentan":
            assert sub is None
        else:
            assert sub in CATEGORIES[cat].subcategories, (cat, sub)
    subs = set(workers["Sub Kategori"].drop_nulls())
    assert subs == {s for c in CATEGORIES.values() for s in c.subcategories}


def test_custom_plan_is_exact() -> None:
    plan = {"perangkat_desa": 400, "pekerja_rentan": 123}
    df = demo_workers(plan=plan, seed=7, doubles=())
    assert dict(df.group_by("Kategori").len().iter_rows()) == plan
    with pytest.raises(ValueError, match="unknown categories"):
        demo_workers(plan={"petani": 3})


# --- NIK -------------------------------------------------------------------------------------


def test_every_nik_is_valid_and_matches_the_row(people: pl.DataFrame) -> None:
    rows = people.select("NIK", "Tanggal Lahir", "Jenis Kelamin").iter_rows()
    for nik, birth, sex in rows:
        check = validate_nik(nik, today=TODAY)
        assert not check.errors, (nik, check.errors)
        assert check.birth_date == _date(birth), nik
        assert check.sex == sex, nik
        # Every prefix is a current kecamatan code: no "unknown region" warnings either.
        assert not check.warnings, (nik, check.warnings)


def test_niks_are_unique_per_person(workers: pl.DataFrame) -> None:
    per_nik = workers.group_by("NIK").agg(
        *(pl.col(c).n_unique().alias(c) for c in PERSON_COLS[1:]),
        pl.col("Kategori").n_unique().alias("n_cat"),
        pl.len().alias("n"),
    )
    assert per_nik.filter(pl.col("n") > 2).height == 0
    for col in PERSON_COLS[1:]:
        assert (per_nik[col] == 1).all(), col
    assert (per_nik["n_cat"] == per_nik["n"]).all()


def test_nik_prefixes_mostly_oki_with_migrants(people: pl.DataFrame) -> None:
    nik = people["NIK"]
    oki = (nik.str.slice(0, 4) == "1602").mean()
    assert 0.86 <= oki <= 0.94
    own_kec = people["Kode Desa"].str.slice(0, 8).str.replace_all(".", "", literal=True)
    own = (nik.str.slice(0, 6) == own_kec).mean()
    assert 0.70 <= own < oki  # usually their own kecamatan, sometimes a neighbour
    provinces = nik.str.slice(0, 2).value_counts()
    migrant_provinces = set(provinces.filter(pl.col("count") >= 50)["NIK"])
    assert {"33", "35", "18", "51"} <= migrant_provinces


def test_placeholder_birth_dates_present(people: pl.DataFrame) -> None:
    day_month = people["Tanggal Lahir"].str.slice(0, 5)
    n = people.height
    for dm in ("31-12", "01-07", "01-01"):
        share = (day_month == dm).sum() / n
        assert 0.008 < share < 0.04, dm  # natural rate is ~0.3 %
    fifteenth = (people["Tanggal Lahir"].str.slice(0, 2) == "15").sum() / n
    assert 0.034 < fifteenth < 0.06


# --- regions ---------------------------------------------------------------------------------


def test_every_kode_desa_is_an_oki_village(
    workers: pl.DataFrame, oki_villages: dict[str, str]
) -> None:
    assert len(oki_villages) == 327
    assert set(workers["Kode Desa"]) <= set(oki_villages)
    # Every village has some covered worker.
    assert set(workers["Kode Desa"]) == set(oki_villages)


def test_village_government_only_in_desa(
    workers: pl.DataFrame, oki_villages: dict[str, str]
) -> None:
    pd = workers.filter(pl.col("Kategori") == "perangkat_desa")
    assert {oki_villages[c] for c in pd["Kode Desa"]} == {"desa"}
    kades = pd.filter(pl.col("Sub Kategori") == "kepala_desa")
    n_desa = sum(1 for lv in oki_villages.values() if lv == "desa")
    assert kades.height == n_desa == 314
    assert kades["Kode Desa"].n_unique() == n_desa
    bpd = pd.filter(pl.col("Sub Kategori") == "bpd").group_by("Kode Desa").len()
    assert set(bpd["len"]) <= {3, 4, 5, 6, 7, 8, 9}


def test_bigger_kecamatan_and_capital(workers: pl.DataFrame) -> None:
    kec = workers["Kode Desa"].str.slice(0, 8)
    rentan = workers.filter(pl.col("Kategori") == "pekerja_rentan")
    per_desa = rentan.group_by(pl.col("Kode Desa").str.slice(0, 8).alias("kec")).agg(
        (pl.len() / pl.col("Kode Desa").n_unique()).alias("per_desa")
    )
    avg = dict(per_desa.iter_rows())
    others = [v for k, v in avg.items() if k not in ("16.02.13", "16.02.05")]
    assert avg["16.02.13"] > 1.3 * (sum(others) / len(others))
    non_asn = workers.filter(pl.col("Sub Kategori") == "non_asn")
    assert (non_asn["Kode Desa"].str.starts_with("16.02.05")).mean() > 0.35
    assert (kec == "16.02.05").mean() < 0.15


# --- people ----------------------------------------------------------------------------------


def test_sex_ratio_by_role(workers: pl.DataFrame) -> None:
    share = dict(
        workers.group_by(pl.col("Sub Kategori").fill_null("rentan"))
        .agg((pl.col("Jenis Kelamin") == "P").mean())
        .iter_rows()
    )
    assert share["kader_posyandu"] > 0.9 and share["pkk"] > 0.9
    assert share["linmas"] < 0.12 and share["ketua_rt"] < 0.15 and share["ketua_rw"] < 0.12
    assert share["kepala_desa"] < 0.15
    assert 0.2 < share["rentan"] < 0.5
    assert set(workers["Jenis Kelamin"]) == {"L", "P"}


def test_ages_by_role(workers: pl.DataFrame) -> None:
    ages = workers.with_columns(
        age=(pl.lit(TODAY) - pl.col("Tanggal Lahir").str.to_date("%d-%m-%Y")).dt.total_days()
        / 365.25,
        role=pl.col("Sub Kategori").fill_null("rentan"),
    )
    assert ages["age"].min() >= 17 and ages["age"].max() <= 73
    bounds = {
        role: (lo, hi)
        for role, lo, hi in ages.group_by("role")
        .agg(pl.col("age").min().alias("lo"), pl.col("age").max().alias("hi"))
        .iter_rows()
    }
    assert 29 <= bounds["kepala_desa"][0] and bounds["kepala_desa"][1] <= 66
    assert 21 <= bounds["gtk"][0] and bounds["gtk"][1] <= 59
    assert bounds["karang_taruna"][1] <= 41
    mostly = ages["age"].is_between(20, 60).mean()
    assert mostly > 0.9


def test_names(workers: pl.DataFrame, people: pl.DataFrame) -> None:
    assert len(names.MALE_NAMES) >= 150 and len(names.FEMALE_NAMES) >= 150
    assert people["Nama"].n_unique() > 5_000
    assert people["Nama"].str.contains(r"^[A-Z][A-Za-z.' ]+$").all()
    java_first = set(names.JAVANESE_MALE_FIRST) | set(names.JAVANESE_FEMALE_FIRST)
    java_first -= set(names.MALAY_MALE_FIRST) | set(names.MALAY_FEMALE_FIRST)
    first = people["Nama"].str.split(" ").list.first()
    is_java = first.is_in(sorted(java_first))
    trans = people["Kode Desa"].str.slice(0, 8).is_in(sorted(TRANSMIGRATION))
    java_in_trans = is_java.filter(trans).mean()
    java_elsewhere = is_java.filter(~trans).mean()
    assert java_in_trans > 2 * java_elsewhere
    bali = people.filter(pl.col("Nama").str.contains(r"^(I|Ni) "))
    assert 50 < bali.height < 2_000
    assert bali["Kode Desa"].str.slice(0, 8).is_in(sorted(TRANSMIGRATION | {"16.02.05"})).all()


def test_other_columns(workers: pl.DataFrame) -> None:
    date_re = r"^\d{2}-\d{2}-\d{4}$"
    assert workers["Tanggal Lahir"].str.contains(date_re).all()
    assert workers["Tanggal Mulai"].str.contains(date_re).all()
    starts = workers["Tanggal Mulai"].str.to_date("%d-%m-%Y")
    assert starts.max() <= TODAY
    assert starts.is_between(date(2025, 1, 1), date(2025, 9, 1)).mean() > 0.9
    hp = workers["No HP"]
    assert 0.5 < hp.is_not_null().mean() < 0.9
    assert hp.drop_nulls().str.contains(r"^08\d{9,10}$").all()
    kpj = workers["KPJ"]
    assert 0 < kpj.is_not_null().mean() < 0.15
    assert kpj.drop_nulls().str.contains(r"^\d{11}$").all()
    rentan = workers["Kategori"] == "pekerja_rentan"
    assert workers["Pekerjaan"].filter(rentan).is_not_null().all()
    assert workers["Pekerjaan"].filter(~rentan).is_null().all()
    assert workers["Pekerjaan"].filter(rentan).n_unique() >= 10
    income = workers.select(
        "Kategori",
        pl.col("Penghasilan").str.contains(r"^\d+$").alias("digits"),
        pl.col("Penghasilan").cast(pl.Int64).alias("rp"),
    )
    assert income["digits"].all()
    pu = income.filter(pl.col("Kategori").is_in(["non_asn", "perangkat_desa"]))["rp"]
    bpu = income.filter(~pl.col("Kategori").is_in(["non_asn", "perangkat_desa"]))["rp"]
    assert pu.min() >= 1_500_000 and pu.max() <= 4_500_000
    assert bpu.min() >= 1_000_000 and bpu.max() <= 2_500_000
    dana = workers.group_by("Kategori", "Sumber Dana").len()
    assert set(dana["Sumber Dana"]) == {"APBD", "APBDes"}
    apbdes = dana.filter(pl.col("Sumber Dana") == "APBDes")
    assert set(apbdes["Kategori"]) == {"perangkat_desa"}


# --- determinism -----------------------------------------------------------------------------


def test_deterministic(workers: pl.DataFrame) -> None:
    assert demo_workers().equals(workers)
    other = demo_workers(seed=2026)
    assert not other.equals(workers)
    assert dict(other.group_by("Kategori").len().iter_rows()) == EXPECTED


def test_doubles_present_and_consistent(workers: pl.DataFrame) -> None:
    dup = workers.filter(pl.col("NIK").is_duplicated())
    assert dup.height == 2 * N_DOUBLES
    per = dup.group_by("NIK").agg(
        *(pl.col(c).n_unique().alias(c) for c in PERSON_COLS[1:]),
        pl.col("Kategori").n_unique().alias("n_cat"),
        pl.col("No HP").n_unique().alias("hp"),
    )
    for col in [*PERSON_COLS[1:], "n_cat"]:
        expected = 2 if col == "n_cat" else 1
        assert (per[col] == expected).all(), col
    assert (per["hp"] == 1).all()
    pairs = dup.group_by("NIK").agg(
        pl.col("Sub Kategori").fill_null("").sort().str.join("+").alias("pair")
    )
    got = dict(pairs.group_by("pair").len().iter_rows())
    want: dict[str, int] = {}
    for d in DEFAULT_DOUBLES:
        key = "+".join(sorted((d.first[1], d.second[1])))
        want[key] = want.get(key, 0) + d.count
    assert got == want


# --- targets ---------------------------------------------------------------------------------


def test_targets(workers: pl.DataFrame, oki_villages: dict[str, str]) -> None:
    targets = demo_targets(workers)
    assert targets.columns == ["region_code", "category", "headcount"]
    assert targets.height == len(oki_villages) * len(CATEGORIES)
    assert set(targets["region_code"]) == set(oki_villages)
    covered = workers.group_by(
        pl.col("Kode Desa").alias("region_code"), pl.col("Kategori").alias("category")
    ).len()
    joined = targets.join(covered, on=["region_code", "category"], how="left").with_columns(
        pl.col("len").fill_null(0)
    )
    assert (joined["headcount"] >= joined["len"]).all()
    full = joined.filter(pl.col("category").is_in(["non_asn", "perangkat_desa", "rt_rw"]))
    assert (full["headcount"] == full["len"]).all()
    totals = joined.group_by("category").agg(pl.col("len").sum() / pl.col("headcount").sum())
    rate = dict(totals.iter_rows())
    assert rate["kelembagaan_desa"] == pytest.approx(0.86, abs=0.02)
    assert rate["pekerja_rentan"] == pytest.approx(0.42, abs=0.02)
    assert targets.equals(demo_targets(workers))


def test_nik_and_kpj_formats(people: pl.DataFrame) -> None:
    assert people["NIK"].str.contains(r"^\d{16}$").all()
    kpj = people["KPJ"].drop_nulls()
    assert kpj.n_unique() == kpj.len()  # one KPJ per person
