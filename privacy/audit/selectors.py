"""Reads of the audit log about one member."""

from django.db.models import QuerySet

from privacy.audit.models import AuditEvent, MemberPseudonym


def audit_events_about(member) -> QuerySet[AuditEvent]:
    """Everything the audit log says about one member, newest first."""
    pseudonym = MemberPseudonym.objects.filter(member=member).values("pseudonym")
    return AuditEvent.objects.filter(subject_pseudonym__in=pseudonym)


def staff_views_of(member) -> QuerySet[AuditEvent]:
    """Every time staff opened or changed the member's private details."""
    return audit_events_about(member).filter(
        actor_kind=AuditEvent.ActorKind.STAFF,
        event_type__in=[
            AuditEvent.EventType.STAFF_VIEWED_PRIVATE,
            AuditEvent.EventType.STAFF_CHANGED_PRIVATE,
        ],
    )
