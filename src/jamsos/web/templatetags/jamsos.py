from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html

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


def _grouped(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def rupiah_text(value) -> str:
    """Whole rupiah with Indonesian grouping: ``8330000000`` → ``Rp 8.330.000.000``."""
    n = int(value)
    return f"{'−' if n < 0 else ''}Rp {_grouped(abs(n))}"


#: (size, name) from the largest; below a million the exact amount is short enough.
_SCALES = ((10**12, "triliun"), (10**9, "miliar"), (10**6, "juta"))


def rupiah_short_text(value) -> str:
    """``8330000000`` → ``Rp 8,33 miliar``; ``522000000`` → ``Rp 522 juta`` (two decimals at
    most, rounded half up, trailing zeros dropped; integer arithmetic only)."""
    n = int(value)
    sign, n = ("−" if n < 0 else ""), abs(n)
    for size, name in _SCALES:
        hundredths = (n * 100 + size // 2) // size
        if n >= size or (size > 10**6 and hundredths >= 100):  # 999.996.000 → 1 miliar
            whole, frac = divmod(hundredths, 100)
            text = _grouped(whole) + (f",{frac:02d}".rstrip("0") if frac else "")
            return f"{sign}Rp {text} {name}"
    return f"{sign}Rp {_grouped(n)}"


@register.filter
def rupiah(value) -> str:
    if value is None or value == "":
        return "–"
    return rupiah_text(value)


@register.filter
def rupiah_short(value):
    """A large amount short on screen, the exact amount on hover and in print."""
    if value is None or value == "":
        return "–"
    exact, short = rupiah_text(value), rupiah_short_text(value)
    if exact == short:
        return exact
    return format_html('<span class="rp" title="{}"><span class="rp-short">{}</span>'
                       '<span class="rp-exact">{}</span></span>', exact, short, exact)


@register.filter
def thousands(value) -> str:
    """``75575`` → ``75.575`` in every language (the regency's reports use the dot)."""
    if value is None or value == "":
        return "–"
    return _grouped(int(value))


@register.inclusion_tag("web/_data_per.html")
def data_per(at=None):
    """"Data per <date, time>": when the figures on a dashboard were read."""
    from django.utils import timezone

    return {"at": timezone.localtime(at or timezone.now())}


@register.inclusion_tag("web/_error_summary.html")
def error_summary(form=None, extra=None):
    """The GOV.UK error summary: every error of ``form`` (a :class:`jamsos.core.forms.
    SummaryForm`, or a list of ``(anchor, message)``) at the top of the page, each linking to
    its field. ``extra`` adds pairs (e.g. a refusal of the service not tied to a field)."""
    if form is None or form == "":
        items = []
    elif hasattr(form, "error_summary"):
        items = form.error_summary() if form.is_bound else []
    else:
        items = list(form)
    items += list(extra or [])
    return {"items": items}
