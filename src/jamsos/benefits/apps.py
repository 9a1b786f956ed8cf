from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BenefitsConfig(AppConfig):
    name = "jamsos.benefits"
    verbose_name = _("Kalkulator manfaat dan iuran")
