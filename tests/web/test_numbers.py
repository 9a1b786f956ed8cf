"""Numbers the Indonesian way: rupiah grouped with dots, large amounts short, exact on hover."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.template import Context, Template

from jamsos.core.numbers import rupiah_short as rupiah_short_text
from jamsos.web.templatetags.jamsos import rupiah, rupiah_short


def test_short_rupiah():
    assert rupiah_short_text(8_330_000_000) == "Rp 8,33 miliar"
    assert rupiah_short_text(522_000_000) == "Rp 522 juta"
    assert rupiah_short_text(18_105_000_000) == "Rp 18,11 miliar"  # half up
    assert rupiah_short_text(14_988_351_240) == "Rp 14,99 miliar"
    assert rupiah_short_text(1_500_000) == "Rp 1,5 juta"
    assert rupiah_short_text(2_345_678_000_000) == "Rp 2,35 triliun"
    assert rupiah_short_text(1_234_567_000_000_000) == "Rp 1.234,57 triliun"
    assert rupiah_short_text(999_999) == "Rp 999.999"
    assert rupiah_short_text(999_996_000) == "Rp 1 miliar"
    assert rupiah_short_text(Decimal("42000000")) == "Rp 42 juta"
    assert rupiah_short_text(-3_000_000_000) == "−Rp 3 miliar"


def test_exact_amount_on_hover_and_in_print():
    html = rupiah_short(8_330_000_000)
    assert 'title="Rp 8.330.000.000"' in html
    assert '<span class="rp-short">Rp 8,33 miliar</span>' in html
    assert '<span class="rp-exact">Rp 8.330.000.000</span>' in html
    assert rupiah_short(750_000) == "Rp 750.000" and rupiah_short(None) == "–"
    assert rupiah(8_330_000_000) == "Rp 8.330.000.000"


def test_data_per_names_the_date_and_time():
    at = dt.datetime(2026, 11, 30, 2, 12, tzinfo=dt.UTC)  # 09.12 in Palembang
    out = Template("{% load jamsos %}{% data_per at %}").render(Context({"at": at}))
    assert "Data per" in out and "30 Nov 2026, 09.12 WIB" in out
    assert ZoneInfo("Asia/Jakarta")
