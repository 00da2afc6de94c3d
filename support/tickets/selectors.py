"""Reads of support tickets. Member-facing reads are scoped to the member: another
member's ticket simply does not exist for them."""

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from bestqm.http.record_keys import parse_key
from privacy.roles import Role
from support.models import (
    Ticket,
)


def tickets_of(*, member) -> QuerySet[Ticket]:
    return Ticket.objects.filter(member=member)


def ticket_of(*, member, ticket_id) -> Ticket | None:
    """The member's own ticket with this key, or None (another member's ticket included)."""
    pk = parse_key(ticket_id)
    if pk is None:
        return None
    return tickets_of(member=member).filter(pk=pk).first()


def conversation_of(*, ticket: Ticket) -> list:
    """What the member sees of a ticket, oldest first: the messages and the phone contacts.
    Internal notes are never part of it."""
    entries = [*ticket.messages.all(), *ticket.phone_contacts.all()]
    return sorted(entries, key=lambda e: getattr(e, "created_at", None) or e.contacted_at)


def assignable_agents() -> QuerySet:
    """Active staff who work tickets: support agents and superusers."""
    return (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True)
        .filter(Q(is_superuser=True) | Q(groups__name=Role.SUPPORT_AGENT.label))
        .distinct()
        .order_by("first_name", "last_name", "pk")
    )
