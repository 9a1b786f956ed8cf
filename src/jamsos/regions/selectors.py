"""Reads of the region table."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q, QuerySet

from jamsos.regions.models import Level, Region

VILLAGE_LEVELS = (Level.DESA, Level.KELURAHAN, Level.DESA_ADAT)


def deployment_area() -> str:
    """The deployment's area: a kabupaten/kota code (``16.02``) or a province code (``16``).

    ``JAMSOS_AREA`` when set, else ``JAMSOS_KABUPATEN`` (the setting of one-regency
    deployments, default ``16.02``)."""
    return getattr(settings, "JAMSOS_AREA", "") or settings.JAMSOS_KABUPATEN


def is_province_deployment() -> bool:
    return "." not in deployment_area()


def kabupaten_code_of(code: str) -> str:
    """The kabupaten/kota a code lies in (its first two segments): ``16.02.13.2005`` →
    ``16.02``; a province code stays itself."""
    return ".".join(code.split(".")[:2])


def deployment_kabupaten() -> list[str]:
    """The codes of the deployment's kabupaten/kota: the one, or every one of the province."""
    area = deployment_area()
    if not is_province_deployment():
        return [area]
    from jamsos.regions.catalog import upper_regions

    return sorted(r.code for r in upper_regions().values()
                  if r.parent_code == area and r.level in ("kabupaten", "kota"))


def in_deployment(code: str) -> bool:
    """Whether ``code`` is the deployment's area or lies inside it."""
    area = deployment_area()
    return code == area or code.startswith(area + ".")


def home_kabupaten() -> Region:
    """The region of the deployment's area (a kabupaten/kota, or the province)."""
    return Region.objects.get(code=deployment_area())


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
