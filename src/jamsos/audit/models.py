from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One change to a personal or financial record, or one security-relevant act.

    ``changes`` holds ``{"field": [before, after], ...}``; a create has ``before`` null and a
    delete ``after`` null. Rows are only ever inserted (database triggers refuse UPDATE and
    DELETE, except the one-time sealing of a bulk-inserted row's hash). Each row's ``hash``
    covers its content and the previous row's hash, so any later edit breaks the chain from
    that row on (``jamsos audit verify``).
    """

    at = models.DateTimeField(_("waktu"), db_index=True)
    actor = models.ForeignKey(
        # Users are deactivated, never deleted; the trail must not change if one were.
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.DO_NOTHING,
        related_name="+", db_constraint=False,
    )
    actor_name = models.CharField(_("pelaku"), max_length=150)
    ip = models.GenericIPAddressField(_("alamat IP"), null=True, blank=True)
    source = models.CharField(_("sumber"), max_length=100, blank=True)
    action = models.CharField(_("tindakan"), max_length=30)
    object_type = models.CharField(_("jenis objek"), max_length=50)
    object_id = models.CharField(_("id objek"), max_length=40, blank=True)
    changes = models.JSONField(_("perubahan"), default=dict)
    #: The region the event belongs to (the object's desa/kecamatan, else the actor's area);
    #: empty for deployment-wide events, which only kabupaten-level viewers see. Covered by
    #: the hash like every other field, so nobody can move an event out of an auditor's view.
    area = models.CharField(_("wilayah"), max_length=20, blank=True, default="", db_default="")
    prev_hash = models.CharField(max_length=64, blank=True, default="", db_default="")
    hash = models.CharField(max_length=64, blank=True, default="", db_default="")

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["object_type", "object_id"]),
                   models.Index(fields=["area", "id"], name="audit_event_area")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_type}"


class ChainHead(models.Model):
    """The single row holding the newest sealed hash; locked while the chain grows."""

    last_id = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="")

    def __str__(self) -> str:
        return f"audit chain at #{self.last_id}"
