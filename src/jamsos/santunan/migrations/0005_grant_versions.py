"""Each regency's death grant as dated versions in the database (issue 16), with Ogan Komering
Ilir's versions as cited in santunan/data/scheme.toml (Perbup OKI 17/2025).

The values are written out here, not read from the application (which may change later); a
test keeps them equal to the scheme file. Existing cases keep their key: ``scheme_version`` is
the ``valid_from`` of their regency's version."""

import datetime as dt

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

OKI = "16.02"
#: data/scheme.toml [scheme] versions, as shipped on 2026-11-30.
OKI_VERSIONS = [
    {"valid_from": dt.date(2025, 9, 1), "valid_to": None, "amount": 1_000_000, "max_decile": 5,
     "sla_days": 7, "notify_day": 5, "documents": ["sktm", "akta_kematian"], "exclusions": [],
     "max_days_after_death": None, "min_age_years": None,
     "citation": "Perbup OKI 17/2025 tentang Santunan Kematian", "unconfirmed": False,
     "unconfirmed_parts": ["7 hari: hari kalender atau hari kerja", "batas waktu pengajuan",
                           "pengecualian (sebab kematian)",
                           "dokumen tambahan (KTP, KK, buku rekening)",
                           "alur pengusul (kepala desa, camat, Dinas Sosial)"],
     "note": "Teks lengkap Perbup belum ditemukan; nilai di atas dari ringkasan Kadinsos OKI "
             "(sumber: docs/santunan.md)."},
]


def seed_oki(apps, schema_editor=None):
    """OKI's versions, unless OKI already has versions (safe to run again)."""
    GrantVersion = apps.get_model("santunan", "GrantVersion")
    if GrantVersion.objects.filter(kabupaten_code=OKI).exists():
        return
    GrantVersion.objects.bulk_create(GrantVersion(kabupaten_code=OKI, **v)
                                     for v in OKI_VERSIONS)


def unseed(apps, schema_editor):
    apps.get_model("santunan", "GrantVersion").objects.filter(kabupaten_code=OKI).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('santunan', '0004_status_words_issue13'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='GrantVersion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kabupaten_code', models.CharField(max_length=5, verbose_name='kabupaten/kota')),
                ('valid_from', models.DateField(verbose_name='berlaku mulai')),
                ('valid_to', models.DateField(blank=True, null=True, verbose_name='berlaku sampai')),
                ('amount', models.BigIntegerField(verbose_name='jumlah (Rp)')),
                ('max_decile', models.PositiveSmallIntegerField(verbose_name='desil DTSEN tertinggi')),
                ('sla_days', models.PositiveSmallIntegerField(verbose_name='batas waktu pembayaran (hari)')),
                ('notify_day', models.PositiveSmallIntegerField(verbose_name='hari pemberitahuan kepala dinas')),
                ('documents', models.JSONField(default=list, verbose_name='dokumen wajib')),
                ('exclusions', models.JSONField(blank=True, default=list, verbose_name='pengecualian')),
                ('max_days_after_death', models.PositiveIntegerField(blank=True, null=True, verbose_name='batas pengajuan (hari setelah meninggal)')),
                ('min_age_years', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='usia minimal (tahun)')),
                ('citation', models.CharField(max_length=300, verbose_name='dasar hukum')),
                ('unconfirmed', models.BooleanField(default=False, verbose_name='belum dikonfirmasi')),
                ('unconfirmed_parts', models.JSONField(blank=True, default=list, verbose_name='bagian yang belum dikonfirmasi')),
                ('note', models.TextField(blank=True, default='', verbose_name='catatan')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('updated_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['kabupaten_code', 'valid_from'],
                'constraints': [models.UniqueConstraint(fields=('kabupaten_code', 'valid_from'), name='santunan_grant_one_version_per_day'), models.CheckConstraint(condition=models.Q(('amount__gt', 0)), name='santunan_grant_amount'), models.CheckConstraint(condition=models.Q(('max_decile__gte', 1), ('max_decile__lte', 10)), name='santunan_grant_decile'), models.CheckConstraint(condition=models.Q(('notify_day__gte', 1), ('notify_day__lte', models.F('sla_days'))), name='santunan_grant_notify_day'), models.CheckConstraint(condition=models.Q(('valid_to__isnull', True), ('valid_to__gte', models.F('valid_from')), _connector='OR'), name='santunan_grant_dates')],
            },
        ),
        migrations.RunPython(seed_oki, unseed),
    ]
