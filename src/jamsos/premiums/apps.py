from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PremiumsConfig(AppConfig):
    name = "jamsos.premiums"
    verbose_name = _("Iuran dan anggaran")

    def ready(self) -> None:
        from jamsos.premiums import receivers
        from jamsos.registry.signals import roles_changed

        roles_changed.connect(receivers.refresh_profiles, dispatch_uid="premiums.profiles")
