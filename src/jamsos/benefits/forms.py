"""The calculator's two forms: a benefit case and a monthly contribution.

Every field is read and checked against the regulation engine's own bounds
(:mod:`jamsos.rules.bounds`, the one place they are defined) before the engine runs, so a
page reports every wrong field at once in the error summary (issue 13 item 5); a refusal the
engine can only give with all the facts (e.g. more months than the programme existed) comes
back onto its field too. Messages come from the engine in Bahasa Indonesia, dates in them in
the one format (``15 Sep 2025``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from jamsos.benefits.labels import event_label
from jamsos.core.dates import in_text
from jamsos.core.forms import Form
from jamsos.rules import EVENTS, CaseFacts, Child, InputError, bounds, contribution_facts
from jamsos.rules.model import SCHOOL_LEVELS

PROGRAM_LABELS = {"jkk": "JKK", "jkm": "JKM", "jht": "JHT", "jp": "JP", "jkp": "JKP"}
LEVEL_LABELS = {"belum_sekolah": _("Belum sekolah"), "tk": "TK", "sd": "SD", "smp": "SMP",
                "sma": "SMA/SMK", "pt": _("Perguruan tinggi")}
MAX_CHILDREN = 2


def engine_message(exc: InputError) -> str:
    """The engine's reason without its command-line option (``--wage: …``), as a sentence."""
    text = in_text(str(exc).removeprefix(f"{exc.option}: "))
    return text[:1].upper() + text[1:]


def engine_field(exc: InputError) -> str:
    """The form field an engine refusal concerns (``--event-date`` → ``event_date``)."""
    name = exc.option.lstrip("-").replace("-", "_")
    return {"child": "child1_birth", "children": "child1_birth", "wage": "wage"}.get(name, name)


def _checked(check, value, *args):
    try:
        check(value, *args)
    except InputError as exc:
        raise forms.ValidationError(engine_message(exc)) from None
    return value


class DateField(forms.DateField):
    """An ISO date (the browser's date input) within the engine's date bounds."""

    default_error_messages = {"invalid": _("Tanggal tidak valid.")}

    def __init__(self, *, required=False, **kwargs):
        super().__init__(required=required, input_formats=["%Y-%m-%d"],
                         error_messages={"required": _("Tanggal wajib diisi.")}, **kwargs)

    def clean(self, value):
        day = super().clean(value)
        return _checked(bounds.check_date, day, "tanggal") if day else day


class WholeField(forms.CharField):
    """A whole number typed the Indonesian way (``3.000.000``), with the engine's bound."""

    def __init__(self, *, check=None, default=0, **kwargs):
        self.check, self.default = check, default
        super().__init__(required=False, **kwargs)

    def clean(self, value):
        raw = (super().clean(value) or "").strip().replace(".", "").replace(" ", "")
        if not raw:
            return self.default
        if not (raw.isascii() and raw.isdigit()):
            raise forms.ValidationError(_("Isi bilangan bulat tanpa desimal."))
        if len(raw) > 30:  # far beyond every bound of the engine
            raise forms.ValidationError(_("Angka di luar batas wajar."))
        number = int(raw)
        return _checked(self.check, number) if self.check else number


def _amount(maximum, what):
    return lambda v: bounds.check_amount(v, "", maximum, what)


def _count(maximum):
    return lambda v: bounds.check_count(v, "", maximum)


def _age(v):
    bounds.check_age(v, "")


