"""The santunan forms: they carry the input; the services check it (once, for the web and the
API alike) and their refusals come back onto the form's fields (issue 12, issue 13 item 5)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jamsos.core.forms import Form
from jamsos.santunan.models import Relationship


def _text(label, **attrs):
    return forms.CharField(label=label, required=False, strip=False,
                           widget=forms.TextInput(attrs={"autocomplete": "off", **attrs}))


def _digits(label, maxlength=20):
    return _text(label, inputmode="numeric", maxlength=str(maxlength))


class CaseForm(Form):
    """A proposal or its correction; the fields are :data:`services.CASE_FIELDS`."""

    desa_id = forms.CharField(label=_("Desa"), required=False, widget=forms.Select)
    deceased_nik = _digits(_("NIK almarhum/almarhumah"))
    deceased_name = _text(_("Nama almarhum/almarhumah"))
    died_on = forms.CharField(label=_("Tanggal meninggal"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    death_place = _text(_("Tempat meninggal"))
    akta_number = _text(_("Nomor akta kematian"))
    no_kk = _digits(_("No. KK"))
    heir_nik = _digits(_("NIK ahli waris"))
    heir_name = _text(_("Nama ahli waris"))
    heir_relationship = forms.CharField(label=_("Hubungan dengan almarhum"), required=False,
                                        widget=forms.Select(choices=Relationship.choices))
    heir_phone = _text(_("No. HP ahli waris"), inputmode="tel")
    bank_name = _text(_("Bank"))
    account_number = _digits(_("Nomor rekening"), 40)
    account_holder = _text(_("Nama pemilik rekening"))

    DECEASED = ("desa_id", "deceased_nik", "deceased_name", "died_on", "death_place",
                "akta_number", "no_kk")
    HEIR = ("heir_nik", "heir_name", "heir_relationship", "heir_phone", "bank_name",
            "account_number", "account_holder")

    def __init__(self, *args, villages=(), today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["desa_id"].widget.choices = [
            (v.code, f"{v.name} ({v.parent.name})") for v in villages]
        if today is not None:
            self.fields["died_on"].widget.attrs["max"] = today.isoformat()

    def deceased_fields(self):
        return [self[n] for n in self.DECEASED]

    def heir_fields(self):
        return [self[n] for n in self.HEIR]


class DocumentForm(Form):
    kind = forms.ChoiceField(label=_("Jenis dokumen"), required=False)
    file = forms.FileField(label=_("Berkas"), required=False, widget=forms.ClearableFileInput(
        attrs={"accept": "application/pdf,image/jpeg,image/png", "capture": "environment"}))

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = list(kinds)


class ActionForm(Form):
    """One step of the workflow; ``reason`` is the note a return, a rejection or a step past
    a failed check needs."""

    action = forms.CharField(required=False, widget=forms.HiddenInput)
    expected = forms.CharField(required=False, widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Alasan"), required=False, max_length=500,
                             widget=forms.TextInput)


class GrantVersionForm(Form):
    """A regency's scheme version (new, or the correction of one no case uses); the fields are
    :data:`params.VERSION_FIELDS`, read and checked by the service."""

    valid_from = forms.CharField(label=_("Berlaku mulai"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    valid_to = forms.CharField(label=_("Berlaku sampai (kosongkan bila belum berakhir)"),
                               required=False, widget=forms.DateInput(attrs={"type": "date"},
                                                                      format="%Y-%m-%d"))
    amount = _digits(_("Jumlah santunan (Rp)"), 15)
    max_decile = _digits(_("Desil DTSEN tertinggi yang berhak (1 = termiskin)"), 2)
    sla_days = _digits(_("Batas waktu pembayaran sejak lengkap dan terverifikasi (hari)"), 3)
    notify_day = _digits(_("Kepala dinas diberi tahu pada hari ke-"), 3)
    documents = forms.MultipleChoiceField(label=_("Dokumen wajib"), required=False,
                                          widget=forms.CheckboxSelectMultiple)
    max_days_after_death = _digits(_("Batas pengajuan setelah meninggal (hari, boleh kosong)"), 5)
    min_age_years = _digits(_("Usia minimal almarhum (tahun, boleh kosong)"), 3)
    citation = _text(_("Dasar hukum (nama peraturan, mis. Perbup … tentang Santunan Kematian)"))
    exclusions = forms.CharField(label=_("Pengecualian (satu per baris)"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 2}))
    unconfirmed = forms.BooleanField(label=_("Ada nilai yang belum dikonfirmasi"),
                                     required=False)
    unconfirmed_parts = forms.CharField(
        label=_("Bagian yang belum dikonfirmasi dari teks peraturan (satu per baris)"),
        required=False, widget=forms.Textarea(attrs={"rows": 2}))
    note = forms.CharField(label=_("Catatan"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["documents"].choices = list(kinds)

    def service_data(self) -> dict:
        """The input as the service reads it (text; the service parses and checks)."""
        data = dict(self.cleaned_data)
        data["documents"] = list(data.get("documents") or [])
        return data

    @staticmethod
    def initial_of(version) -> dict:
        """A stored version as the form shows it."""
        def text(value):
            return "" if value is None else str(value)

        return {"valid_from": version.valid_from.isoformat(),
                "valid_to": version.valid_to.isoformat() if version.valid_to else "",
                "amount": text(version.amount), "max_decile": text(version.max_decile),
                "sla_days": text(version.sla_days), "notify_day": text(version.notify_day),
                "documents": list(version.documents),
                "max_days_after_death": text(version.max_days_after_death),
                "min_age_years": text(version.min_age_years), "citation": version.citation,
                "exclusions": "\n".join(version.exclusions), "unconfirmed": version.unconfirmed,
                "unconfirmed_parts": "\n".join(version.unconfirmed_parts),
                "note": version.note}
