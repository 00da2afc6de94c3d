"""Retention of the audit log: rows older than AUDIT_RETENTION_DAYS are deleted, and the IP
address of rows older than IP_RETENTION_DAYS is shortened to its /24 (IPv4) or /48 (IPv6)
network, like every other address the service keeps.

On PostgreSQL both go through the two functions the append-only trigger recognises
(migration privacy 0011); nothing else may change a row. SQLite has no trigger, and the
model refuses every change; there the same statements are plain SQL. Both are idempotent:
a run cut short is finished by the next.
"""

from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from activity.ip_networks import truncated_address
from privacy.audit.models import AuditEvent

TABLE = AuditEvent._meta.db_table


def audit_events_purge_expired() -> int:
    """Delete audit rows older than AUDIT_RETENTION_DAYS; returns how many."""
    days = settings.AUDIT_RETENTION_DAYS
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT privacy_audit_purge(%s)", [days])
            return cursor.fetchone()[0]
        cutoff = timezone.now() - timedelta(days=days)
        cursor.execute(f"DELETE FROM {TABLE} WHERE occurred_at < %s", [cutoff])  # noqa: S608
        return cursor.rowcount


def audit_addresses_shorten() -> int:
    """Shorten the address of audit rows older than IP_RETENTION_DAYS; returns how many."""
    days = settings.IP_RETENTION_DAYS
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT privacy_audit_shorten_addresses(%s)", [days])
            return cursor.fetchone()[0]
        cutoff = timezone.now() - timedelta(days=days)
        rows = AuditEvent.objects.filter(
            occurred_at__lt=cutoff, ip_address__isnull=False
        ).values_list("pk", "ip_address")
        changed = 0
        for pk, address in rows:
            shortened = truncated_address(address)
            if shortened != address:
                cursor.execute(
                    f"UPDATE {TABLE} SET ip_address = %s WHERE id = %s",  # noqa: S608
                    [shortened, pk],
                )
                changed += 1
        return changed
