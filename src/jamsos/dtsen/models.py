"""The regency's DTSEN extracts. The tables keep the names they had in the santunan app
(``santunan_dtsen*``): moving the models to this app moved no data (issue 17)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DtsenExtract(models.Model):
    """One DTSEN extract of the regency, in force from ``valid_from`` until the next
    extract's ``valid_from``."""

    valid_from = models.DateField(_("berlaku mulai"))
    filename = models.CharField(_("nama berkas"), max_length=255)
    sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "santunan_dtsenextract"
        ordering = ["-valid_from", "-id"]

    def __str__(self) -> str:
        return f"DTSEN {self.valid_from} ({self.rows})"


class DtsenRecord(models.Model):
    """One person of the extract. ``birth_date`` and ``sex`` come from the file, else from
    the NIK; ``desa_code`` is empty when the file has no Kode Desa."""

    extract = models.ForeignKey(DtsenExtract, on_delete=models.CASCADE, related_name="records",
                                db_index=False)
    nik = models.CharField("NIK", max_length=16)
    no_kk = models.CharField("No. KK", max_length=16)
    decile = models.PositiveSmallIntegerField(_("desil"))
    name = models.CharField(_("nama"), max_length=150, blank=True, default="")
    desa_code = models.CharField(_("kode desa"), max_length=13, blank=True, default="")
    birth_date = models.DateField(_("tanggal lahir"), null=True, blank=True)
    sex = models.CharField(_("jenis kelamin"), max_length=1, blank=True, default="")
    occupation = models.CharField(_("pekerjaan"), max_length=100, blank=True, default="")
    employment_status = models.CharField(_("status pekerjaan"), max_length=60, blank=True,
                                         default="")

    class Meta:
        db_table = "santunan_dtsenrecord"
        indexes = [
            models.Index(fields=["extract", "nik"], name="santunan_dtsen_nik"),
            models.Index(fields=["extract", "no_kk"], name="santunan_dtsen_kk"),
            models.Index(fields=["extract", "desa_code", "decile"], name="dtsen_desa_decile"),
            # A desa's candidates worklist, a page at a time in name order (issue 17).
            models.Index(fields=["extract", "desa_code", "name", "nik"], name="dtsen_desa_name"),
        ]

    def __str__(self) -> str:
        return f"{self.nik} desil {self.decile}"
