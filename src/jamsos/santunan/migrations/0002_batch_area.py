import django.db.models.deletion
from django.db import migrations, models


def backfill(apps, schema_editor):
    """Existing batches belong to the area of the payer who made them (else the kabupaten)."""
    from django.conf import settings
    from django.db.models import OuterRef, Subquery

    batch = apps.get_model("santunan", "TransferBatch")
    profile = apps.get_model("accounts", "Profile")
    batch.objects.filter(area__isnull=True).update(area_id=Subquery(
        profile.objects.filter(user_id=OuterRef("created_by_id")).values("area_id")[:1]))
    batch.objects.filter(area__isnull=True).update(area_id=settings.JAMSOS_KABUPATEN)


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0001_initial'),
        ('regions', '0001_initial'),
        ('santunan', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='transferbatch',
            name='area',
            field=models.ForeignKey(db_column='area_code', db_constraint=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='regions.region'),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
