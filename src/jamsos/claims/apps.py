from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClaimsConfig(AppConfig):
    name = "jamsos.claims"
    verbose_name = _("Klaim dan beasiswa")

    def ready(self) -> None:
        # Inside ready(): Django reads apps.py before any models, so other apps' modules
        # (models, signals) may only be imported once the app registry is ready.
        from jamsos.audit.services import register_area
        from jamsos.claims.models import (
            Beneficiary,
            Claim,
            FollowUp,
            ScholarshipChild,
            ScholarshipPayment,
        )

        register_area("claim", Claim, "person__desa_id")
        register_area("beneficiary", Beneficiary, "claim__person__desa_id")
        register_area("heirs_follow_up", FollowUp, "person__desa_id")
        register_area("scholarship_child", ScholarshipChild, "claim__person__desa_id")
        register_area("scholarship_payment", ScholarshipPayment, "child__claim__person__desa_id")
        from jamsos.claims import receivers
        from jamsos.registry.signals import person_died

        person_died.connect(receivers.open_heirs_follow_up, dispatch_uid="claims.follow_up")
