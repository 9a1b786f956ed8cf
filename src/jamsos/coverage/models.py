from django.db import models
from django.utils.translation import gettext_lazy as _

ALL = "_all"  # the category value of a desa's row counting each person once


class CoverageCount(models.Model):
    """How many people are covered in one desa, per category and once over all categories.

    Derived data: rebuilt by :func:`jamsos.coverage.services.refresh_coverage` after every
    registry write and once a day, so dashboards read a few hundred rows instead of scanning
    every enrolment.
    """

    desa = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+",
                             db_column="desa_code", db_constraint=False)
    category = models.CharField(max_length=20)
    covered = models.PositiveIntegerField()
    as_of = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["desa", "category"],
                                               name="coverage_one_count")]

    def __str__(self) -> str:
        return f"{self.desa_id} {self.category}: {self.covered}"


class ExclusionReason(models.TextChoices):
    ASN = "asn", _("ASN")
    TNI_POLRI = "tni_polri", _("TNI/Polri")
    INSURED_ELSEWHERE = "insured_elsewhere", _("Sudah terlindungi di tempat lain")


class Exclusion(models.Model):
    """A person who is never a pekerja rentan candidate (issue 17): ASN, TNI/Polri, or
    already insured elsewhere, as BPJS or an OPD reports them (imported, one row per NIK)."""

    nik = models.CharField("NIK", max_length=16)
    reason = models.CharField(_("alasan"), max_length=20, choices=ExclusionReason.choices)
    source = models.CharField(_("sumber"), max_length=100, blank=True, default="")
    note = models.CharField(_("keterangan"), max_length=200, blank=True, default="")
    filename = models.CharField(_("nama berkas"), max_length=255, blank=True, default="")
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["nik"], name="coverage_exclusion_nik")]

    def __str__(self) -> str:
        return f"{self.nik} ({self.reason})"


class TrendMonth(models.Model):
    """People protected in an area in one month (the leaders' trend toward universal coverage).

    Derived data, exactly what :func:`jamsos.coverage.selectors.coverage_trend` counts from the
    enrolments' start and end dates, stored per area so the overview reads a few dozen rows
    instead of scanning every enrolment (issue 14). Rebuilt by
    :mod:`jamsos.coverage.trends` after the registry changes and once a day."""

    area_code = models.CharField(max_length=20)
    month = models.DateField()
    covered = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["area_code", "month"],
                                               name="coverage_one_trend_month")]

    def __str__(self) -> str:
        return f"{self.area_code} {self.month:%Y-%m}: {self.covered}"


class TrendState(models.Model):
    """When an area's stored trend was counted, for which day, and whether the registry has
    changed there since."""

    area_code = models.CharField(max_length=20, primary_key=True)
    computed_at = models.DateTimeField()
    through = models.DateField()  # the day the trend was counted up to
    stale = models.BooleanField(default=False)
    #: Raised by every registry write in the area: a recount that began before a write does not
    #: clear ``stale`` (it saw an older generation).
    generation = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        stale = " (stale)" if self.stale else ""
        return f"{self.area_code} @ {self.computed_at:%Y-%m-%d %H:%M}{stale}"


class CandidateCount(models.Model):
    """Pekerja rentan candidates of one desa (issue 17) and their annual premium as BPU;
    ``desa_code`` "" holds the extract's rows without Kode Desa.

    Derived data like :class:`CoverageCount`: maintained set-based by
    :func:`jamsos.coverage.services.refresh_candidates` when an extract is stored, the exclusion
    list is imported or the registry changes who is covered (only the desa concerned), and
    recounted whole when the day or the criteria change (:class:`CandidateCountState`), so
    that pages read a few hundred rows instead of matching millions.
    """

    desa_code = models.CharField(max_length=13)
    candidates = models.PositiveIntegerField()
    annual_premium = models.BigIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["desa_code"],
                                               name="coverage_one_candidate_count")]

    def __str__(self) -> str:
        return f"{self.desa_code or '-'}: {self.candidates}"


class CandidateCountState(models.Model):
    """The criteria the stored candidate counts hold for (one row): the day, the extract in
    force, the deciles, the working age and the premium. Another key means "recount all"."""

    key = models.CharField(max_length=200)
    as_of = models.DateField()
    counted_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.key
