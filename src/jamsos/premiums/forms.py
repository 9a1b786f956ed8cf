"""Premium forms: the input; the services check it (as for the API) and report every field at
fault at once (issues 12 and 13)."""

from __future__ import annotations

from django import forms

from jamsos.core.forms import Form


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
