from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from jamsos.accounts.throttle import WINDOW, is_throttled, note_failure
from jamsos.audit.middleware import client_ip


class ThrottledAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "throttled": _("Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam %(minutes)d "
                       "menit."),
    }

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        ip = client_ip(self.request) if self.request else None
        if is_throttled(username, ip):
            raise forms.ValidationError(self.error_messages["throttled"], code="throttled",
                                        params={"minutes": int(WINDOW.total_seconds() // 60)})
        try:
            return super().clean()
        except forms.ValidationError:
            note_failure(username, ip)
            raise