class BenefitForm(Form):
    """A benefit case; :meth:`facts` gives the engine's :class:`CaseFacts`."""

    program = forms.ChoiceField(choices=list(PROGRAM_LABELS.items()),
                                error_messages={"required": _("Pilih program."),
                                                "invalid_choice": _("Pilih program.")})
    event = forms.ChoiceField(error_messages={"required": _("Pilih peristiwa."),
                                              "invalid_choice": _("Pilih peristiwa.")})
    event_date = DateField(required=True)
    wage = WholeField(check=bounds.check_wage)
    segment = forms.ChoiceField(choices=[("pu", "PU"), ("bpu", "BPU")], required=False)
    membership_start = DateField()
    arrears_months = WholeField(check=_count(bounds.MAX_MONTHS))
    birth_date = DateField()
    child1_birth = DateField()
    child1_level = forms.ChoiceField(choices=[("", "–"), *((v, v) for v in SCHOOL_LEVELS)],
                                     required=False,
                                     error_messages={"invalid_choice": _(
                                         "Jenjang sekolah tidak dikenal.")})
    child2_birth = DateField()
    child2_level = forms.ChoiceField(choices=child1_level.choices, required=False,
                                     error_messages=child1_level.error_messages)
    incapacity_months = WholeField(check=_count(bounds.MAX_INCAPACITY_MONTHS))
    disability_percent = forms.CharField(required=False)
    treatment_cost = WholeField(check=_amount(bounds.MAX_COST, "biaya"))
    home_care_cost = WholeField(check=_amount(bounds.MAX_COST, "biaya"))
    claim_date = DateField()
    balance = WholeField(check=_amount(bounds.MAX_BALANCE, "saldo"), default=None)
    registration_age = WholeField(check=_age, default=None)
    months_paid_24 = WholeField(check=_count(bounds.MAX_MONTHS), default=None)
    consecutive_months = WholeField(check=_count(bounds.MAX_MONTHS), default=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].choices = [(e, event_label(e)) for names in EVENTS.values()
                                        for e in names]

    def clean_disability_percent(self):
        raw = (self.cleaned_data.get("disability_percent") or "").strip().replace(",", ".")
        if not raw:
            return None
        try:
            value = Decimal(raw)
        except InvalidOperation:
            raise forms.ValidationError(_("Persentase tidak valid.")) from None
        return _checked(bounds.check_percent, value, "")

    def clean(self):
        data = super().clean()
        program, event = data.get("program"), data.get("event")
        if program and event and event not in EVENTS[program]:
            self.add_error("event", _("Peristiwa ini bukan bagian dari program %(p)s.")
                           % {"p": PROGRAM_LABELS[program]})
        if not self.errors:
            try:  # the bounds that need several facts (birth before the event, …)
                bounds.check_case(self.facts())
            except InputError as exc:
                self.add_engine_error(exc)
        return data

    def add_engine_error(self, exc: InputError) -> None:
        field = engine_field(exc)
        self.add_error(field if field in self.fields else None, engine_message(exc))

    def facts(self) -> CaseFacts:
        d = self.cleaned_data
        children = tuple(
            Child(birth_date=d.get(f"child{i}_birth"), level=d.get(f"child{i}_level") or None)
            for i in range(1, MAX_CHILDREN + 1)
            if d.get(f"child{i}_birth") or d.get(f"child{i}_level"))
        return CaseFacts(
            program=d["program"], event=d["event"], event_date=d["event_date"],
            wage=d["wage"], segment=d.get("segment") or "pu",
            membership_start=d.get("membership_start"), arrears_months=d["arrears_months"],
            birth_date=d.get("birth_date"), children=children,
            incapacity_months=d["incapacity_months"],
            disability_percent=d.get("disability_percent"),
            treatment_cost=d["treatment_cost"], home_care_cost=d["home_care_cost"],
            claim_date=d.get("claim_date"), balance=d.get("balance"),
            registration_age=d.get("registration_age"),
            months_paid_24=d.get("months_paid_24"),
            consecutive_months=d.get("consecutive_months"))


class ContributionForm(Form):
    """A month's contributions; :meth:`facts` gives the engine's facts."""

    month = forms.CharField(error_messages={"required": _("Isi bulan iuran.")})
    c_wage = WholeField(check=bounds.check_wage)
    c_segment = forms.ChoiceField(choices=[("pu", "PU"), ("bpu", "BPU")], required=False)
    risk_class = forms.ChoiceField(
        choices=[("", "–"), *((str(r), str(r)) for r in range(1, 6))], required=False,
        error_messages={"invalid_choice": _("Kelompok risiko JKK harus 1 sampai 5.")})
    programs = forms.MultipleChoiceField(choices=list(PROGRAM_LABELS.items()),
                                         error_messages={"required": _(
                                             "Pilih minimal satu program.")})

    def __init__(self, data=None, *args, **kwargs):
        if data is not None:  # the page's check boxes are c_jkk, c_jkm, …
            data = data.copy()
            data.setlist("programs", [p for p in PROGRAM_LABELS if data.get(f"c_{p}")])
        super().__init__(data, *args, **kwargs)

    def clean_month(self):
        raw = self.cleaned_data["month"].strip()
        try:
            first = dt.date.fromisoformat(raw + "-01")
        except ValueError:
            raise forms.ValidationError(_("Bulan iuran tidak valid.")) from None
        return _checked(bounds.check_date, first, "")

    def facts(self):
        d = self.cleaned_data
        return contribution_facts(d["month"], d.get("c_segment") or "pu", d["c_wage"],
                                  d["programs"], int(d["risk_class"]) if d.get("risk_class")
                                  else None)

    def add_engine_error(self, exc: InputError) -> None:
        field = {"--wage": "c_wage", "--month": "month", "--risk-class": "risk_class",
                 "--programs": "programs", "--segment": "c_segment"}.get(exc.option)
        self.add_error(field, engine_message(exc))


__all__ = ["BenefitForm", "ContributionForm", "InputError", "engine_message"]
