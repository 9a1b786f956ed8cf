"""Monthly bills to BPJS Ketenagakerjaan, their lines, payments, corrections and the BPJS
reconciliation.

A :class:`BillingRun` is one contribution month of one kabupaten/kota, created once
(re-running it changes nothing; issue 16: each regency of a province deployment bills its own
months). Its lines (:class:`InvoiceLine`, one per billed enrolment) are written set-based and
grouped into :class:`Invoice` per payer: an OPD (APBD), a desa (APBDes) or the worker
(self-paid). Money is integer rupiah.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jamsos.registry import categories


class BillingRun(models.Model):
    period = models.DateField(_("bulan iuran"))  # first day of the month
    #: The kabupaten/kota billed (``16.02``): one run per month and regency (issue 16).
    kabupaten = models.CharField(_("kabupaten/kota"), max_length=13)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    lines = models.PositiveIntegerField(_("baris"), default=0)
    total = models.BigIntegerField(_("total tagihan (Rp)"), default=0)
    #: Parameters assumed (default wages, risk class, OPD map) with their citations.
    assumptions = models.JSONField(default=list)

    class Meta:
        ordering = ["-period", "kabupaten"]
        constraints = [models.UniqueConstraint(fields=["period", "kabupaten"],
                                               name="premiums_one_run_per_regency")]

    def __str__(self) -> str:
        return f"{self.period:%Y-%m} {self.kabupaten}"


class Invoice(models.Model):
    run = models.ForeignKey(BillingRun, on_delete=models.PROTECT, related_name="invoices")
    period = models.DateField(_("bulan iuran"))
    number = models.CharField(_("nomor"), max_length=40, unique=True)
    funding_source = models.CharField(
        _("sumber dana"), max_length=10, choices=list(categories.FUNDING_SOURCES.items()))
    #: ``APBD:DPMD``, ``APBD`` (no OPD configured), ``APBDES:<desa>``, ``MANDIRI:<enrolment>``
    payer_key = models.CharField(max_length=40)
    payer_name = models.CharField(_("pembayar"), max_length=200)
    #: The smallest area holding every line: the kabupaten, a desa. Writes need this area.
    area_code = models.CharField(max_length=13)
    lines = models.PositiveIntegerField(_("jumlah peserta"), default=0)
    billed = models.BigIntegerField(_("tagihan (Rp)"), default=0)
    adjusted = models.BigIntegerField(_("koreksi (Rp)"), default=0)
    paid = models.BigIntegerField(_("dibayar (Rp)"), default=0)

    class Meta:
        ordering = ["period", "number"]
        constraints = [
            models.UniqueConstraint(fields=["run", "payer_key"], name="premiums_one_invoice"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def amount_due(self) -> int:
        return self.billed + self.adjusted

    @property
    def outstanding(self) -> int:
        return self.amount_due - self.paid

    @property
    def status(self) -> str:
        if self.paid <= 0 and self.amount_due > 0:
            return "unpaid"
        return "paid" if self.paid >= self.amount_due else "partial"


class InvoiceLine(models.Model):
    """One enrolment billed for one month; amounts per programme come from the engine."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="+",
                                db_constraint=False)
    period = models.DateField()
    enrolment = models.ForeignKey("registry.Enrolment", on_delete=models.PROTECT,
                                  related_name="+", db_constraint=False)
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+",
                               db_constraint=False, db_index=False)
    desa_code = models.CharField(max_length=13)
    category = models.CharField(max_length=20, choices=categories.CHOICES)
    segment = models.CharField(max_length=3)
    wage = models.BigIntegerField()
    jkk = models.BigIntegerField(default=0)
    jkm = models.BigIntegerField(default=0)
    jht = models.BigIntegerField(default=0)
    jp = models.BigIntegerField(default=0)
    #: The JKK/JKM shares recomposed into JKP (paid by the employer out of the same total).
    jkp = models.BigIntegerField(default=0)
    #: Part of ``total`` the worker owes (JHT 2 %, JP 1 %): withheld from pay by the OPD.
    worker_share = models.BigIntegerField(default=0)
    #: Paid to BPJS by this line's payer (the central government's JKP 0,22 % is not in it).
    total = models.BigIntegerField()
    #: The date the invoice's payments covered this line (first-in, first-out).
    paid_on = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["enrolment", "period"], name="premiums_line_enrolment"),
            models.Index(fields=["period", "desa_code"], name="premiums_line_period_desa"),
        ]

    def __str__(self) -> str:
        return f"{self.period:%Y-%m} {self.enrolment_id}: {self.total}"


class Payment(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="payments")
    amount = models.BigIntegerField(_("jumlah (Rp)"))
    paid_on = models.DateField(_("tanggal bayar"))
    reference = models.CharField(_("nomor referensi"), max_length=100)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["paid_on", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0),
                                              name="premiums_payment_positive")]

    def __str__(self) -> str:
        return f"{self.reference}: {self.amount}"


