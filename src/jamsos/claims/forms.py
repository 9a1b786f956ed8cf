"""The forms of a claim's page, a heirs' follow-up and a scholarship child (issue 13 item 5).

They read the input (dates, rupiah typed ``1.250.000``); the services check it — once, for the
web and the API alike — and every field they refuse comes back onto the form, shown in the
error summary at the top and at the field, with the input kept.
"""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jamsos.claims import services
from jamsos.claims.models import EndReason, Relation, SchoolLevel
from jamsos.core.forms import Form as _Form


class Form(_Form):
    """A claims form; ``checks`` is the service's check of its fields, run even when another
    field could not be read, so every error shows at once (the service runs it again)."""

    checks = None

    def clean(self):
        data = super().clean()
        if self.checks is not None:
            values = {name: data.get(name) for name in self.fields}
            for field, message in type(self).checks(**self.check_args(values)).items():
                if field in self.fields and field not in self.errors:
                    self.add_error(field, message)
        return data

    def check_args(self, values: dict) -> dict:
        return values


def _date(label, *, required=False):
    return forms.DateField(label=label, required=required, input_formats=["%Y-%m-%d"],
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                           error_messages={"invalid": _("Tanggal tidak valid."),
                                           "required": _("Isi tanggal.")})


class RupiahField(forms.CharField):
    """Whole rupiah, typed with or without ``Rp`` and ``.`` grouping; empty is None."""

    def __init__(self, label, **kwargs):
        super().__init__(label=label, required=False, widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off"}), **kwargs)

    def clean(self, value):
        raw = (super().clean(value) or "").strip().replace(".", "").replace(" ", "")
        if raw.lower().startswith("rp"):
            raw = raw[2:]
        if not raw:
            return None
        if not (raw.isascii() and raw.isdigit()) or len(raw) > 15:
            raise forms.ValidationError(_("Isi jumlah dalam rupiah, tanpa desimal."))
        return int(raw)


def _text(label, *, required: str = "", **attrs):
    """A text; ``required`` is the service's own message for an empty one, so the form
    reports it together with the other fields' errors."""
    return forms.CharField(label=label, required=bool(required), max_length=300,
                           error_messages={"required": required},
                           widget=forms.TextInput(attrs={"autocomplete": "off", **attrs}))


def _choice(label, choices):
    """A list to pick from; the service refuses a value not on it (with the other fields)."""
    return forms.CharField(label=label, required=False, widget=forms.Select(choices=choices))


class MoveForm(Form):
    """One rung up the status ladder (``to``)."""

    to = forms.CharField(required=False, widget=forms.HiddenInput)
    on = _date(_("Tanggal"))
    paid_amount = RupiahField(_("Jumlah dibayar BPJS (Rp)"))
    reason = _text(_("Alasan penolakan"))
    field_aliases = {"status": "to"}


class DocumentsForm(Form):
    """The documents received (the service refuses codes not on the claim's checklist)."""

    doc = forms.Field(required=False, widget=forms.MultipleHiddenInput)
    field_aliases = {"documents": "doc"}


class BeneficiaryForm(Form):
    name = _text(_("Nama ahli waris"))
    relation = _choice(_("Hubungan"), Relation.choices)
    nik = _text(_("NIK ahli waris (16 angka, boleh kosong)"), inputmode="numeric",
                maxlength="16")
    birth_date = _date(_("Tanggal lahir (boleh kosong)"))
    checks = services.beneficiary_errors

    def check_args(self, values):
        return {"name": values["name"] or "", "relation": values["relation"] or "",
                "nik": values["nik"] or ""}


class ChildForm(Form):
    name = _text(_("Nama anak"))
    birth_date = _date(_("Tanggal lahir anak"))
    level = _choice(_("Jenjang saat kejadian"), SchoolLevel.choices)
    years_done = forms.IntegerField(label=_("Tahun jenjang itu yang sudah dijalani"),
                                    required=False, min_value=0, max_value=10, initial=0,
                                    error_messages={"invalid": _("Isi bilangan bulat.")})
    checks = services.child_errors

    def check_args(self, values):
        return {"name": values["name"] or "", "birth_date": values["birth_date"],
                "level": values["level"] or "", "years_done": values["years_done"] or 0}


class DifferenceForm(Form):
    note = _text(_("Tindak lanjut selisih"), required=_("Tulis tindak lanjut selisih."))
    field_aliases = {"difference_note": "note"}


class DeclineForm(Form):
    reason = _text(_("Ahli waris tidak mengajukan klaim; alasan"),
                   required=_("Alasan wajib diisi."))


class PaymentForm(Form):
    """A scholarship year paid."""

    school_year = forms.IntegerField(label=_("Tahun ajaran (tahun mulai)"), required=False,
                                     error_messages={"invalid": _("Isi tahun, mis. 2025.")})
    level = _choice(_("Jenjang"), [("", _("menurut perhitungan")), *(
        (v, label) for v, label in SchoolLevel.choices if v != SchoolLevel.BELUM_SEKOLAH)])
    amount = RupiahField(_("Jumlah dibayar (Rp)"))
    paid_on = _date(_("Tanggal bayar"))


class EndForm(Form):
    """The end of a child's scholarship."""

    reason = _choice(_("Berakhir karena"), EndReason.choices)
    on = _date(_("Tanggal"))
    checks = services.end_errors

    def check_args(self, values):
        # an empty date is today, as the service's callers (web and API) take it
        return {"reason": values["reason"] or "", "on": values["on"] or timezone.localdate()}
