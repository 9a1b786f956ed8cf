"""Forms that report every error at once (GOV.UK error-summary pattern, issue 13 item 5).

A form mixing in :class:`SummaryForm` gives the template ``{% error_summary form %}`` (web
layer) the list of ``(anchor, message)`` pairs: each links to its field's ``id``. A service's
:class:`~jamsos.core.errors.DomainError` is added to the form with :meth:`add_domain_error`, so
the page shows the same field and message the API answers for the same input."""

from __future__ import annotations

from django import forms
from django.forms.utils import ErrorDict

from jamsos.core.errors import DomainError


class SummaryForm:
    """Mixin for :class:`django.forms.Form`: the error summary and domain errors."""

    #: Service field names that differ from the form's (``{"desa_id": "desa"}``).
    field_aliases: dict[str, str] = {}

    def error_summary(self) -> list[tuple[str, str]]:
        out = []
        errors: ErrorDict = self.errors
        for name, messages in errors.items():
            field = self.fields.get(name)
            anchor = self[name].auto_id if field is not None and not field.widget.is_hidden \
                else ""
            for message in messages:
                out.append((anchor or "", message))
        return out

    def add_domain_error(self, exc: DomainError) -> None:
        for field, message in exc.errors.items():
            name = self.field_aliases.get(field, field)
            self.add_error(name if name in self.fields else None, message)


class Form(SummaryForm, forms.Form):
    """A Django form with the error summary."""


def summary_of(errors: dict[str, str], *, prefix: str = "id_") -> list[tuple[str, str]]:
    """The summary for a page that collects its errors in a dict (field → message)."""
    return [(f"{prefix}{field}" if field not in ("form", "__all__") else "", message)
            for field, message in errors.items()]
