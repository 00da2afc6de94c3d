"""The audit log keeps its rows for AUDIT_RETENTION_DAYS and shortens their addresses after
IP_RETENTION_DAYS, through the one path the PostgreSQL trigger allows; every other DELETE,
UPDATE or TRUNCATE is refused, the owner's and the restricted application role's alike."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.utils import timezone

from privacy.audit.db_role import app_role_grant
from privacy.audit.models import AuditEvent
from privacy.audit.retention import audit_addresses_shorten, audit_events_purge_expired
from privacy.registry import Category
from privacy.retention import privacy_retention_apply

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger and the role exist on PostgreSQL only"
)
APP_ROLE = "bestqm_i17_test_app"


def _event(days_ago: int, ip: str | None = "203.0.113.77") -> AuditEvent:
    return AuditEvent.objects.create(
        occurred_at=timezone.now() - timedelta(days=days_ago),
        event_type=AuditEvent.EventType.SIGNED_IN,
        category=Category.ACCOUNT,
        actor_kind=AuditEvent.ActorKind.MEMBER,
        ip_address=ip,
        fields=["login_name"],
    )


@pytest.fixture
def ages(settings):
    settings.AUDIT_RETENTION_DAYS = 400
    settings.IP_RETENTION_DAYS = 90
    return {
        "expired": _event(401),
        "old_address": _event(120, ip="2001:db8:abcd:12::7"),
        "fresh": _event(3),
    }


@pytest.mark.django_db
def test_retention_removes_only_rows_older_than_audit_retention_days(ages):
    assert audit_events_purge_expired() == 1

    assert not AuditEvent.objects.filter(pk=ages["expired"].pk).exists()
    assert AuditEvent.objects.filter(pk=ages["old_address"].pk).exists()
    assert AuditEvent.objects.filter(pk=ages["fresh"].pk).exists()
    assert audit_events_purge_expired() == 0


@pytest.mark.django_db
def test_addresses_older_than_ip_retention_are_shortened_and_nothing_else_changes(ages):
    before = AuditEvent.objects.get(pk=ages["old_address"].pk)

    assert audit_addresses_shorten() == 2  # the expired row and the 120-day-old one
    assert audit_addresses_shorten() == 0

    after = AuditEvent.objects.get(pk=before.pk)
    assert after.ip_address == "2001:db8:abcd::"
    assert AuditEvent.objects.get(pk=ages["expired"].pk).ip_address == "203.0.113.0"
    assert AuditEvent.objects.get(pk=ages["fresh"].pk).ip_address == "203.0.113.77"
    assert (after.occurred_at, after.event_type, after.fields) == (
        before.occurred_at,
        before.event_type,
        before.fields,
    )


@pytest.mark.django_db
def test_the_daily_job_and_command_apply_audit_retention(ages, capsys):
    report = privacy_retention_apply()
    assert report.audit_events_deleted == 1
    assert report.audit_addresses_shortened == 1
    _event(500)
    call_command("apply_privacy_retention")
    assert "audit events deleted: 1" in capsys.readouterr().out


def _refused(statement: str, params=None, match="append-only|permission denied"):
    with (
        pytest.raises(DatabaseError, match=match),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement, params)


@postgres_only
@pytest.mark.django_db
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE privacy_auditevent SET fields = '[]'",
        # An address change the shortening function would make, but made directly.
        "UPDATE privacy_auditevent SET ip_address = privacy_audit_shortened(ip_address)",
        "DELETE FROM privacy_auditevent WHERE occurred_at < now() - interval '400 days'",
        "DELETE FROM privacy_auditevent",
    ],
)
def test_owner_cannot_update_or_delete_outside_the_retention_functions(ages, statement):
    _refused(statement)
    assert AuditEvent.objects.count() == 3
    assert AuditEvent.objects.filter(ip_address="203.0.113.77").count() == 2


@postgres_only
@pytest.mark.django_db
def test_truncate_is_refused_outside_the_test_runner(ages):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL bestqm.audit_truncate = 'refused'")
        with pytest.raises(DatabaseError, match="TRUNCATE refused"), transaction.atomic():
            cursor.execute("TRUNCATE privacy_auditevent CASCADE")
    assert AuditEvent.objects.count() == 3


@postgres_only
@pytest.mark.django_db
def test_the_purge_function_refuses_a_retention_under_thirty_days(ages):
    _refused("SELECT privacy_audit_purge(1)", match="at least 30 days")
    assert AuditEvent.objects.count() == 3


@pytest.fixture
def app_role(db):
    """A role like production's application role, granted what app_role_grant grants."""
    with connection.cursor() as cursor:
        cursor.execute(
            "DO $$ BEGIN CREATE ROLE bestqm_i17_test_app NOLOGIN; "
            "EXCEPTION WHEN duplicate_object THEN NULL; END $$"
        )
    app_role_grant(role=APP_ROLE)
    yield APP_ROLE
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")


@postgres_only
@pytest.mark.django_db
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE privacy_auditevent SET fields = '[]'",
        "DELETE FROM privacy_auditevent",
        "TRUNCATE privacy_auditevent CASCADE",
    ],
)
def test_the_application_role_cannot_change_the_audit_log(ages, app_role, statement):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL ROLE {app_role}")
        with pytest.raises(DatabaseError, match="permission denied"), transaction.atomic():
            cursor.execute(statement)
    assert AuditEvent.objects.count() == 3


@postgres_only
@pytest.mark.django_db
def test_the_application_role_inserts_reads_and_applies_retention(ages, app_role, settings):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL ROLE {app_role}")
        _event(0)
        assert AuditEvent.objects.count() == 4
        # It may change the other tables (sessions here) but the audit log only through
        # the two retention functions.
        report = privacy_retention_apply()
        cursor.execute("SELECT current_user")
        assert cursor.fetchone()[0] == app_role
    assert report.audit_events_deleted == 1
    assert report.audit_addresses_shortened == 1
    assert AuditEvent.objects.count() == 3
