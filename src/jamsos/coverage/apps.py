from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoverageConfig(AppConfig):
    name = "jamsos.coverage"
    verbose_name = _("Cakupan kepesertaan")

    def ready(self) -> None:
        # Inside ready(): Django reads apps.py before any models, so other apps' modules
        # (models, signals) may only be imported once the app registry is ready.
        from jamsos.coverage import receivers
        from jamsos.dtsen.signals import extract_stored
        from jamsos.registry.signals import person_died, roles_changed

        roles_changed.connect(receivers.recount, dispatch_uid="coverage.recount")
        roles_changed.connect(receivers.trends_stale, dispatch_uid="coverage.trends_stale")
        person_died.connect(receivers.recount_candidates_of_the_dead,
                            dispatch_uid="coverage.candidates_death")
        extract_stored.connect(receivers.recount_candidates_for_extract,
                               dispatch_uid="coverage.candidates_extract")
