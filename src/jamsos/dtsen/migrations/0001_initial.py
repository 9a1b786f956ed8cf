"""The DTSEN models move here from the santunan app: state only, the tables stay as they are
(``santunan_dtsenextract``, ``santunan_dtsenrecord``) with their rows (issue 17)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("santunan", "0002_batch_area"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="DtsenExtract",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True,
                                                   serialize=False, verbose_name="ID")),
                        ("valid_from", models.DateField(verbose_name="berlaku mulai")),
                        ("filename", models.CharField(max_length=255,
                                                      verbose_name="nama berkas")),
                        ("sha256", models.CharField(max_length=64)),
                        ("rows", models.PositiveIntegerField(default=0)),
                        ("rejected", models.PositiveIntegerField(default=0)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("uploaded_by", models.ForeignKey(
                            blank=True, null=True,
                            on_delete=django.db.models.deletion.SET_NULL, related_name="+",
                            to=settings.AUTH_USER_MODEL)),
                    ],
                    options={"ordering": ["-valid_from", "-id"],
                             "db_table": "santunan_dtsenextract"},
                ),
                migrations.CreateModel(
                    name="DtsenRecord",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True,
                                                   serialize=False, verbose_name="ID")),
                        ("nik", models.CharField(max_length=16, verbose_name="NIK")),
                        ("no_kk", models.CharField(max_length=16, verbose_name="No. KK")),
                        ("decile", models.PositiveSmallIntegerField(verbose_name="desil")),
                        ("extract", models.ForeignKey(
                            db_index=False, on_delete=django.db.models.deletion.CASCADE,
                            related_name="records", to="dtsen.dtsenextract")),
                    ],
                    options={
                        "db_table": "santunan_dtsenrecord",
                        "indexes": [
                            models.Index(fields=["extract", "nik"], name="santunan_dtsen_nik"),
                            models.Index(fields=["extract", "no_kk"], name="santunan_dtsen_kk"),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
