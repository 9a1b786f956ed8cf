from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SantunanConfig(AppConfig):
    name = "jamsos.santunan"
    verbose_name = _("Santunan kematian")

    def ready(self) -> None:
        from jamsos.audit.services import register_area
        from jamsos.santunan.models import Case, Document, TransferBatch

        register_area("santunan_case", Case, "desa_id")
        register_area("santunan_document", Document, "case__desa_id")
        register_area("santunan_batch", TransferBatch, "area_id")
