"""Database triggers that keep the audit trail append-only.

An UPDATE is allowed once per row, and only to seal a bulk-inserted row (fill ``prev_hash``
and ``hash`` while ``hash`` is empty). PostgreSQL also refuses DELETE. SQLite (the
development and demo database) keeps DELETE possible because the test framework empties
tables that way; the hash chain and its head still reveal a deleted row.
"""

from django.db import migrations

COLUMNS = ("at", "actor_id", "actor_name", "ip", "source", "action", "object_type",
           "object_id", "changes")

PG_UP = f"""
CREATE OR REPLACE FUNCTION jamsos_audit_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'jejak audit hanya boleh ditambah (append-only)';
  END IF;
  IF OLD.hash <> '' OR NEW.id <> OLD.id OR {" OR ".join(
      f"NEW.{c}::text IS DISTINCT FROM OLD.{c}::text" for c in COLUMNS)} THEN
    RAISE EXCEPTION 'jejak audit hanya boleh ditambah (append-only)';
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER jamsos_audit_append_only BEFORE UPDATE OR DELETE ON audit_auditevent
  FOR EACH ROW EXECUTE FUNCTION jamsos_audit_append_only();
"""
PG_DOWN = """
DROP TRIGGER IF EXISTS jamsos_audit_append_only ON audit_auditevent;
DROP FUNCTION IF EXISTS jamsos_audit_append_only();
"""
SQLITE_UP = f"""
CREATE TRIGGER jamsos_audit_append_only BEFORE UPDATE ON audit_auditevent
WHEN OLD.hash <> '' OR NEW.id IS NOT OLD.id OR {" OR ".join(
    f"NEW.{c} IS NOT OLD.{c}" for c in COLUMNS)}
BEGIN SELECT RAISE(ABORT, 'jejak audit hanya boleh ditambah (append-only)'); END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS jamsos_audit_append_only;"


def forwards(apps, schema_editor):
    sql = PG_UP if schema_editor.connection.vendor == "postgresql" else SQLITE_UP
    schema_editor.execute(sql)


def backwards(apps, schema_editor):
    sql = PG_DOWN if schema_editor.connection.vendor == "postgresql" else SQLITE_DOWN
    schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
