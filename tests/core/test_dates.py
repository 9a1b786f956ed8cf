"""One date format and one month format (``jamsos.core.dates``)."""

import datetime as dt

from django.utils import translation

from jamsos.core.dates import date_text, moment_text, month_text, period_text


def test_dates_and_months_read_the_indonesian_way():
    with translation.override("id"):
        assert date_text(dt.date(2026, 11, 30)) == "30 Nov 2026"
        assert date_text(dt.date(2025, 8, 1)) == "1 Agu 2025"
        assert month_text(dt.date(2026, 10, 1)) == "Okt 2026"
        assert month_text("2025-05") == "Mei 2025"
        assert moment_text(dt.datetime(2026, 12, 3, 14, 5)) == "3 Des 2026, 14.05"
        assert period_text(dt.date(2025, 1, 1), dt.date(2025, 8, 31)) == "1 Jan 2025 – 31 Agu 2025"
        assert date_text(None) == month_text(None) == "–"


def test_english_month_names_in_the_english_locale():
    with translation.override("en"):
        assert date_text(dt.date(2025, 5, 2)) == "2 May 2025"


def test_iso_dates_inside_a_sentence():
    from jamsos.core.dates import in_text

    with translation.override("id"):
        assert in_text("iuran 2015-05 s.d. 2015-06 dan 2015-07") == (
            "iuran Mei 2015 s.d. Jun 2015 dan Jul 2015")
        assert in_text("sejak 2025-08-31; PP 44/2015") == "sejak 31 Agu 2025; PP 44/2015"
        assert in_text("kode 2025-13") == "kode 2025-13"


def test_the_engine_command_line_writes_the_same_format():
    """``jamsos benefit`` runs without Django, so it carries its own copy of the Indonesian
    month names; it must read exactly as the pages do (issue 13 item 4)."""
    from jamsos.rules import cli

    with translation.override("id"):
        for month in range(1, 13):
            day = dt.date(2026, month, 9)
            assert cli.date_text(day) == date_text(day)
            assert cli.month_text(day) == month_text(day)
        text = "iuran 2015-05 s.d. 2015-06; sejak 2025-08-31; kode 2025-13"
        assert cli.in_text(text) == in_text_core(text)


def in_text_core(text):
    from jamsos.core.dates import in_text

    return in_text(text)
