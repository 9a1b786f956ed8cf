"""The ground floor's numbers (issue 12: one home; issue 13 item 4: the Indonesian way)."""

from hypothesis import given
from hypothesis import strategies as st

from jamsos.core.numbers import file_size, grouped, megabytes, rupiah, rupiah_short


@given(st.integers(min_value=-(10**18), max_value=10**18))
def test_grouping_reads_back_and_uses_dots_only(n):
    text = grouped(n)
    assert "," not in text and int(text.replace(".", "")) == n
    digits = text.lstrip("-").split(".")
    assert all(len(g) == 3 for g in digits[1:]) and 1 <= len(digits[0]) <= 3


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_rupiah_exact_and_short_agree(n):
    exact = rupiah(n)
    assert exact.startswith("−Rp " if n < 0 else "Rp ")
    assert int(exact.split("Rp ")[1].replace(".", "")) == abs(n)
    short = rupiah_short(n)
    if abs(n) < 999_995:
        assert short == exact


def test_examples():
    assert grouped(75575) == "75.575" and rupiah(8_330_000_000) == "Rp 8.330.000.000"
    assert rupiah_short(8_330_000_000) == "Rp 8,33 miliar" and rupiah(-5000) == "−Rp 5.000"
    assert megabytes(50 * 1024 * 1024) == "50 MB" and megabytes(2048 * 1024 * 1024) == "2.048 MB"


def test_file_sizes_in_kb_below_a_megabyte_rounded_up_and_in_mb_above():
    assert file_size(0) == "0 KB" and file_size(1) == "1 KB" and file_size(2048) == "2 KB"
    assert file_size(1024 * 1024 - 1) == "1.024 KB" and file_size(1024 * 1024) == "1 MB"
    assert file_size(50 * 1024 * 1024) == "50 MB"
