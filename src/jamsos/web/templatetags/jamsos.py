from decimal import Decimal

from django import template
from django.utils.formats import number_format

from jamsos.core.masking import mask_contact
from jamsos.regions.nik import mask_nik

register = template.Library()


@register.filter
def pct(value) -> str:
    if value is None:
        return "–"
    return f"{number_format(Decimal(value), 1)} %"


@register.filter
def bar_width(value) -> str:
    """Width for a coverage bar, capped at 100 %."""
    if value is None:
        return "0"
    return str(min(Decimal(value), Decimal(100)).quantize(Decimal("0.1")))


@register.filter
def masked(nik: str) -> str:
    return mask_nik(nik)


@register.filter
def masked_contact(value: str | None) -> str:
    """A phone, KPJ or account number for viewers without personal-data rights."""
    return mask_contact(value) if value else ""
