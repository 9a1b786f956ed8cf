from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "jamsos.accounts"
    verbose_name = _("Pengguna dan peran")

    def ready(self) -> None:
        # Inside ready(): Django reads apps.py before any models, so other apps' modules
        # (models, signals) may only be imported once the app registry is ready.
        from django.contrib.auth import get_user_model

        from jamsos.audit.services import register_area

        register_area("user", get_user_model(), "profile__area_id")
