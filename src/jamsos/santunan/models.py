"""Santunan kematian (each regency's own regulation, e.g. Perbup OKI 17/2025): cases, their
documents, history and payments, and the dated versions of each regency's scheme."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "draft", _("Menunggu pengiriman dari desa")
    SUBMITTED = "submitted", _("Menunggu pemeriksaan kecamatan")
    FORWARDED = "forwarded", _("Menunggu verifikasi Dinas Sosial")
    VERIFIED = "verified", _("Terverifikasi, menunggu persetujuan")
    APPROVED = "approved", _("Disetujui, menunggu transfer")
    PAID = "paid", _("Dibayar")
    CLOSED = "closed", _("Selesai")
    REJECTED = "rejected", _("Ditolak")


#: Order of the normal path (a return goes one step back).
PATH = [Status.DRAFT, Status.SUBMITTED, Status.FORWARDED, Status.VERIFIED, Status.APPROVED,
        Status.PAID, Status.CLOSED]
OPEN_STATES = [Status.DRAFT, Status.SUBMITTED, Status.FORWARDED, Status.VERIFIED,
               Status.APPROVED]


class Relationship(models.TextChoices):
    SPOUSE = "pasangan", _("Suami/istri")
    CHILD = "anak", _("Anak")
    PARENT = "orang_tua", _("Orang tua")
    SIBLING = "saudara", _("Saudara kandung")
    OTHER = "lainnya", _("Lainnya")


class Case(models.Model):
    """One proposal for a deceased resident, from the desa to payment."""

    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.DRAFT)
    desa = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+",
                             db_column="desa_code", verbose_name=_("desa"))
    # The deceased
    deceased_nik = models.CharField(_("NIK almarhum/almarhumah"), max_length=16)
    deceased_name = models.CharField(_("nama almarhum/almarhumah"), max_length=150)
    died_on = models.DateField(_("tanggal meninggal"))
    death_place = models.CharField(_("tempat meninggal"), max_length=150)
    akta_number = models.CharField(_("nomor akta kematian"), max_length=60)
    no_kk = models.CharField(_("No. KK"), max_length=16)
    # The heir
    heir_nik = models.CharField(_("NIK ahli waris"), max_length=16)
    heir_name = models.CharField(_("nama ahli waris"), max_length=150)
    heir_relationship = models.CharField(_("hubungan dengan almarhum"), max_length=10,
                                         choices=Relationship.choices)
    heir_phone = models.CharField(_("no. HP ahli waris"), max_length=20, blank=True, default="")
    bank_name = models.CharField(_("bank"), max_length=60)
    account_number = models.CharField(_("nomor rekening"), max_length=30)
    account_holder = models.CharField(_("nama pemilik rekening"), max_length=150)
    # Regulation version in force on the date of death, and what it gives
    scheme_version = models.CharField(_("versi ketentuan"), max_length=10)
    amount = models.BigIntegerField(_("jumlah (Rp)"))
    # Eligibility found at verification
    dtsen_extract = models.ForeignKey("dtsen.DtsenExtract", null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")
    decile = models.PositiveSmallIntegerField(_("desil DTSEN"), null=True, blank=True)
    person = models.ForeignKey("registry.Person", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("peserta di registri"))
    # The SLA clock: from "complete and verified" to payment
    verified_at = models.DateTimeField(_("lengkap dan terverifikasi pada"), null=True, blank=True)
    sla_start = models.DateField(_("mulai hitung SLA"), null=True, blank=True)
    sla_days = models.PositiveSmallIntegerField(_("batas SLA (hari)"), null=True, blank=True)
    paid_on = models.DateField(_("tanggal dibayar"), null=True, blank=True)
    # Payment
    batch = models.ForeignKey("santunan.TransferBatch", null=True, blank=True,
                              on_delete=models.PROTECT, related_name="cases")
    transfer_reference = models.CharField(_("referensi transfer"), max_length=40, blank=True,
                                          default="")
    transfer_note = models.CharField(_("catatan bank"), max_length=255, blank=True, default="")
    # Bookkeeping
    version = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            # One santunan per deceased; a rejected proposal does not block a new one.
            models.UniqueConstraint(fields=["deceased_nik"], condition=~Q(status="rejected"),
                                    name="santunan_one_case_per_deceased"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="santunan_amount_positive"),
        ]
        indexes = [
            models.Index(fields=["status", "desa"], name="santunan_case_status_desa"),
            models.Index(fields=["desa"], name="santunan_case_desa"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        return f"SK-{self.created_at:%Y}-{self.pk:05d}" if self.created_at else f"SK-{self.pk}"

    @property
    def kecamatan_code(self) -> str:
        return ".".join(self.desa_id.split(".")[:3])


class Document(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("jenis dokumen"), max_length=30)
    original_name = models.CharField(_("nama berkas"), max_length=255)
    stored_name = models.CharField(max_length=120)  # relative to DATA_DIR/files
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "-id"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.original_name}"

    @property
    def kind_label(self) -> str:
        """The document kind as people name it (``data/scheme.toml`` [documents])."""
        from jamsos.santunan.params import document_kinds

        return document_kinds().get(self.kind, self.kind)


class Transition(models.Model):
    """Every step of a case: who, when, from which state to which, and why."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField(max_length=20)
    from_status = models.CharField(max_length=10, blank=True, default="")
    to_status = models.CharField(max_length=10)
    reason = models.TextField(blank=True, default="")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                             related_name="+")
    user_name = models.CharField(max_length=150)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case", "at"], name="santunan_transition_case")]

    def __str__(self) -> str:
        return f"{self.action} {self.from_status}→{self.to_status}"


