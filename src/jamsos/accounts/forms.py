from django import forms
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _

from jamsos.accounts.throttle import address_locked, note_failure, username_locked, window_minutes
from jamsos.audit.middleware import client_ip
from jamsos.core.forms import SummaryForm


class ThrottledAuthenticationForm(SummaryForm, AuthenticationForm):
    """Sign-in with the throttle of :mod:`jamsos.accounts.throttle`: a locked username is
    refused even with the right password; a busy address only has its wrong passwords
    refused."""

    error_messages = {
        **AuthenticationForm.error_messages,
        # Django's Indonesian wording repeats itself ("nama pengguna nama pengguna").
        "invalid_login": _("Nama pengguna atau kata sandi salah. Perhatikan huruf besar dan "
                           "kecil pada kata sandi."),
        "throttled": _("Terlalu banyak percobaan masuk yang gagal untuk nama pengguna ini. "
                       "Coba lagi dalam %(minutes)d menit, atau minta administrator membuka "
                       "kuncinya."),
        "throttled_address": _("Terlalu banyak percobaan masuk yang gagal dari alamat ini. "
                               "Kata sandi yang benar tetap dapat masuk; percobaan lain "
                               "dibuka lagi dalam %(minutes)d menit."),
    }

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        ip = client_ip(self.request) if self.request else None
        minutes = {"minutes": window_minutes()}
        if username_locked(username):
            raise forms.ValidationError(self.error_messages["throttled"], code="throttled",
                                        params=minutes)
        try:
            return super().clean()
        except forms.ValidationError:
            note_failure(username, ip)
            if address_locked(ip):
                raise forms.ValidationError(self.error_messages["throttled_address"],
                                            code="throttled", params=minutes) from None
            raise


class ResetPasswordForm(SummaryForm, SetPasswordForm):
    """The new password through a reset link (Django's validators, typed twice)."""


class UserCreateForm(SummaryForm, forms.Form):
    """A new user (the services check the username, role, area and password)."""

    username = forms.CharField(label=_("Nama pengguna"), max_length=150)
    role = forms.ChoiceField(label=_("Peran"))
    area = forms.CharField(label=_("Kode wilayah kerja"), max_length=13,
                           widget=forms.TextInput(attrs={"placeholder": "16.02.13"}))
    email = forms.EmailField(label=_("E-mail (untuk tautan atur ulang sandi, boleh kosong)"),
                             required=False)
    password = forms.CharField(label=_("Kata sandi awal (min. 10 karakter)"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def __init__(self, *args, roles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = list(roles)
