from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoverageConfig(AppConfig):
    name = "jamsos.coverage"
    verbose_name = _("Cakupan kepesertaan")

    def ready(self) -> None:
        # Inside ready(): Django reads apps.py before any models, so other apps' modules
        # (models, signals) may only be imported once the app registry is ready.
        from jamsos.coverage import receivers
        from jamsos.registry.signals import roles_changed

        roles_changed.connect(receivers.recount, dispatch_uid="coverage.recount")
        roles_changed.connect(receivers.trends_stale, dispatch_uid="coverage.trends_stale")
