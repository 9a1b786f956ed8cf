from dataclasses import dataclass

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
    Role.PIMPINAN: frozenset({"kabupaten", "kota", "provinsi"}),
}
#: Roles that may work at province level (an area of level "provinsi") when the deployment is
#: a province (``JAMSOS_AREA=16``); the other roles work inside one kabupaten/kota.
PROVINCE_ROLES = frozenset({Role.ADMIN, Role.PIMPINAN, Role.OPERATOR, Role.BPJS, Role.AUDITOR})

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
    # Santunan kematian (Perbup OKI 17/2025): who proposes, pays and loads DTSEN.
    "propose_santunan": frozenset({Role.ADMIN, Role.KEPALA_DESA}),
    "pay_santunan": frozenset({Role.ADMIN, Role.VERIFIKATOR}),
    "import_dtsen": frozenset({Role.ADMIN, Role.VERIFIKATOR}),
    # Each regency's death-grant scheme (dated versions; issue 16): its administrator.
    "edit_santunan_scheme": frozenset({Role.ADMIN}),
    # Reports of aggregates (open to every signed-in user inside their area; these say whose
    # work they are, for the menu).
    "claims_report": frozenset({Role.ADMIN, Role.PIMPINAN, Role.OPERATOR, Role.BPJS,
                                Role.AUDITOR}),
    "santunan_report": frozenset({Role.ADMIN, Role.PIMPINAN, Role.VERIFIKATOR, Role.CAMAT,
                                  Role.AUDITOR}),
    "budget": frozenset({Role.ADMIN, Role.PIMPINAN, Role.OPERATOR}),
    # A regency's own premium settings (issue 16): UMK wage, JKK risk class, paying OPDs,
    # default funding sources, the yearly APBD allocation. Admins of a kabupaten/kota or of
    # the province (see ``accounts.selectors.may_set_regency``).
    "regency_settings": frozenset({Role.ADMIN}),
}


@dataclass(frozen=True)
class MenuItem:
    key: str
    label: str
    url_name: str
    perm: str | None  # a key of PERMISSIONS; None = every signed-in user


#: Every page the menu can link to, with the permission its view checks (or, for a page open to
#: every signed-in user, the permission that makes it part of a role's work).
MENU_ITEMS: dict[str, MenuItem] = {m.key: m for m in [
    MenuItem("home", _("Beranda"), "web:home", None),
    MenuItem("coverage", _("Cakupan"), "coverage:dashboard", None),
    MenuItem("candidates", _("Belum terlindungi"), "coverage:candidates", None),
    MenuItem("people", _("Pekerja"), "registry:people", "view_people"),
    MenuItem("imports", _("Impor pekerja"), "registry:imports", "edit_registry"),
    MenuItem("findings", _("Temuan ganda"), "registry:findings", "edit_registry"),
    MenuItem("targets", _("Target"), "registry:targets", "edit_targets"),
    MenuItem("premiums", _("Iuran"), "premiums:dashboard", "edit_premiums"),
    MenuItem("arrears", _("Tunggakan"), "premiums:arrears", "edit_premiums"),
    MenuItem("reconciliations", _("Rekonsiliasi"), "premiums:reconciliations",
             "edit_premiums"),
    MenuItem("budget", _("Anggaran"), "premiums:budget", "budget"),
    MenuItem("premium_settings", _("Pengaturan iuran"), "premiums:settings", "regency_settings"),
    MenuItem("claims", _("Klaim"), "claims:list", "edit_claims"),
    MenuItem("follow_ups", _("Tindak lanjut ahli waris"), "claims:follow_ups", "edit_claims"),
    MenuItem("scholarships", _("Beasiswa"), "claims:scholarships", "edit_claims"),
    MenuItem("claims_import", _("Impor klaim"), "claims:import", "edit_claims"),
    MenuItem("claims_report", _("Laporan klaim"), "claims:report", "claims_report"),
    MenuItem("santunan", _("Santunan"), "santunan:list", "view_people"),
    MenuItem("santunan_new", _("Usulan santunan"), "santunan:new", "propose_santunan"),
    MenuItem("santunan_overdue", _("Santunan terlambat"), "santunan:overdue", "pay_santunan"),
    MenuItem("santunan_payments", _("Pembayaran santunan"), "santunan:payments",
             "pay_santunan"),
    MenuItem("dtsen", _("DTSEN"), "santunan:dtsen", "import_dtsen"),
    MenuItem("santunan_report", _("Laporan SLA santunan"), "santunan:report",
             "santunan_report"),
    MenuItem("notifications", _("Notifikasi"), "santunan:notifications", "view_people"),
    MenuItem("santunan_rules", _("Ketentuan santunan"), "santunan:rules",
             "edit_santunan_scheme"),
    MenuItem("calculator", _("Kalkulator manfaat"), "benefits:calculator", None),
    MenuItem("audit", _("Jejak audit"), "audit:trail", "view_audit"),
    MenuItem("users", _("Pengguna"), "accounts:users", "manage_users"),
    MenuItem("public", _("Cakupan publik"), "web:public", None),
    MenuItem("ranking", _("Peringkat kabupaten/kota"), "web:ranking", None),
]}

#: Menu items a province-level user (area of level "provinsi") gets after "home" (issue 16).
PROVINCE_MENU: tuple[str, ...] = ("ranking",)

#: Each role's menu, in the order of its work. An item shows only if the role has its
#: permission (tests check that every listed item is permitted and opens).
ROLE_MENUS: dict[str, tuple[str, ...]] = {
    Role.ADMIN: ("home", "coverage", "candidates", "people", "imports", "findings", "targets",
                 "premiums", "arrears", "reconciliations", "budget", "premium_settings", "claims",
                 "follow_ups",
                 "scholarships", "claims_report", "santunan", "santunan_payments",
                 "santunan_report", "santunan_rules", "calculator", "audit", "users", "public"),
    Role.PIMPINAN: ("home", "coverage", "candidates", "claims_report", "santunan_report", "budget",
                    "calculator", "public"),
    Role.OPERATOR: ("home", "imports", "people", "findings", "coverage", "candidates",
                    "targets",
                    "premiums", "arrears", "reconciliations", "budget", "claims",
                    "claims_report", "calculator"),
    Role.VERIFIKATOR: ("home", "santunan", "santunan_overdue", "santunan_payments", "dtsen",
                       "santunan_report", "notifications", "people", "coverage",
                       "calculator"),
    Role.CAMAT: ("home", "santunan", "notifications", "people", "imports", "coverage",
                 "candidates",
                 "santunan_report", "calculator"),
    Role.KEPALA_DESA: ("home", "santunan", "santunan_new", "people", "imports", "coverage",
                       "candidates",
                       "notifications", "calculator"),
    Role.BPJS: ("home", "follow_ups", "claims", "claims_import", "scholarships",
                "claims_report", "people", "coverage", "calculator"),
    Role.AUDITOR: ("home", "audit", "people", "coverage", "claims_report", "santunan_report",
                   "calculator"),
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


class ResetLink(models.Model):
    """A one-time password reset link an administrator issued for a user (issue 13 item 8).

    Only the SHA-256 of the link's secret is stored: the link is shown once to whoever issued
    it (and e-mailed to the user when they have an address), never again."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="reset_links")
    key_hash = models.CharField(max_length=64, unique=True)
    issued_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    issued_by_name = models.CharField(max_length=150)
    used_at = models.DateTimeField(null=True, blank=True)
    emailed = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"reset {self.user_id} {self.issued_at:%Y-%m-%d %H:%M}"
