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