class BatchStatus(models.TextChoices):
    SENT = "sent", _("Menunggu hasil bank")
    DONE = "done", _("Hasil bank diterima")


class TransferBatch(models.Model):
    """A transfer file for the bank with the approved cases, then the bank's result."""

    status = models.CharField(max_length=5, choices=BatchStatus.choices, default=BatchStatus.SENT)
    total = models.BigIntegerField(default=0)
    count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    #: The area of the payer who made it: who may see the batch (also once every transfer in
    #: it failed and its cases went back to the approved list).
    area = models.ForeignKey("regions.Region", null=True, on_delete=models.PROTECT,
                             db_column="area_code", db_constraint=False, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    result_filename = models.CharField(max_length=255, blank=True, default="")
    result_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"TRF-{self.pk:05d}"


class Notification(models.Model):
    """An in-app message; ``key`` makes scheduled notices idempotent."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="santunan_notifications")
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+")
    key = models.CharField(max_length=60)
    message = models.CharField(max_length=500)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "key"],
                                               name="santunan_notification_once")]
        indexes = [models.Index(fields=["user", "read_at"], name="santunan_notif_unread")]

    def __str__(self) -> str:
        return self.message


class OutboxEmail(models.Model):
    """An e-mail to send (kept after sending, with the error if it failed)."""

    to = models.CharField(max_length=254)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    key = models.CharField(max_length=80, unique=True)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True, default="")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"


class GrantVersion(models.Model):
    """One dated version of a kabupaten/kota's death grant (its Perbup/Perwali): what it pays,
    to whom and how fast. A case takes the version of its deceased's regency in force on the
    date of death (``Case.scheme_version`` holds its ``valid_from``). A regency without any
    version has no santunan. Added and corrected by that regency's administrator through
    ``services.add_grant_version``/``correct_grant_version`` (audited); the checks are
    ``params.version_errors``."""

    kabupaten_code = models.CharField(_("kabupaten/kota"), max_length=5)
    valid_from = models.DateField(_("berlaku mulai"))
    valid_to = models.DateField(_("berlaku sampai"), null=True, blank=True)
    amount = models.BigIntegerField(_("jumlah (Rp)"))
    max_decile = models.PositiveSmallIntegerField(_("desil DTSEN tertinggi"))
    sla_days = models.PositiveSmallIntegerField(_("batas waktu pembayaran (hari)"))
    notify_day = models.PositiveSmallIntegerField(_("hari pemberitahuan kepala dinas"))
    documents = models.JSONField(_("dokumen wajib"), default=list)
    exclusions = models.JSONField(_("pengecualian"), default=list, blank=True)
    max_days_after_death = models.PositiveIntegerField(
        _("batas pengajuan (hari setelah meninggal)"), null=True, blank=True)
    min_age_years = models.PositiveSmallIntegerField(_("usia minimal (tahun)"), null=True,
                                                     blank=True)
    citation = models.CharField(_("dasar hukum"), max_length=300)
    unconfirmed = models.BooleanField(_("belum dikonfirmasi"), default=False)
    unconfirmed_parts = models.JSONField(_("bagian yang belum dikonfirmasi"), default=list,
                                         blank=True)
    note = models.TextField(_("catatan"), blank=True, default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kabupaten_code", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["kabupaten_code", "valid_from"],
                                    name="santunan_grant_one_version_per_day"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="santunan_grant_amount"),
            models.CheckConstraint(condition=Q(max_decile__gte=1, max_decile__lte=10),
                                   name="santunan_grant_decile"),
            models.CheckConstraint(condition=Q(notify_day__gte=1,
                                               notify_day__lte=models.F("sla_days")),
                                   name="santunan_grant_notify_day"),
            models.CheckConstraint(condition=Q(valid_to__isnull=True)
                                   | Q(valid_to__gte=models.F("valid_from")),
                                   name="santunan_grant_dates"),
        ]

    def __str__(self) -> str:
        return f"{self.kabupaten_code} {self.valid_from}"
