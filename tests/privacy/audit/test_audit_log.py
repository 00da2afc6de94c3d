import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.utils import DatabaseError

from accounts import services
from privacy.audit.models import AuditEvent, MemberPseudonym
from privacy.audit.selectors import audit_events_about
from privacy.audit.services import Actor, AuditEventType, audit_record
from privacy.registry import Category

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the append-only trigger exists on PostgreSQL only"
)


@pytest.fixture
def event(member):
    return audit_record(
        actor=Actor(user=member, ip="203.0.113.9"),
        event_type=AuditEventType.ACCOUNT_UPDATED,
        category=Category.ACCOUNT,
        subject=member,
        obj=member,
        fields=["zip_code"],
    )


@pytest.mark.django_db
def test_event_records_who_what_where_but_no_values(event, member):
    assert event.event_type == "account.updated"
    assert event.actor_kind == AuditEvent.ActorKind.MEMBER
    assert event.subject_pseudonym == MemberPseudonym.objects.get(member=member).pseudonym
    assert event.object_type == "accounts.user"
    assert event.object_id == ""  # the member's own key is never written
    assert str(event.ip_address) == "203.0.113.9"
    assert event.fields == ["zip_code"]
    assert "90210" not in repr(AuditEvent.objects.values().get())


@pytest.mark.django_db
def test_values_cannot_be_smuggled_in_as_field_names(member):
    with pytest.raises(ValueError, match="field names only"):
        audit_record(
            actor=Actor.system(),
            event_type=AuditEventType.ACCOUNT_UPDATED,
            category=Category.ACCOUNT,
            subject=member,
            fields=["rosa.private@example.org"],
        )
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_audit_rows_refuse_change_and_delete_through_the_orm(event):
    event.event_type = AuditEventType.SIGNED_IN
    with pytest.raises(PermissionDenied):
        event.save()
    with pytest.raises(PermissionDenied):
        event.delete()
    with pytest.raises(PermissionDenied):
        AuditEvent.objects.filter(pk=event.pk).update(fields=[])
    with pytest.raises(PermissionDenied):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).event_type == "account.updated"


@postgres_only
@pytest.mark.django_db
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE privacy_auditevent SET fields = '[]'",
        "DELETE FROM privacy_auditevent",
    ],
)
def test_postgres_trigger_refuses_raw_update_and_delete(event, statement):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    assert AuditEvent.objects.filter(pk=event.pk, fields=["zip_code"]).exists()


@pytest.mark.django_db
def test_a_failed_change_leaves_no_audit_event(member, other_member):
    """The event is written in the change's transaction: no change, no event."""
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.account_update(
            user=member, actor=Actor(user=member), data={"zip_code": "not-a-zip"}
        )
    assert not AuditEvent.objects.filter(event_type=AuditEventType.ACCOUNT_UPDATED).exists()


@pytest.mark.django_db
def test_erasing_a_member_unlinks_history_without_rewriting_it(event, member):
    pseudonym = event.subject_pseudonym
    assert list(audit_events_about(member)) == [event]

    member.delete()

    row = AuditEvent.objects.get(pk=event.pk)
    assert row.subject_pseudonym == pseudonym  # the row is untouched...
    assert not MemberPseudonym.objects.filter(pseudonym=pseudonym).exists()  # ...and unlinkable


@pytest.mark.django_db
def test_staff_acting_on_a_member_is_recorded_as_staff(member, staff_client):
    staff = staff_client().staff
    event = audit_record(
        actor=Actor(user=staff),
        event_type=AuditEventType.STAFF_VIEWED_PRIVATE,
        category=Category.ACCOUNT,
        subject=member,
        fields=["email"],
    )
    assert event.actor_kind == AuditEvent.ActorKind.STAFF
    assert event.actor_pseudonym != event.subject_pseudonym
