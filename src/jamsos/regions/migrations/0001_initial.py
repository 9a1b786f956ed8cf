import django.db.models.deletion
from django.db import migrations, models


def load(apps, schema_editor):
    from jamsos.regions import catalog

    region = apps.get_model("regions", "Region")
    region.objects.using(schema_editor.connection.alias).bulk_create(
        (
            region(code=r.code, level=r.level, name=r.name, parent_id=r.parent_code)
            for r in catalog.iter_regions()
        ),
        batch_size=5000,
    )


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Region",
            fields=[
                ("code", models.CharField(max_length=13, primary_key=True, serialize=False, verbose_name="kode")),
                ("level", models.CharField(choices=[("provinsi", "Provinsi"), ("kabupaten", "Kabupaten"), ("kota", "Kota"), ("kecamatan", "Kecamatan"), ("desa", "Desa"), ("kelurahan", "Kelurahan"), ("desa_adat", "Desa adat")], max_length=10, verbose_name="tingkat")),
                ("name", models.CharField(max_length=100, verbose_name="nama")),
                ("parent", models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="children", to="regions.region")),
            ],
            options={"ordering": ["code"], "indexes": [models.Index(fields=["parent", "name"], name="regions_parent_name_idx")]},
        ),
        migrations.RunPython(load, migrations.RunPython.noop, elidable=False),
    ]
