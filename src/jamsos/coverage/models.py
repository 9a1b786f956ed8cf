from django.db import models

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
