from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    PROVINSI = "provinsi", _("Provinsi")
    KABUPATEN = "kabupaten", _("Kabupaten")
    KOTA = "kota", _("Kota")
    KECAMATAN = "kecamatan", _("Kecamatan")
    DESA = "desa", _("Desa")
    KELURAHAN = "kelurahan", _("Kelurahan")
    DESA_ADAT = "desa_adat", _("Desa adat")


class Region(models.Model):
    """A provinsi, kabupaten/kota, kecamatan or desa/kelurahan, keyed by its Kemendagri code.

    Codes are hierarchical (``16.02.13.2005`` lies in ``16.02.13`` in ``16.02`` in ``16``), so an
    area's subtree is every code equal to it or starting with ``code + "."``.
    """

    code = models.CharField(_("kode"), max_length=13, primary_key=True)
    level = models.CharField(_("tingkat"), max_length=10, choices=Level.choices)
    name = models.CharField(_("nama"), max_length=100)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
        db_constraint=False,
    )

    class Meta:
        ordering = ["code"]
        indexes = [models.Index(fields=["parent", "name"], name="regions_parent_name_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def is_village(self) -> bool:
        return self.level in {Level.DESA, Level.KELURAHAN, Level.DESA_ADAT}
