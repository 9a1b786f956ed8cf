from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "jamsos.registry"
    verbose_name = _("Registri pekerja")

    def ready(self) -> None:
        # Inside ready(): Django reads apps.py before any models, so other apps' modules
        # (models, signals) may only be imported once the app registry is ready.
        from jamsos.audit.labels import register_values
        from jamsos.audit.services import register_area
        from jamsos.registry.models import Enrolment, FundingDefault, ImportBatch, Person, Target

        register_area("person", Person, "desa_id")
        register_area("enrolment", Enrolment, "desa_id")
        register_area("target", Target, "region_id")
        register_area("import_batch", ImportBatch, "area_id")
        register_area("funding_default", FundingDefault, "kabupaten")
        # Why an import row was refused, as the audit trail says it.
        register_values("person", "reason",
                        lambda: {"outside_area": _("orang ini terdaftar di luar wilayah impor")})
