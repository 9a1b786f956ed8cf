from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One change to a personal or financial record, or one security-relevant act.

    ``changes`` holds ``{"field": [before, after], ...}``; a create has ``before`` null and a
    delete ``after`` null. Rows are only ever inserted.
    """

    at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(_("pelaku"), max_length=150)
    source = models.CharField(_("sumber"), max_length=100, blank=True)
    action = models.CharField(_("tindakan"), max_length=30)
    object_type = models.CharField(_("jenis objek"), max_length=50)
    object_id = models.CharField(_("id objek"), max_length=40, blank=True)
    changes = models.JSONField(_("perubahan"), default=dict)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_type}"