class Adjustment(models.Model):
    """An explicit, audited correction of an invoice (positive: more due; negative: credit)."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="adjustments")
    enrolment = models.ForeignKey("registry.Enrolment", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    amount = models.BigIntegerField(_("jumlah (Rp)"))
    reason = models.CharField(_("alasan"), max_length=300)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.amount}: {self.reason}"


class RecClass(models.TextChoices):
    MATCHED = "matched", _("Cocok")
    AMOUNT_DIFFERS = "amount_differs", _("Jumlah berbeda")
    NOT_IN_REGISTRY = "not_in_registry", _("Ditagih BPJS, bukan peserta kita")
    NOT_BILLED = "not_billed", _("Peserta kita, tidak ditagih BPJS")
    AFTER_DEATH = "after_death", _("Ditagih setelah meninggal")
    DUPLICATE = "duplicate", _("Ditagih ganda")


class Reconciliation(models.Model):
    period = models.DateField(_("bulan iuran"))
    #: The kabupaten/kota whose bill of the month the file was matched with (issue 16);
    #: empty: a file matched with a whole province's month before issue 16's per-regency runs.
    kabupaten = models.CharField(_("kabupaten/kota"), max_length=13, blank=True, default="")
    filename = models.CharField(_("nama berkas"), max_length=255)
    sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField(default=0)
    #: ``{class: {"count": n, "bpjs": rupiah, "ours": rupiah}}`` over the whole file.
    summary = models.JSONField(default=dict)
    errors = models.JSONField(default=list)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.period:%Y-%m} {self.filename}"


class ReconciliationRow(models.Model):
    reconciliation = models.ForeignKey(Reconciliation, on_delete=models.CASCADE,
                                       related_name="+", db_constraint=False)
    cls = models.CharField(max_length=20, choices=RecClass.choices)
    row = models.PositiveIntegerField(null=True)  # row in the BPJS file (header = 1)
    nik = models.CharField(max_length=16)
    kpj = models.CharField(max_length=20, blank=True, default="")
    name = models.CharField(max_length=150, blank=True, default="")
    segment = models.CharField(max_length=3, blank=True, default="")
    programs = models.CharField(max_length=40, blank=True, default="")
    amount_bpjs = models.BigIntegerField(default=0)
    amount_ours = models.BigIntegerField(default=0)
    #: From our registry, when the NIK is known: scopes the row to an area.
    desa_code = models.CharField(max_length=13, blank=True, default="")
    note = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        indexes = [models.Index(fields=["reconciliation", "cls"], name="premiums_rec_cls")]

    def __str__(self) -> str:
        return f"{self.cls} {self.nik}"


# --- summaries (derived data, rebuilt set-based; see jamsos.premiums.summaries) ------------


class ProfileMonth(models.Model):
    """A month whose :class:`BillableProfile` is stored (built on first use, then kept up to
    date for the desa the registry announces as changed)."""

    month = models.DateField(unique=True)
    built_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"


class BillableProfile(models.Model):
    """The month's billable enrolments (``billing.billable_frame``) grouped by everything their
    price depends on: what the budget prices, without reading a row per person."""

    month = models.DateField()
    desa_code = models.CharField(max_length=13)
    category = models.CharField(max_length=20)
    segment = models.CharField(max_length=3)
    funding_source = models.CharField(max_length=10)
    wage = models.BigIntegerField(null=True)
    jkk_on = models.BooleanField()
    jkm_on = models.BooleanField()
    jht_on = models.BooleanField()
    jp_on = models.BooleanField()
    jkp_on = models.BooleanField()
    people = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["month", "desa_code"], name="premiums_profile_month")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.desa_code} {self.category}: {self.people}"


class ArrearsMonth(models.Model):
    """The billing month the stored :class:`ArrearsEntry` rows count up to (one row): the
    latest month past its due date when they were built (``selectors.last_overdue_period``)."""

    month = models.DateField()
    built_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"


class ArrearsEntry(models.Model):
    """An enrolment's unpaid months up to :class:`ArrearsMonth` since its last paid one, per
    desa of its lines (``selectors._arrears_sql``, over every recorded payment): rebuilt for
    the invoice's enrolments whenever payments or corrections re-allocate an invoice."""

    enrolment_id = models.BigIntegerField()
    desa_code = models.CharField(max_length=13)
    segment = models.CharField(max_length=3)
    #: The person's name when counted: the list's order (most months first, then by name) is
    #: read from an index; the page shows the current name.
    name = models.CharField(max_length=150)
    months = models.PositiveIntegerField()
    amount = models.BigIntegerField()
    since = models.DateField()

    class Meta:
        indexes = [
            models.Index(fields=["desa_code", "-months", "name", "enrolment_id"],
                         name="premiums_arrears_area"),
            models.Index(fields=["-months", "name", "enrolment_id"],
                         name="premiums_arrears_order"),
            models.Index(fields=["enrolment_id"], name="premiums_arrears_enrolment"),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id}: {self.months}"


