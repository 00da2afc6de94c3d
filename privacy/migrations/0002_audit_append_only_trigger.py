"""On PostgreSQL the database itself refuses UPDATE and DELETE of audit rows, so not even
a bug or a hand-written query in the application can rewrite history.

TRUNCATE is left alone: the test runner empties tables with it between live-server tests.
SQLite has no such guard; there the model and its queryset refuse instead.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION privacy_audit_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'privacy_auditevent is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER privacy_audit_append_only
    BEFORE UPDATE OR DELETE ON privacy_auditevent
    FOR EACH ROW EXECUTE FUNCTION privacy_audit_refuse_change();
"""

DROP = """
DROP TRIGGER IF EXISTS privacy_audit_append_only ON privacy_auditevent;
DROP FUNCTION IF EXISTS privacy_audit_refuse_change();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
