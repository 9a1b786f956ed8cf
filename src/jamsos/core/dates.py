"""One date format and one month format for pages, exports and command-line text.

- a date: ``30 Nov 2026`` (day without leading zero, the month's three-letter name, year);
- a month: ``Nov 2026``;
- a moment: ``30 Nov 2026, 14.05`` (Indonesian time with a dot).

Month names follow the active language (``Mei``, ``Agu``, ``Okt``, ``Des`` in Bahasa
Indonesia, the default also for the command line); machine formats (JSON, API, file names,
form inputs) keep ISO ``2026-11-30`` / ``2026-11``.
"""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone
from django.utils.dates import MONTHS_3


def month_name(month: int) -> str:
    return str(MONTHS_3[month]).title()


def month_text(value: dt.date | str | None) -> str:
    """``2026-11-01`` (or the ISO month ``"2026-11"``) → ``Nov 2026``."""
    if value is None or value == "":
        return "–"
    if isinstance(value, str):
        value = dt.date.fromisoformat(f"{value[:7]}-01")
    return f"{month_name(value.month)} {value.year}"


def date_text(value: dt.date | None) -> str:
    """``2026-11-30`` → ``30 Nov 2026``."""
    if value is None:
        return "–"
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{value.day} {month_text(value)}"


def moment_text(value: dt.datetime | None, *, seconds: bool = False) -> str:
    """``2026-11-30 14:05`` (local time) → ``30 Nov 2026, 14.05``."""
    if value is None:
        return "–"
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    clock = f"{value:%H.%M.%S}" if seconds else f"{value:%H.%M}"
    return f"{date_text(value.date())}, {clock}"


def period_text(start: dt.date, end: dt.date) -> str:
    """``1 Jan 2025 – 31 Agu 2025``."""
    return f"{date_text(start)} – {date_text(end)}"


_ISO = re.compile(r"\b(\d{4})-(\d{2})(?:-(\d{2}))?\b(?!-\d)")


def in_text(text: str) -> str:
    """ISO dates and months inside a sentence (the regulation engine's notes, which stay free
    of Django) in the one format: ``bulan 2025-05 s.d. 2025-06`` → ``bulan Mei 2025 s.d. Jun
    2025``."""
    def one(m: re.Match) -> str:
        year, month, day = int(m.group(1)), int(m.group(2)), m.group(3)
        if not 1 <= month <= 12:
            return m.group(0)
        try:
            d = dt.date(year, month, int(day or 1))
        except ValueError:
            return m.group(0)
        return date_text(d) if day else month_text(d)

    return _ISO.sub(one, str(text))
