"""The DTSEN models now live in the ``jamsos.dtsen`` app (issue 17): state only. The tables
and their rows stay where they are; the case's foreign key keeps its column and target."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("santunan", "0002_batch_area"),
        ("dtsen", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="case",
                    name="dtsen_extract",
                    field=models.ForeignKey(blank=True, null=True,
                                            on_delete=django.db.models.deletion.PROTECT,
                                            related_name="+", to="dtsen.dtsenextract"),
                ),
                migrations.DeleteModel(name="DtsenRecord"),
                migrations.DeleteModel(name="DtsenExtract"),
            ],
            database_operations=[],
        ),
    ]
