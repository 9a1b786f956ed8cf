from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SantunanConfig(AppConfig):
    name = "jamsos.santunan"
    verbose_name = _("Santunan kematian")

    def ready(self) -> None:
        # Inside ready(): Django reads apps.py before any models, so other apps' modules
        # (models, signals) may only be imported once the app registry is ready.
        from jamsos.audit.labels import register_values
        from jamsos.audit.services import register_area
        from jamsos.santunan.models import Case, Document, GrantVersion, TransferBatch

        register_area("santunan_case", Case, "desa_id")
        register_area("santunan_document", Document, "case__desa_id")
        register_area("santunan_batch", TransferBatch, "area_id")
        register_area("santunan_grant_version", GrantVersion, "kabupaten_code")

        def document_kinds():
            from jamsos.santunan.params import document_kinds

            return document_kinds()

        register_values("santunan_document", "kind", document_kinds)
        register_values("santunan_case", "documents", document_kinds)
