import datetime as dt
from decimal import Decimal
from functools import cache

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html

from jamsos.core import dates, numbers
from jamsos.core.masking import mask_contact
from jamsos.premiums.labels import INVOICE_STATUS
from jamsos.premiums.models import RecClass
from jamsos.premiums.selectors import is_eligible
from jamsos.regions.nik import mask_nik
from jamsos.registry import categories
from jamsos.registry.importing.columns import COLUMNS

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


@register.filter
def rupiah(value) -> str:
    if value is None or value == "":
        return "–"
    return numbers.rupiah(value)


@register.filter
def rupiah_short(value):
    """A large amount short on screen, the exact amount on hover and in print."""
    if value is None or value == "":
        return "–"
    exact, short = numbers.rupiah(value), numbers.rupiah_short(value)
    if exact == short:
        return exact
    return format_html('<span class="rp" title="{}"><span class="rp-short">{}</span>'
                       '<span class="rp-exact">{}</span></span>', exact, short, exact)


@register.filter
def thousands(value) -> str:
    """``75575`` → ``75.575`` in every language (the regency's reports use the dot)."""
    if value is None or value == "":
        return "–"
    return numbers.grouped(value)


@cache
def _label_sets() -> dict:
    """Every list of codes a template may show, by name, each from its one home (built once:
    the labels are lazy, so each page still shows them in its own language)."""
    return {"rec_class": dict(RecClass.choices), "segment": categories.SEGMENTS,
            "funding_source": categories.FUNDING_SOURCES, "invoice_status": INVOICE_STATUS,
            "category": dict(categories.CHOICES),
            "import_column": {c.key: c.header for c in COLUMNS}}


@register.filter
def label(value, kind: str) -> str:
    """``{{ row.cls|label:"rec_class" }}`` → ``Jumlah berbeda``: a code as people read it."""
    if value is None or value == "":
        return "–"
    labels = _label_sets()[kind]
    return str(labels.get(value, labels.get(str(value).upper(), value)))


@register.filter
def tanggal(value) -> str:
    """A date the one way pages show it: ``30 Nov 2026`` (``jamsos.core.dates``)."""
    return dates.date_text(value or None)


@register.filter
def bulan(value) -> str:
    """A month the one way pages show it: ``Nov 2026``."""
    return dates.month_text(value or None)


@register.filter
def waktu(value, arg: str = "") -> str:
    """A moment: ``30 Nov 2026 14.05`` (``"detik"`` adds the seconds)."""
    return dates.moment_text(value or None, seconds=arg == "detik")


@register.filter
def tanggal_teks(value) -> str:
    """ISO dates and months inside a sentence in the one format (engine notes, bases)."""
    return dates.in_text(value) if value else value


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


@register.inclusion_tag("premiums/_eligibility.html")
def premium_eligibility(person, on=None):
    """Is the person protected today (premiums)? For the registry's person page: the registry
    lies below premiums, so the page gets this from the interface layer, not from its view."""
    return {"e": is_eligible(person, on or dt.date.today())}
