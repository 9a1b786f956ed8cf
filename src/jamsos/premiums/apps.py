from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PremiumsConfig(AppConfig):
    name = "jamsos.premiums"
    verbose_name = _("Iuran dan anggaran")

    def ready(self) -> None:
        from jamsos.audit.labels import register_values
        from jamsos.premiums.models import RecClass

        # A reconciliation's audited summary is keyed by class: the trail names the classes.
        register_values("reconciliation", "summary", lambda: dict(RecClass.choices))
