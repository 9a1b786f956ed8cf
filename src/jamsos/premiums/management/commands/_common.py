"""Shared helpers of the premiums commands."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import CommandError

from jamsos.core.numbers import rupiah  # noqa: F401  (the commands' rupiah: one home)


def parse_period(value: str) -> dt.date:
    try:
        return dt.datetime.strptime(value, "%Y-%m").date()
    except ValueError as exc:
        raise CommandError(f"--period harus YYYY-MM, bukan {value!r}") from exc

