"""Golden contribution cases worked by hand from regulations.md (§1a, §2, §3, §4, §5, §6)."""

from __future__ import annotations

import pytest

from conftest import UMK_OKI_2025, contrib
from jamsos.rules import InputError, MissingParameterError


def test_pu_full_package_march_2025_umk_oki():
    # Upah 3.681.571, risk class I, JKP participant, contribution month 2025-03.
    # JKK 0,24% recomposed: JKK 0,10% = 3.681,571 -> 3.682; JKP 0,14% = 5.154,1994 -> 5.154
    # JKM 0,30% (JKM share to JKP = 0 from Feb 2025, UNCONFIRMED) = 11.044,713 -> 11.045
    # JKP government 0,22% = 8.099,4562 -> 8.099
    # JHT 3,7% = 136.218,127 -> 136.218 ; 2% = 73.631,42 -> 73.631
    # JP (cap 10.547.400 not reached) 2% = 73.631,42 -> 73.631 ; 1% = 36.815,71 -> 36.816
    r = contrib("2025-03", "pu", UMK_OKI_2025, "jkk,jkm,jht,jp,jkp", 1)
    assert r.amounts() == {
        "jkk_employer": 3_682,
        "jkp_from_jkk": 5_154,
        "jkm_employer": 11_045,
        "jkp_government": 8_099,
        "jht_employer": 136_218,
        "jht_worker": 73_631,
        "jp_employer": 73_631,
        "jp_worker": 36_816,
    }
    assert r.total == 348_276
    assert r.item("jkm_employer").unconfirmed  # Pasal 18A repeal unconfirmed
    assert not r.item("jht_worker").unconfirmed
    payers = {i.code: (i.program, i.payer) for i in r.items}
    assert payers["jkp_government"] == ("jkp", "government")
    assert payers["jp_worker"] == ("jp", "worker")
    assert all(isinstance(i.amount, int) for i in r.items)


def test_jkm_recomposition_before_pp6_2025():
    # 2024-03: JKM 0,30% split 0,20% JKM + 0,10% JKP (PP 44/2015 Pasal 18A)
    # 0,20% × 3.681.571 = 7.363,142 -> 7.363 ; 0,10% = 3.681,571 -> 3.682
    r = contrib("2024-03", "pu", UMK_OKI_2025, "jkk,jkm,jkp", 1)
    a = r.amounts()
    assert a["jkm_employer"] == 7_363
    assert a["jkp_from_jkm"] == 3_682
    assert not r.item("jkm_employer").unconfirmed


def test_no_recomposition_without_jkp_or_in_arrears():
    # JKK I 0,24% × 3.681.571 = 8.835,7704 -> 8.836 ; JKM 0,30% -> 11.045
    for r in (
        contrib("2025-03", "pu", UMK_OKI_2025, "jkk,jkm", 1),
        contrib("2025-03", "pu", UMK_OKI_2025, "jkk,jkm,jkp", 1, in_arrears=True),
    ):
        assert r.amounts() == {"jkk_employer": 8_836, "jkm_employer": 11_045}


@pytest.mark.parametrize(
    ("risk", "expected"),
    # 4.000.000 × 0,24% / 0,54% / 0,89% / 1,27% / 1,74%
    [(1, 9_600), (2, 21_600), (3, 35_600), (4, 50_800), (5, 69_600)],
)
def test_jkk_risk_classes(risk, expected):
    assert contrib("2025-03", "pu", 4_000_000, "jkk", risk).total == expected


@pytest.mark.parametrize(
    ("month", "employer", "worker", "cap_unconfirmed"),
    [
        # cap 9.559.600 (Mar 2023–Feb 2024): 2% = 191.192 ; 1% = 95.596
        ("2024-02", 191_192, 95_596, False),
        # cap 10.042.300 (Mar 2024): 200.846 ; 100.423
        ("2024-03", 200_846, 100_423, False),
        ("2025-02", 200_846, 100_423, False),
        # cap 10.547.400 (Mar 2025): 210.948 ; 105.474
        ("2025-03", 210_948, 105_474, False),
        ("2026-02", 210_948, 105_474, False),
        # cap 11.086.300 (Mar 2026, code-only => UNCONFIRMED): 221.726 ; 110.863
        ("2026-03", 221_726, 110_863, True),
        # 2016: cap 7.335.300 from Mar 2016; 2% = 146.706 ; 1% = 73.353
        ("2016-02", 140_000, 70_000, False),  # cap 7.000.000
        ("2016-03", 146_706, 73_353, False),
    ],
)
def test_jp_wage_cap_changes_each_march(month, employer, worker, cap_unconfirmed):
    r = contrib(month, "pu", 12_000_000, "jp")
    assert r.amounts() == {"jp_employer": employer, "jp_worker": worker}
    assert r.item("jp_employer").unconfirmed is cap_unconfirmed
    assert "batas upah JP" in r.item("jp_employer").basis


