"""Seed Kabupaten Ogan Komering Ilir's (16.02) default funding source per category with the
defaults the category table held until issue 16 (every category: APBD). Imports no app code."""

import datetime as dt

from django.db import migrations

KABUPATEN = "16.02"
SOURCES = {"non_asn": "APBD", "perangkat_desa": "APBD", "kelembagaan_desa": "APBD",
           "rt_rw": "APBD", "pekerja_rentan": "APBD"}
CITATION = ("Bawaan kategori sebelum issue 16 (Inpres 2/2021; Pemkab OKI membayar iuran kelima "
            "kategori dari APBD); regulations.md §8")


def forwards(apps, schema_editor):
    apps.get_model("registry", "FundingDefault").objects.get_or_create(
        kabupaten=KABUPATEN, valid_from=dt.date(2015, 7, 1),
        defaults={"sources": SOURCES, "citation": CITATION})


def backwards(apps, schema_editor):
    apps.get_model("registry", "FundingDefault").objects.filter(
        kabupaten=KABUPATEN, created_by__isnull=True).delete()


class Migration(migrations.Migration):

    dependencies = [("registry", "0006_funding_defaults")]

    operations = [migrations.RunPython(forwards, backwards)]
