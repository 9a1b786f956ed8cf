from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jamsos.registry import categories


class Sex(models.TextChoices):
    L = "L", _("Laki-laki")
    P = "P", _("Perempuan")


class Person(models.Model):
    """A worker. Everything links to ``id``; the NIK can be corrected without orphaning."""

    nik = models.CharField("NIK", max_length=16)
    name = models.CharField(_("nama"), max_length=150)
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("tanggal lahir"))
    # Regions are immutable reference data loaded from the shipped Kemendagri list and checked
    # by every write path, so the database does not re-check them row by row (bulk imports).
    desa = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("desa domisili"), db_column="desa_code", db_constraint=False,
        db_index=False,  # people are found per desa through their enrolments' index
    )
    phone = models.CharField(_("no. HP"), max_length=20, blank=True, default="")
    # NULL, not "", when unknown: KPJ is unique among the people who have one.
    kpj = models.CharField("KPJ", max_length=11, null=True, blank=True)  # noqa: DJ001
    died_on = models.DateField(_("tanggal meninggal"), null=True, blank=True)
    #: The import that created the person or last changed them (with the stored file and the
    #: batch's audit event, this is the audit record of bulk-created people).
    import_batch = models.ForeignKey(
        "registry.ImportBatch", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", db_constraint=False, db_index=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("orang")
        verbose_name_plural = _("orang")
        constraints = [
            # A constraint rather than unique=True: no extra LIKE index on PostgreSQL.
            models.UniqueConstraint(fields=["nik"], name="registry_person_nik_unique"),
            models.UniqueConstraint(fields=["kpj"], condition=Q(kpj__isnull=False),
                                    name="registry_person_kpj_unique"),
        ]
        indexes = [
            # The people list: a desa's people in name order; the whole kabupaten walked in
            # name order. A name's parts are found through a trigram index on PostgreSQL
            # (migration 0002); a NIK prefix through the unique NIK index.
            # id included: a desa's people as an index-only scan (see selectors._small_area_q)
            models.Index(fields=["desa", "name"], include=["id"],
                         name="registry_person_desa_name"),
            models.Index(fields=["name", "id"], name="registry_person_name"),
        ]

    def __str__(self) -> str:
        return self.name


class EnrolmentStatus(models.TextChoices):
    ACTIVE = "active", _("Aktif")
    SUSPENDED = "suspended", _("Ditangguhkan")
    ENDED = "ended", _("Berakhir")


class Enrolment(models.Model):
    """A person's protection in one worker category over a period."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="enrolments")
    category = models.CharField(_("kategori"), max_length=20, choices=categories.CHOICES)
    subcategory = models.CharField(
        _("sub kategori"), max_length=20, blank=True, default="",
        choices=categories.SUBCATEGORY_CHOICES,
    )
    occupation = models.CharField(_("pekerjaan"), max_length=100, blank=True, default="")
    desa = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("desa"), db_column="desa_code", db_constraint=False,
        db_index=False,  # the (desa, category, status) index serves
    )
    segment = models.CharField(
        _("segmen"), max_length=3, choices=list(categories.SEGMENTS.items())
    )
    jkk = models.BooleanField("JKK", default=True)
    jkm = models.BooleanField("JKM", default=True)
    jht = models.BooleanField("JHT", default=False)
    jp = models.BooleanField("JP", default=False)
    jkp = models.BooleanField("JKP", default=False)
    wage = models.BigIntegerField(_("upah/penghasilan (Rp)"), null=True, blank=True)
    funding_source = models.CharField(
        _("sumber dana"), max_length=10, choices=list(categories.FUNDING_SOURCES.items())
    )
    start_date = models.DateField(_("tanggal mulai"))
    end_date = models.DateField(_("tanggal berakhir"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=EnrolmentStatus.choices,
        default=EnrolmentStatus.ACTIVE,
    )
    #: The one active enrolment of a person that is insured and paid for; the others are
    #: reported as double enrolment.
    is_primary = models.BooleanField(_("dijamin"), default=True)
    import_batch = models.ForeignKey(
        "registry.ImportBatch", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", db_constraint=False, db_index=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("kepesertaan")
        verbose_name_plural = _("kepesertaan")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "category", "subcategory"],
                condition=Q(end_date__isnull=True),
                name="registry_one_open_enrolment_per_role",
            ),
            models.CheckConstraint(condition=Q(wage__gte=0) | Q(wage__isnull=True),
                                   name="registry_wage_not_negative"),
        ]
        indexes = [
            # person included: the people holding a role in an area, index only (people list)
            models.Index(fields=["desa", "category", "status"], include=["person"],
                         name="registry_enrolment_desa_cat"),
            # The roles not in force whatever the day (suspended, ended, with an end date) and
            # those starting later: where people "not covered" are found (people list).
            models.Index(fields=["person"],
                         condition=~Q(status="active") | Q(end_date__isnull=False),
                         name="registry_enrolment_not_open"),
            models.Index(fields=["start_date"], name="registry_enrolment_start"),
            # The few open roles that are not insured: double enrolments (issue 14).
            models.Index(fields=["person"], name="registry_enrolment_second",
                         condition=Q(status="active", end_date__isnull=True, is_primary=False)),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}:{self.category}/{self.subcategory or '-'}"


class Target(models.Model):
    """The headcount a regency aims to protect in one category in one area."""

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+",
                               db_column="region_code")
    category = models.CharField(_("kategori"), max_length=20, choices=categories.CHOICES)
    headcount = models.PositiveIntegerField(_("target (orang)"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["region", "category"], name="registry_one_target")
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.category}: {self.headcount}"


class FundingDefault(models.Model):
    """One dated version of a kabupaten/kota's default funding source per category: what an
    imported row without ``sumber_dana`` is funded by (issue 16). Versions are added, never
    changed; every addition is audited."""

    kabupaten = models.CharField(_("kabupaten/kota"), max_length=13)
    valid_from = models.DateField(_("berlaku mulai"))
    #: category key → funding source key (every category)
    sources = models.JSONField()
    citation = models.CharField(_("dasar"), max_length=500)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kabupaten", "valid_from"]
        constraints = [models.UniqueConstraint(fields=["kabupaten", "valid_from"],
                                               name="registry_one_funding_version")]

    def __str__(self) -> str:
        return f"{self.kabupaten} {self.valid_from}"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Menunggu giliran diproses")
    RUNNING = "running", _("Sedang diproses")
    DONE = "done", _("Selesai")
    FAILED = "failed", _("Gagal")


class ImportBatch(models.Model):
    """One worker file sent for import, from the CLI or the web."""

    filename = models.CharField(_("nama berkas"), max_length=255)
    stored_path = models.CharField(max_length=500, blank=True, default="")
    sha256 = models.CharField(max_length=64, blank=True, default="")
    size = models.BigIntegerField(default=0)
    dry_run = models.BooleanField(_("uji coba"), default=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    area = models.ForeignKey("regions.Region", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    status = models.CharField(max_length=10, choices=ImportStatus.choices,
                              default=ImportStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    stage = models.CharField(max_length=100, blank=True, default="")
    summary = models.JSONField(default=dict)
    rejected_path = models.CharField(max_length=500, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.filename}"
