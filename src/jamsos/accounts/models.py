from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    PIMPINAN = "pimpinan", _("Pimpinan (Bupati, Sekda, Bappeda)")
    OPERATOR = "operator", _("Operator OPD")
    VERIFIKATOR = "verifikator", _("Verifikator Dinas Sosial")
    CAMAT = "camat", _("Camat / operator kecamatan")
    KEPALA_DESA = "kepala_desa", _("Kepala desa / operator desa")
    BPJS = "bpjs", _("Petugas BPJS Ketenagakerjaan")
    AUDITOR = "auditor", _("Auditor")


#: The region levels a role's area must have (roles not named: any level of the deployment).
ROLE_LEVELS: dict[str, frozenset[str]] = {
    Role.KEPALA_DESA: frozenset({"desa", "kelurahan", "desa_adat"}),
    Role.CAMAT: frozenset({"kecamatan"}),
    Role.PIMPINAN: frozenset({"kabupaten", "kota"}),
}

#: Roles that may change the worker registry (within their area).
REGISTRY_WRITERS = frozenset({Role.ADMIN, Role.OPERATOR, Role.CAMAT, Role.KEPALA_DESA})
#: Roles that see unmasked NIKs, phones and KPJ numbers.
PERSONAL_DATA_READERS = frozenset(
    {Role.ADMIN, Role.OPERATOR, Role.CAMAT, Role.KEPALA_DESA, Role.VERIFIKATOR, Role.BPJS}
)

#: What each role may do, always inside its own area. Pimpinan (Bupati, Sekda, Bappeda) read
#: aggregates and reports only: no lists of named people.
PERMISSIONS: dict[str, frozenset[str]] = {
    "view_people": frozenset(set(Role) - {Role.PIMPINAN}),
    "edit_registry": REGISTRY_WRITERS,
    "personal_data": PERSONAL_DATA_READERS,
    "edit_targets": frozenset({Role.ADMIN, Role.OPERATOR}),
    "edit_premiums": frozenset({Role.ADMIN, Role.OPERATOR}),
    "edit_claims": frozenset({Role.ADMIN, Role.OPERATOR, Role.BPJS}),
    "view_audit": frozenset({Role.ADMIN, Role.AUDITOR}),
    "manage_users": frozenset({Role.ADMIN}),
}


class Profile(models.Model):
    """A user's role and the area (kabupaten, kecamatan or desa) it is limited to."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    role = models.CharField(_("peran"), max_length=20, choices=Role.choices)
    area = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, verbose_name=_("wilayah kerja")
    )

    def __str__(self) -> str:
        return f"{self.user} ({self.role} @ {self.area_id})"


class FailedLogin(models.Model):
    """A refused sign-in, for throttling (the audit trail keeps its own record)."""

    username = models.CharField(max_length=150)
    ip = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["username", "at"]), models.Index(fields=["ip", "at"])]

    def __str__(self) -> str:
        return f"{self.username} @ {self.at:%Y-%m-%d %H:%M}"
