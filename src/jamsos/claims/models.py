"""Claims, heirs, scholarships and the heirs' follow-up after a death.

A claim belongs to the area of its person's desa. Amounts are whole rupiah (``BigIntegerField``).
The entitlement the regulation engine computed is stored item by item (code, amount, basis,
citation, unconfirmed) with the claim, so the citation still shows if data change later.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Program(models.TextChoices):
    JKK = "jkk", "JKK"
    JKM = "jkm", "JKM"
    JHT = "jht", "JHT"
    JP = "jp", "JP"
    JKP = "jkp", "JKP"


#: Engine events offered per programme (docs/rules.md "Events"), with Indonesian labels.
EVENTS: dict[str, tuple[tuple[str, str], ...]] = {
    "jkk": (("work_accident", _("Kecelakaan kerja (perawatan)")),
            ("temporary_incapacity", _("Tidak mampu bekerja sementara (STMB)")),
            ("partial_disability", _("Cacat sebagian")),
            ("total_disability", _("Cacat total tetap")),
            ("work_accident_death", _("Meninggal akibat kecelakaan kerja"))),
    "jkm": (("death", _("Meninggal dunia")),),
    "jht": (("resignation", _("Mengundurkan diri")), ("termination", _("PHK")),
            ("retirement", _("Pensiun")), ("contract_end", _("Kontrak berakhir")),
            ("stop_working", _("Berhenti bekerja (BPU)")), ("death", _("Meninggal dunia")),
            ("total_disability", _("Cacat total tetap")),
            ("partial_withdrawal", _("Klaim sebagian"))),
    "jp": (("retirement", _("Pensiun")), ("total_disability", _("Cacat total tetap")),
           ("death", _("Meninggal dunia"))),
    "jkp": (("job_loss", _("Kehilangan pekerjaan")),),
}
DEATH_EVENTS = {("jkm", "death"), ("jkk", "work_accident_death")}
#: Claims that give the participant's children a scholarship.
SCHOLARSHIP_EVENTS = {("jkm", "death"), ("jkk", "work_accident_death"),
                      ("jkk", "total_disability")}


def event_label(program: str, event: str) -> str:
    return str(dict(EVENTS.get(program, ())).get(event, event))


class ClaimStatus(models.TextChoices):
    REPORTED = "reported", _("Menunggu berkas lengkap")
    DOCUMENTS_COMPLETE = "documents_complete", _("Menunggu pengajuan ke BPJS")
    SUBMITTED = "submitted", _("Menunggu keputusan BPJS")
    PAID = "paid", _("Dibayar")
    REJECTED = "rejected", _("Ditolak")


#: The status ladder: each status and the statuses it may move to (no skipping).
LADDER: dict[str, tuple[str, ...]] = {
    ClaimStatus.REPORTED: (ClaimStatus.DOCUMENTS_COMPLETE,),
    ClaimStatus.DOCUMENTS_COMPLETE: (ClaimStatus.SUBMITTED,),
    ClaimStatus.SUBMITTED: (ClaimStatus.PAID, ClaimStatus.REJECTED),
    ClaimStatus.PAID: (),
    ClaimStatus.REJECTED: (),
}
#: The path from ``reported`` to each status (used to record an imported claim's history).
PATH: dict[str, tuple[str, ...]] = {
    ClaimStatus.REPORTED: (ClaimStatus.REPORTED,),
    ClaimStatus.DOCUMENTS_COMPLETE: (ClaimStatus.REPORTED, ClaimStatus.DOCUMENTS_COMPLETE),
    ClaimStatus.SUBMITTED: (ClaimStatus.REPORTED, ClaimStatus.DOCUMENTS_COMPLETE,
                            ClaimStatus.SUBMITTED),
    ClaimStatus.PAID: (ClaimStatus.REPORTED, ClaimStatus.DOCUMENTS_COMPLETE,
                       ClaimStatus.SUBMITTED, ClaimStatus.PAID),
    ClaimStatus.REJECTED: (ClaimStatus.REPORTED, ClaimStatus.DOCUMENTS_COMPLETE,
                           ClaimStatus.SUBMITTED, ClaimStatus.REJECTED),
}


class ClaimImport(models.Model):
    """One claim report file from BPJS Ketenagakerjaan."""

    filename = models.CharField(_("nama berkas"), max_length=255)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    area = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    dry_run = models.BooleanField(default=False)
    summary = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.filename}"


class Claim(models.Model):
    """One event of one person under one programme."""

    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT,
                               related_name="claims", verbose_name=_("peserta"))
    program = models.CharField(_("program"), max_length=3, choices=Program.choices)
    event = models.CharField(_("jenis kejadian"), max_length=30)
    event_date = models.DateField(_("tanggal kejadian"))
    #: The enrolment live on the event date (gives wage, segment, membership start, category).
    enrolment = models.ForeignKey("registry.Enrolment", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    category = models.CharField(_("kategori"), max_length=20, blank=True, default="")
    segment = models.CharField(_("segmen"), max_length=3, blank=True, default="")
    wage = models.BigIntegerField(_("upah dasar perhitungan (Rp)"), null=True, blank=True)
    #: Extra engine facts of the case (treatment_cost, incapacity_months, balance…).
    facts = models.JSONField(default=dict, blank=True)
    # The engine's answer, kept as computed.
    eligible = models.BooleanField(_("layak"), default=True)
    reasons = models.JSONField(default=list, blank=True)
    notes = models.JSONField(default=list, blank=True)
    items = models.JSONField(default=list, blank=True)
    #: What BPJS should pay now (all items but the scholarship, which is paid year by year);
    #: null when the engine cannot tell (e.g. treatment costs not yet known).
    entitlement = models.BigIntegerField(_("hak (Rp)"), null=True, blank=True)
    scholarship_entitlement = models.BigIntegerField(_("hak beasiswa (Rp)"), default=0)
    entitlement_estimated = models.BooleanField(default=False)
    computed_at = models.DateTimeField(null=True, blank=True)
    documents = models.JSONField(_("dokumen"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ClaimStatus.choices,
                              default=ClaimStatus.REPORTED)
    status_on = models.DateField(_("tanggal status"))
    paid_amount = models.BigIntegerField(_("dibayar BPJS (Rp)"), null=True, blank=True)
    paid_on = models.DateField(_("tanggal bayar"), null=True, blank=True)
    rejection_reason = models.CharField(_("alasan ditolak"), max_length=300, blank=True,
                                        default="")
    difference_note = models.CharField(_("tindak lanjut selisih"), max_length=300, blank=True,
                                       default="")
    bpjs_reference = models.CharField(_("no. klaim BPJS"), max_length=40, null=True,  # noqa: DJ001
                                      blank=True)
    import_batch = models.ForeignKey(ClaimImport, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("klaim")
        verbose_name_plural = _("klaim")
        ordering = ["-event_date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["bpjs_reference"],
                                    condition=Q(bpjs_reference__isnull=False),
                                    name="claims_claim_bpjs_reference_unique"),
            models.CheckConstraint(condition=Q(paid_amount__gte=0) | Q(paid_amount__isnull=True),
                                   name="claims_paid_not_negative"),
        ]
        indexes = [models.Index(fields=["status", "paid_on"], name="claims_status_paid_on"),
                   models.Index(fields=["person", "program"], name="claims_person_program")]

    def __str__(self) -> str:
        return f"{self.program.upper()} {self.event} {self.person_id} {self.event_date}"

    @property
    def event_label(self) -> str:
        return event_label(self.program, self.event)

    @property
    def difference(self) -> int | None:
        """Paid minus entitlement (negative: BPJS paid less than the engine computed)."""
        if self.status != ClaimStatus.PAID or self.paid_amount is None or self.entitlement is None:
            return None
        return self.paid_amount - self.entitlement

    @property
    def difference_flagged(self) -> bool:
        """A difference to follow up: not for estimates (JHT/JP balances) or resolved ones."""
        d = self.difference
        return bool(d) and not self.entitlement_estimated and not self.difference_note

    @property
    def next_statuses(self) -> tuple[str, ...]:
        return LADDER[self.status]


class ClaimStep(models.Model):
    """One move on the status ladder: when, and who moved it."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="steps")
    status = models.CharField(max_length=20, choices=ClaimStatus.choices)
    on = models.DateField(_("tanggal"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                           on_delete=models.SET_NULL, related_name="+")
    by_name = models.CharField(_("oleh"), max_length=150)
    at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=300, blank=True, default="")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.claim_id} {self.status} {self.on}"