class LineSummary(models.Model):
    """Bill lines grouped by month, desa, invoice, category and payment date: what every
    per-area premium figure sums (written by the billing run; an invoice's rows again whenever
    its payments or corrections are re-allocated)."""

    period = models.DateField()
    desa_code = models.CharField(max_length=13)
    invoice_id = models.BigIntegerField()
    funding_source = models.CharField(max_length=10)  # the invoice's
    category = models.CharField(max_length=20)
    paid_on = models.DateField(null=True)
    lines = models.PositiveIntegerField()
    total = models.BigIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["desa_code", "period"], name="premiums_linesum_area"),
            models.Index(fields=["invoice_id"], name="premiums_linesum_invoice"),
        ]

    def __str__(self) -> str:
        return f"{self.period:%Y-%m} {self.desa_code} #{self.invoice_id}: {self.lines}"


# --- the regency's billing settings (issue 16: one deployment for a whole province) --------


class BillingParameter(models.TextChoices):
    """The regency's own billing parameters (BPJS rates and the BPU lowest bracket are
    national: :mod:`jamsos.rules` and ``data/billing.toml``)."""

    PU_WAGE = "default_wage.pu", _("Upah dasar PU bila kosong (UMK)")
    RISK_CLASS = "jkk_risk_class", _("Kelompok risiko JKK")
    PAYING_OPD = "paying_opd", _("OPD pembayar per kategori")
    OPD_NAMES = "opd_names", _("Nama OPD pembayar")


class BillingSetting(models.Model):
    """One dated version of one billing parameter of one kabupaten/kota, with its citation.

    Looked up on the first day of the contribution month: the version in force then (the
    latest one beyond the data). Versions are added, never changed (a correction is a new
    version); every addition is audited."""

    kabupaten = models.CharField(_("kabupaten/kota"), max_length=13)
    name = models.CharField(_("parameter"), max_length=20, choices=BillingParameter.choices)
    valid_from = models.DateField(_("berlaku mulai"))
    #: An integer (rupiah, risk class) or a map (category → OPD code, OPD code → name).
    value = models.JSONField()
    citation = models.CharField(_("dasar"), max_length=500)
    unconfirmed = models.BooleanField(_("belum dipastikan"), default=False)
    note = models.CharField(_("catatan"), max_length=300, blank=True, default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kabupaten", "name", "valid_from"]
        constraints = [models.UniqueConstraint(fields=["kabupaten", "name", "valid_from"],
                                               name="premiums_one_setting_version")]

    def __str__(self) -> str:
        return f"{self.kabupaten} {self.name} {self.valid_from}"


class Allocation(models.Model):
    """A kabupaten/kota's APBD allocation (pagu) for premiums in a budget year, with its
    source (e.g. the DPA number)."""

    kabupaten = models.CharField(_("kabupaten/kota"), max_length=13)
    year = models.PositiveSmallIntegerField(_("tahun anggaran"))
    amount = models.BigIntegerField(_("pagu (Rp)"))
    source = models.CharField(_("dasar (nomor DPA)"), max_length=300)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kabupaten", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["kabupaten", "year"], name="premiums_one_allocation"),
            models.CheckConstraint(condition=models.Q(amount__gte=0),
                                   name="premiums_allocation_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.kabupaten} {self.year}: {self.amount}"


class PricedState(models.Model):
    """The budget's priced profile of a month for a budget year is stored (issues 14 and 16):
    what it was priced with (``key``: the parameter data and every regency's billing
    settings), the regencies left out for want of settings, and the notes of the pricing."""

    month = models.DateField()
    year = models.PositiveSmallIntegerField()
    key = models.CharField(max_length=64, blank=True, default="")
    #: kabupaten → the settings it lacks (its rows are not priced)
    skipped = models.JSONField(default=dict)
    notes = models.JSONField(default=list)
    built_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["month", "year"],
                                               name="premiums_priced_state_one")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} → {self.year}"


class PricedProfile(models.Model):
    """A month's :class:`BillableProfile` priced for a budget year by the regulation engine
    with each regency's settings, summed per desa, category and funding source: the budget
    reads a few rows per desa instead of a row per distinct wage (a province's synthetic
    wages made a row per person)."""

    month = models.DateField()
    year = models.PositiveSmallIntegerField()
    desa_code = models.CharField(max_length=13)
    category = models.CharField(max_length=20)
    funding_source = models.CharField(max_length=10)
    people = models.BigIntegerField()
    #: the year's contribution of all these people, whole rupiah
    total = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["month", "year", "desa_code"],
                                name="premiums_priced_month")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}/{self.year} {self.desa_code} {self.category}: {self.total}"
