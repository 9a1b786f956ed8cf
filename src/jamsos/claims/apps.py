from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClaimsConfig(AppConfig):
    name = "jamsos.claims"
    verbose_name = _("Klaim dan beasiswa")

    def ready(self) -> None:
        from jamsos.claims import receivers
        from jamsos.registry.signals import person_died

        person_died.connect(receivers.open_heirs_follow_up, dispatch_uid="claims.follow_up")
