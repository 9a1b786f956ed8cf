"""Reads of the region table."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q, QuerySet

from jamsos.regions.models import Level, Region

VILLAGE_LEVELS = (Level.DESA, Level.KELURAHAN, Level.DESA_ADAT)


def home_kabupaten() -> Region:
    return Region.objects.get(code=settings.JAMSOS_KABUPATEN)


def subtree_q(code: str, field: str = "code") -> Q:
    """A filter for ``field`` lying in the area ``code`` (the area itself or below it)."""
    return Q(**{field: code}) | Q(**{f"{field}__startswith": code + "."})


def kecamatan_of(kabupaten_code: str) -> QuerySet[Region]:
    return Region.objects.filter(parent_id=kabupaten_code, level=Level.KECAMATAN)


def villages_in(area_code: str) -> QuerySet[Region]:
    return Region.objects.filter(subtree_q(area_code), level__in=VILLAGE_LEVELS)


def ancestors(code: str) -> list[str]:
    """``16.02.13.2005`` → ``["16", "16.02", "16.02.13"]``."""
    parts = code.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]