class Relation(models.TextChoices):
    JANDA = "janda", _("Janda")
    DUDA = "duda", _("Duda")
    ANAK = "anak", _("Anak")
    ORANG_TUA = "orang_tua", _("Orang tua")
    CUCU = "cucu", _("Cucu / kakek-nenek")
    SAUDARA = "saudara", _("Saudara kandung")
    MERTUA = "mertua", _("Mertua")
    LAINNYA = "lainnya", _("Lainnya (wasiat)")
    PESERTA = "peserta", _("Peserta sendiri")


class Beneficiary(models.Model):
    """An heir or other beneficiary of a claim (PP 44/2015 Pasal 37(5) order)."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="beneficiaries")
    name = models.CharField(_("nama"), max_length=150)
    relation = models.CharField(_("hubungan"), max_length=10, choices=Relation.choices)
    nik = models.CharField("NIK", max_length=16, blank=True, default="")
    birth_date = models.DateField(_("tanggal lahir"), null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class SchoolLevel(models.TextChoices):
    BELUM_SEKOLAH = "belum_sekolah", _("Belum sekolah")
    TK = "tk", "TK"
    SD = "sd", "SD"
    SMP = "smp", "SMP"
    SMA = "sma", "SMA/SMK"
    PT = "pt", _("Perguruan tinggi / pelatihan")


class EndReason(models.TextChoices):
    AGE = "age", _("Usia 23 tahun")
    MARRIED = "married", _("Menikah")
    WORKING = "working", _("Bekerja")
    COMPLETED = "completed", _("Jenjang selesai")
    DIED = "died", _("Meninggal")


class ScholarshipChild(models.Model):
    """A child of a deceased or totally disabled participant with a scholarship."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="children")
    name = models.CharField(_("nama anak"), max_length=150)
    nik = models.CharField("NIK", max_length=16, blank=True, default="")
    birth_date = models.DateField(_("tanggal lahir"))
    level = models.CharField(_("jenjang saat kejadian"), max_length=15,
                             choices=SchoolLevel.choices)
    years_done = models.PositiveSmallIntegerField(_("tahun jenjang sudah dijalani"), default=0)
    #: The child's whole entitlement as the engine computed it (0 when not eligible).
    entitlement = models.BigIntegerField(_("hak beasiswa (Rp)"), default=0)
    basis = models.CharField(max_length=500, blank=True, default="")
    citation = models.CharField(max_length=300, blank=True, default="")
    unconfirmed = models.BooleanField(default=False)
    #: When the scholarship was granted (the participant's claim paid); reports count here.
    awarded_on = models.DateField(_("tanggal ditetapkan"), null=True, blank=True)
    ended_on = models.DateField(_("tanggal berakhir"), null=True, blank=True)
    end_reason = models.CharField(_("alasan berakhir"), max_length=10, blank=True, default="",
                                  choices=EndReason.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["claim_id", "id"]  # the order entered: the engine counts the first two

    def __str__(self) -> str:
        return self.name


class ScholarshipPayment(models.Model):
    """One school year's scholarship paid for one child."""

    child = models.ForeignKey(ScholarshipChild, on_delete=models.PROTECT,
                              related_name="payments")
    school_year = models.PositiveSmallIntegerField(_("tahun ajaran (tahun mulai)"))
    level = models.CharField(_("jenjang"), max_length=15, choices=SchoolLevel.choices)
    entitled = models.BigIntegerField(_("hak tahun ini (Rp)"))
    amount = models.BigIntegerField(_("dibayar (Rp)"))
    paid_on = models.DateField(_("tanggal bayar"))
    citation = models.CharField(max_length=300, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["school_year"]
        constraints = [
            models.UniqueConstraint(fields=["child", "school_year"],
                                    name="claims_one_payment_per_school_year"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="claims_sch_amount_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.child_id} {self.school_year}: {self.amount}"


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("Menunggu pengajuan klaim ahli waris")
    FILED = "filed", _("Klaim diajukan")
    DECLINED = "declined", _("Ahli waris tidak mengajukan")


class FollowUp(models.Model):
    """The heirs' follow-up after the death of an insured person: one per person."""

    person = models.OneToOneField("registry.Person", on_delete=models.PROTECT,
                                  related_name="heirs_follow_up")
    died_on = models.DateField(_("tanggal meninggal"))
    source = models.CharField(_("sumber"), max_length=100, blank=True, default="")
    program = models.CharField(_("program"), max_length=3, choices=Program.choices)
    event = models.CharField(max_length=30)
    items = models.JSONField(default=list, blank=True)
    notes = models.JSONField(default=list, blank=True)
    entitlement = models.BigIntegerField(_("hak (Rp)"), default=0)
    status = models.CharField(_("status"), max_length=10, choices=FollowUpStatus.choices,
                              default=FollowUpStatus.OPEN)
    claim = models.ForeignKey(Claim, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    closed_on = models.DateField(null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    decline_reason = models.CharField(_("alasan"), max_length=300, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["status", "-died_on"]

    def __str__(self) -> str:
        return f"{self.person_id} {self.died_on} {self.status}"
