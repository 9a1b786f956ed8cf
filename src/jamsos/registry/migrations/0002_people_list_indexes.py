"""Indexes of the people list (issues 13 and 14): a desa's people in name order, the name
order itself, and on PostgreSQL a trigram index for searching a part of a name."""

from django.db import migrations, models

#: ``name__icontains`` is ``UPPER(name::text) LIKE UPPER('%…%')`` on PostgreSQL: the index is
#: on that very expression.
TRIGRAM_INDEX = "registry_person_name_trgm"


def create_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite: a part of a name is found by scanning (small registries only)
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} ON registry_person "
        "USING gin ((UPPER(name::text)) gin_trgm_ops)")


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")


class Migration(migrations.Migration):

    dependencies = [
        ('regions', '0001_initial'),
        ('registry', '0001_initial'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='person',
            index=models.Index(fields=['desa', 'name'], name='registry_person_desa_name'),
        ),
        migrations.AddIndex(
            model_name='person',
            index=models.Index(fields=['name', 'id'], name='registry_person_name'),
        ),
        migrations.RunPython(create_trigram_index, drop_trigram_index, elidable=False),
    ]
