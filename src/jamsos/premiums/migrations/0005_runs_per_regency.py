"""Billing runs per regency (issue 16): a run belongs to (month, kabupaten/kota).

Existing runs get their kabupaten from the settings (never from app code, which may change):
the deployment's area is ``JAMSOS_AREA`` when set, else ``JAMSOS_KABUPATEN``.

* A one-regency deployment (the area has a dot, ``16.02``): every existing run is that
  regency's, and so is every existing reconciliation.
* A province deployment (``16``): a run is given the kabupaten of its invoices (the first two
  segments of their ``area_code``); a run whose invoices span several regencies (the one run
  per month of before) is split: the first regency keeps the run, each other regency gets a
  run of its own (same month, creator and time; its invoices moved to it, ``lines`` and
  ``total`` from its invoices, the assumptions of that regency). A run without invoices
  keeps the province's code (it billed nothing and blocks no regency). Reconciliations stay
  unassigned (empty: matched with the whole province's month).
"""

from django.conf import settings
from django.db import migrations, models
from django.db.models import Sum


def _area() -> str:
    return getattr(settings, "JAMSOS_AREA", "") or settings.JAMSOS_KABUPATEN


def _kab(code: str) -> str:
    return ".".join(code.split(".")[:2])


def forwards(apps, schema_editor):
    run_model = apps.get_model("premiums", "BillingRun")
    invoice_model = apps.get_model("premiums", "Invoice")
    rec_model = apps.get_model("premiums", "Reconciliation")
    area = _area()
    if "." in area:
        run_model.objects.filter(kabupaten="").update(kabupaten=area)
        rec_model.objects.filter(kabupaten="").update(kabupaten=area)
        return
    for run in run_model.objects.filter(kabupaten="").order_by("id"):
        areas = invoice_model.objects.filter(run_id=run.pk).values_list("area_code", flat=True)
        kabs = sorted({_kab(a) for a in areas})
        if not kabs:
            run.kabupaten = area
            run.save(update_fields=["kabupaten"])
            continue
        assumed = list(run.assumptions)
        for i, kab in enumerate(kabs):
            invoices = invoice_model.objects.filter(run_id=run.pk).filter(
                models.Q(area_code=kab) | models.Q(area_code__startswith=kab + "."))
            agg = invoices.aggregate(n=Sum("lines"), total=Sum("billed"))
            assumptions = [a for a in assumed if a.get("kabupaten") in (None, kab)]
            if i == 0:
                target = run
                target.kabupaten, target.assumptions = kab, assumptions
                target.lines, target.total = agg["n"] or 0, agg["total"] or 0
                target.save(update_fields=["kabupaten", "assumptions", "lines", "total"])
                continue
            target = run_model.objects.create(
                period=run.period, kabupaten=kab, created_by_id=run.created_by_id,
                lines=agg["n"] or 0, total=agg["total"] or 0, assumptions=assumptions)
            run_model.objects.filter(pk=target.pk).update(created_at=run.created_at)
            invoices.update(run_id=target.pk)


class Migration(migrations.Migration):

    dependencies = [
        ("premiums", "0004_seed_oki_billing"),
    ]

    operations = [
        migrations.AlterModelOptions(name="billingrun",
                                     options={"ordering": ["-period", "kabupaten"]}),
        migrations.AlterField(model_name="billingrun", name="period",
                              field=models.DateField(verbose_name="bulan iuran")),
        migrations.AddField(
            model_name="billingrun", name="kabupaten",
            field=models.CharField(default="", max_length=13, verbose_name="kabupaten/kota"),
            preserve_default=False),
        migrations.AddField(
            model_name="reconciliation", name="kabupaten",
            field=models.CharField(blank=True, default="", max_length=13,
                                   verbose_name="kabupaten/kota")),
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="billingrun",
            constraint=models.UniqueConstraint(fields=("period", "kabupaten"),
                                               name="premiums_one_run_per_regency")),
    ]
