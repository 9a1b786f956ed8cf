from django import template

from jamsos.core.numbers import rupiah

register = template.Library()


@register.filter
def rp(value) -> str:
    """Whole rupiah, Indonesian grouping: ``42000000`` → ``Rp 42.000.000``."""
    if value is None or value == "":
        return "–"
    return rupiah(value)


@register.filter
def item_label(code: str) -> str:
    from jamsos.claims.labels import ITEM_LABELS

    return str(ITEM_LABELS.get(code, code))


@register.filter
def miliar(value) -> str:
    """``8330000000`` → ``Rp 8,33 miliar`` (as the Bupati says it)."""
    from jamsos.claims.exports import miliar as fmt

    return fmt(int(value or 0))
