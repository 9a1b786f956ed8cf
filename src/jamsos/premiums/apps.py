from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PremiumsConfig(AppConfig):
    name = "jamsos.premiums"
    verbose_name = _("Iuran dan anggaran")

    def ready(self) -> None:
        # Inside ready(): Django reads apps.py before any models, so other apps' modules
        # (models, signals) may only be imported once the app registry is ready.
        from jamsos.premiums import receivers
        from jamsos.registry.signals import roles_changed

        roles_changed.connect(receivers.refresh_profiles, dispatch_uid="premiums.profiles")

        from jamsos.audit.labels import register_values
        from jamsos.audit.services import register_area
        from jamsos.premiums.models import Allocation, BillingSetting, RecClass

        # A regency's settings are filed under that kabupaten/kota (issue 16).
        register_area("billing_setting", BillingSetting, "kabupaten")
        register_area("allocation", Allocation, "kabupaten")

        # A reconciliation's audited summary is keyed by class: the trail names the classes.
        register_values("reconciliation", "summary", lambda: dict(RecClass.choices))