def test_jp_cap_that_does_not_bind_does_not_taint():
    # 5.000.000 < cap 11.086.300 (UNCONFIRMED): 2% = 100.000, not flagged
    r = contrib("2026-03", "pu", 5_000_000, "jp")
    assert r.item("jp_employer").amount == 100_000
    assert not r.item("jp_employer").unconfirmed


def test_jp_cap_missing_year_is_a_clear_error():
    with pytest.raises(MissingParameterError, match=r"jp.wage_cap.*2027-03-01"):
        contrib("2027-03", "pu", 12_000_000, "jp")


@pytest.mark.parametrize(
    ("month", "jkk", "jkm", "unconfirmed"),
    [
        ("2025-01", 35_600, 12_000, False),  # before PP 7/2025: 0,89% × 4.000.000
        ("2025-02", 17_800, 12_000, False),  # PP 7/2025: 0,445% ; JKM not discounted
        ("2025-07", 17_800, 12_000, False),
        ("2025-08", 17_800, 12_000, False),  # PP 36/2025 extension
        ("2026-01", 17_800, 12_000, False),
        ("2026-02", 35_600, 12_000, False),  # discount over
        # PP 49/2020: 99% off JKK and JKM (months UNCONFIRMED):
        # 0,89% × 1% × 4.000.000 = 356 ; 0,30% × 1% × 4.000.000 = 120
        ("2020-09", 356, 120, True),
    ],
)
def test_temporary_discounts_are_dated(month, jkk, jkm, unconfirmed):
    r = contrib(month, "pu", 4_000_000, "jkk,jkm", 3, relief=True)
    assert r.amounts() == {"jkk_employer": jkk, "jkm_employer": jkm}
    assert r.item("jkk_employer").unconfirmed is unconfirmed
    # not eligible for relief -> full rate
    assert contrib(month, "pu", 4_000_000, "jkk", 3).total == 35_600


def test_discount_cites_regulation():
    r = contrib("2025-08", "pu", 4_000_000, "jkk", 3, relief=True)
    assert "PP 36/2025 Pasal 10A" in r.item("jkk_employer").citation
    assert "50% keringanan" in r.item("jkk_employer").basis


def test_bpu_packages():
    # Rp16.800 = JKK 1% × 1.000.000 + JKM 6.800 ; Rp36.800 adds JHT 2% × 1.000.000
    r = contrib("2025-09", "bpu", 1_000_000, "jkk,jkm")
    assert r.amounts() == {"jkk_worker": 10_000, "jkm_worker": 6_800}
    assert r.total == 16_800
    assert contrib("2025-09", "bpu", 1_000_000, "jkk,jkm,jht").total == 36_800
    g = contrib("2025-09", "bpu", 1_000_000, "jkk,jkm", bpu_payer="government")
    assert {i.payer for i in g.items} == {"government"}


def test_bpu_jkk_min_max_and_unknown_bands():
    assert contrib("2025-09", "bpu", 500_000, "jkk").total == 10_000  # minimum
    assert contrib("2025-09", "bpu", 25_000_000, "jkk").total == 207_000  # maximum
    mid = contrib("2025-09", "bpu", 2_500_000, "jkk")
    assert mid.total == 25_000
    assert mid.items[0].unconfirmed  # band table not found
    assert not contrib("2025-09", "bpu", 1_000_000, "jkk").items[0].unconfirmed


def test_bpu_has_no_jp_or_jkp():
    with pytest.raises(InputError) as e:
        contrib("2025-09", "bpu", 1_000_000, "jkk,jp")
    assert e.value.option == "--programs"


def test_pu_jkk_needs_risk_class():
    with pytest.raises(InputError) as e:
        contrib("2025-09", "pu", 1_000_000, "jkk")
    assert e.value.option == "--risk-class"


def test_jkp_government_share_capped():
    # 0,22% × min(12.000.000; 5.000.000 UNCONFIRMED cap) = 11.000
    r = contrib("2025-03", "pu", 12_000_000, "jkp")
    assert r.amounts() == {"jkp_government": 11_000}
    assert r.items[0].unconfirmed
