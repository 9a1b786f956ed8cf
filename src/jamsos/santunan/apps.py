from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SantunanConfig(AppConfig):
    name = "jamsos.santunan"
    verbose_name = _("Santunan kematian")
