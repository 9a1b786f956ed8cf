"""Registry forms: they carry the input, the services check it (the same checks the API's
calls meet) and the refusals come back on the fields, all at once (issues 12 and 13)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from jamsos.core.forms import Form
from jamsos.registry.services import PERSON_EDITABLE


def _date(form, name: str, message) -> dt.date | None:
    raw = (form.cleaned_data.get(name) or "").strip()
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        form.add_error(name, message)
        return None


class PersonForm(Form):
    nik = forms.CharField(required=False)
    name = forms.CharField(required=False)
    sex = forms.CharField(required=False)
    birth_date = forms.CharField(required=False)
    desa_id = forms.CharField(required=False)
    phone = forms.CharField(required=False)
    kpj = forms.CharField(required=False)

    def changes(self) -> dict | None:
        """The service's keyword arguments, or None when a date cannot be read."""
        born = _date(self, "birth_date", _("Tanggal lahir tidak valid."))
        if born is None:
            return None
        return {k: born if k == "birth_date" else (self.cleaned_data.get(k) or "").strip()
                for k in PERSON_EDITABLE}


class EndRoleForm(Form):
    enrolment = forms.IntegerField(required=False, widget=forms.HiddenInput)
    end_date = forms.CharField(required=False)
    reason = forms.CharField(required=False, max_length=300)

    def end_date_value(self) -> dt.date | None:
        return _date(self, "end_date", _("Tanggal berakhir tidak valid."))
