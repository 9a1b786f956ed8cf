"""Premium forms: the input; the services check it (as for the API) and report every field at
fault at once (issues 12 and 13)."""

from __future__ import annotations

from django import forms

from jamsos.core.forms import Form
from jamsos.registry import categories


class PaymentForm(Form):
    """Ids as the invoice page names its fields (``amount``, ``paid_on``, ``reference``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="%s", **kwargs)

    amount = forms.CharField(required=False)
    paid_on = forms.CharField(required=False)
    reference = forms.CharField(required=False)


class AdjustmentForm(Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="adj-%s", **kwargs)

    amount = forms.CharField(required=False)
    reason = forms.CharField(required=False)


class BillingSettingsForm(Form):
    """A new dated version of a regency's billing settings (fields left empty: unchanged)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="set-%s", **kwargs)
        for c in categories.CATEGORIES:
            self.fields[f"opd_{c.key}"] = forms.CharField(required=False, label=c.label)

    valid_from = forms.CharField(required=False)
    citation = forms.CharField(required=False)
    note = forms.CharField(required=False)
    unconfirmed = forms.BooleanField(required=False)
    pu_wage = forms.CharField(required=False)
    risk_class = forms.CharField(required=False)
    opd_names = forms.CharField(required=False)

    def paying_opd(self) -> dict[str, str] | None:
        """Category → OPD code when any is filled (then the blank ones have no OPD)."""
        got = {c.key: (self.cleaned_data.get(f"opd_{c.key}") or "").strip().upper()
               for c in categories.CATEGORIES}
        return {k: v for k, v in got.items() if v} if any(got.values()) else None

    def names(self) -> dict[str, str] | None:
        """``DPMD = Dinas …`` lines → {code: name}; a line without ``=`` keeps a blank name
        (the service reports it)."""
        text = (self.cleaned_data.get("opd_names") or "").strip()
        if not text:
            return None
        out = {}
        for line in text.splitlines():
            if line.strip():
                code, _sep, name = line.partition("=")
                out[code.strip().upper()] = name.strip()
        return out


class FundingDefaultsForm(Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="fund-%s", **kwargs)
        for c in categories.CATEGORIES:
            self.fields[f"funding_{c.key}"] = forms.CharField(required=False, label=c.label)

    valid_from = forms.CharField(required=False)
    citation = forms.CharField(required=False)

    def sources(self) -> dict[str, str]:
        return {c.key: self.cleaned_data.get(f"funding_{c.key}") or ""
                for c in categories.CATEGORIES}


class AllocationForm(Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="pagu-%s", **kwargs)

    year = forms.CharField(required=False)
    amount = forms.CharField(required=False)
    source = forms.CharField(required=False)
