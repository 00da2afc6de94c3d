"""The application's database role on PostgreSQL: it may read and write every table but
only INSERT and SELECT the audit log, and remove or shorten audit rows only through the two
retention functions (migration privacy 0011). Migrations run as the owner (settings'
DATABASE_MIGRATION_URL); after each one, when DATABASE_APP_ROLE names the role, the grants
are brought up to date for the tables that migration added (docs/operations.md).

The role itself is created once by the database administrator (CREATE ROLE needs more
than the owner has): `CREATE ROLE bestqm_app LOGIN PASSWORD '...'`.
"""

from django.conf import settings
from django.db import connections
from psycopg2 import sql

AUDIT_TABLE = "privacy_auditevent"
RETENTION_FUNCTIONS = (
    "privacy_audit_purge(integer)",
    "privacy_audit_shorten_addresses(integer)",
)


def app_role_grant(*, role: str, using: str = "default") -> None:
    """Grant `role` what the application needs, and nothing that changes the audit log."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    name = sql.Identifier(role)
    statements = [
        sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(name),
        sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {}").format(
            name
        ),
        sql.SQL("REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {} FROM {}").format(
            sql.Identifier(AUDIT_TABLE), name
        ),
        sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(name),
        *(
            sql.SQL("GRANT EXECUTE ON FUNCTION {} TO {}").format(sql.SQL(function), name)
            for function in RETENTION_FUNCTIONS
        ),
    ]
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def app_role_grant_after_migrate(sender, using="default", **kwargs) -> None:
    """post_migrate: keep the application role's grants in step with the tables."""
    if settings.DATABASE_APP_ROLE:
        app_role_grant(role=settings.DATABASE_APP_ROLE, using=using)
