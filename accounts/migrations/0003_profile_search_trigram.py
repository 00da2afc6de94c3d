"""On PostgreSQL, trigram indexes let the directory's substring search (username and
lifestyle text) use an index instead of reading every profile. SQLite goes without."""

from django.db import migrations

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS profile_search_username_trgm ON accounts_publicprofile "
    "USING gin (UPPER(username::text) gin_trgm_ops) WHERE listed_in_directory",
    "CREATE INDEX IF NOT EXISTS profile_search_lifestyle_trgm ON accounts_publicprofile "
    "USING gin (UPPER(lifestyle_text::text) gin_trgm_ops) WHERE listed_in_directory",
]
DROP = [
    "DROP INDEX IF EXISTS profile_search_username_trgm",
    "DROP INDEX IF EXISTS profile_search_lifestyle_trgm",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in CREATE:
            schema_editor.execute(statement, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in DROP:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_public_profile")]

    operations = [migrations.RunPython(forwards, backwards)]
