"""Writes of support tickets. Each owns its transaction, locks the ticket it moves, records
its audit event (field names only) in the same transaction, and sends e-mail only once
the change is committed.

`base_url` ("https://host") is where links in e-mails point: the site the request came
in on, the way accounts builds its reset links."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from bestqm.workflow import Workflow
from outbox import enqueue
from privacy.audit.services import Actor
from privacy.registry import Category
from support import errors, tasks
from support.models import (
    MESSAGE_MAX_LENGTH,
    SUBJECT_MAX_LENGTH,
    SUMMARY_MAX_LENGTH,
    PhoneContact,
    SupportEvent,
    Ticket,
    TicketMessage,
    TicketNote,
)
from support.text import clean_text
from support.tickets.access import may_work_tickets

NOT_AN_AGENT = "Only an active support agent can be assigned a ticket."
CALL_IN_FUTURE = "A call cannot be logged before it happens."
NOT_A_PRIORITY = "Choose one of the priorities offered."


_REFUSALS = {
    Ticket.Status.ANSWERED: errors.TICKET_NOT_OPEN,
    Ticket.Status.CLOSED: errors.TICKET_ALREADY_CLOSED,
    Ticket.Status.OPEN: errors.TICKET_NOT_CLOSED,
}


def _refusal(ticket: Ticket, status: str, action: str = "") -> errors.InvalidTicketMove:
    return errors.InvalidTicketMove(_REFUSALS[status])


TICKETS = Workflow(Ticket, category=Category.SUPPORT, refusal=_refusal)


def _notify(task, *args) -> None:
    """An e-mail in the outbox, sent once the change is committed."""
    enqueue(task, *args)


# --- Tickets: the member ------------------------------------------------------------------


def ticket_open(*, member, actor: Actor, subject: str, body: str, base_url: str) -> Ticket:
    """Open a ticket with its first message; support is told there is a new ticket."""
    subject = clean_text(subject, field="subject", limit=SUBJECT_MAX_LENGTH, one_line=True)
    body = clean_text(body, field="body", limit=MESSAGE_MAX_LENGTH)
    with transaction.atomic():
        now = timezone.now()
        ticket = Ticket.objects.create(
            member=member, subject=subject, created_at=now, last_message_at=now
        )
        message = TicketMessage.objects.create(
            ticket=ticket,
            sender=TicketMessage.Sender.MEMBER,
            author=member,
            body=body,
            created_at=now,
        )
        TICKETS.audit(ticket, actor, SupportEvent.TICKET_OPENED, ["subject", "body"], obj=message)
        _notify(tasks.notify_support, ticket.pk, "opened", base_url)
    return ticket


def ticket_member_reply(
    *, ticket: Ticket, member, actor: Actor, body: str, base_url: str
) -> TicketMessage:
    """The member writes on their ticket; an answered ticket is open for support again.
    Raises Ticket.DoesNotExist for another member's ticket, TicketClosed on a closed one."""
    body = clean_text(body, field="body", limit=MESSAGE_MAX_LENGTH)
    with transaction.atomic():
        locked = TICKETS.locked(ticket, member=member)
        if not locked.can_receive_messages():
            raise errors.TicketClosed(errors.TICKET_CLOSED)
        now = timezone.now()
        message = TicketMessage.objects.create(
            ticket=locked,
            sender=TicketMessage.Sender.MEMBER,
            author=member,
            body=body,
            created_at=now,
        )
        if locked.status == Ticket.Status.ANSWERED:
            TICKETS.move(locked, Ticket.Status.OPEN, now=now, last_message_at=now)
        else:
            locked.last_message_at = now
            locked.save(update_fields=["last_message_at"])
        TICKETS.audit(locked, actor, SupportEvent.TICKET_MEMBER_REPLIED, ["body"], obj=message)
        _notify(tasks.notify_support, locked.pk, "member_replied", base_url)
    return message


# --- Tickets: support ---------------------------------------------------------------------


def ticket_agent_reply(*, ticket: Ticket, actor: Actor, body: str, base_url: str) -> TicketMessage:
    """Support answers the member, who is told by e-mail; the ticket is then answered."""
    body = clean_text(body, field="body", limit=MESSAGE_MAX_LENGTH)
    with transaction.atomic():
        locked = TICKETS.locked(ticket)
        if not locked.can_receive_messages():
            raise errors.TicketClosed(errors.TICKET_CLOSED)
        now = timezone.now()
        message = TicketMessage.objects.create(
            ticket=locked,
            sender=TicketMessage.Sender.SUPPORT,
            author=actor.user,
            body=body,
            created_at=now,
        )
        if locked.status == Ticket.Status.ANSWERED:  # answered again: still the member's turn
            locked.last_message_at = locked.answered_at = now
            locked.save(update_fields=["last_message_at", "answered_at"])
        else:
            TICKETS.move(locked, Ticket.Status.ANSWERED, now=now, last_message_at=now)
        TICKETS.audit(locked, actor, SupportEvent.TICKET_AGENT_REPLIED, ["body"], obj=message)
        _notify(tasks.notify_member, locked.pk, "replied", base_url)
    return message


def ticket_note_add(*, ticket: Ticket, actor: Actor, body: str) -> TicketNote:
    """An internal note: support's alone, never shown or sent to the member."""
    body = clean_text(body, field="body", limit=MESSAGE_MAX_LENGTH)
    with transaction.atomic():
        locked = TICKETS.locked(ticket)
        note = TicketNote.objects.create(ticket=locked, author=actor.user, body=body)
        TICKETS.audit(locked, actor, SupportEvent.TICKET_NOTE_ADDED, ["body"], obj=note)
    return note


def ticket_answer(*, ticket: Ticket, actor: Actor) -> Ticket:
    """Mark an open ticket as answered without writing (say, after a phone call)."""
    with transaction.atomic():
        locked = TICKETS.locked(ticket)
        TICKETS.move(
            locked,
            Ticket.Status.ANSWERED,
            actor=actor,
            event=SupportEvent.TICKET_ANSWERED,
            fields=["status"],
        )
    return locked


def ticket_close(
    *, ticket: Ticket, actor: Actor, base_url: str, member=None, tell_member: bool = True
) -> Ticket:
    """Close a ticket, by its member (pass `member`, which scopes the lock to their own
    tickets) or by support (the member is then told by e-mail, unless `tell_member` is
    off because the same save already e-mailed them a reply)."""
    with transaction.atomic():
        locked = TICKETS.locked(ticket, **({"member": member} if member is not None else {}))
        TICKETS.move(
            locked,
            Ticket.Status.CLOSED,
            actor=actor,
            event=SupportEvent.TICKET_CLOSED,
            fields=["status"],
        )
        if member is None and tell_member:
            _notify(tasks.notify_member, locked.pk, "closed", base_url)
    return locked


def ticket_reopen(*, ticket: Ticket, actor: Actor, member=None) -> Ticket:
    """Reopen a closed ticket (by its member, pass `member`, or by support)."""
    with transaction.atomic():
        locked = TICKETS.locked(ticket, **({"member": member} if member is not None else {}))
        TICKETS.move(
            locked,
            Ticket.Status.OPEN,
            source=Ticket.Status.CLOSED,
            actor=actor,
            event=SupportEvent.TICKET_REOPENED,
            fields=["status"],
            closed_at=None,
        )
    return locked


def ticket_assign(*, ticket: Ticket, actor: Actor, assignee, base_url: str) -> Ticket:
    """Give the ticket to a support agent (None: to nobody); the agent is told by e-mail."""
    if assignee is not None and not (assignee.is_active and may_work_tickets(assignee)):
        raise ValidationError({"assignee": NOT_AN_AGENT})
    with transaction.atomic():
        locked = TICKETS.locked(ticket)
        if locked.assignee_id == getattr(assignee, "pk", None):
            return locked
        locked.assignee = assignee
        locked.save(update_fields=["assignee"])
        TICKETS.audit(locked, actor, SupportEvent.TICKET_ASSIGNED, ["assignee"])
        if assignee is not None and assignee.pk != getattr(actor.user, "pk", None):
            _notify(tasks.notify_assignee, locked.pk, base_url)
    return locked


def ticket_prioritise(*, ticket: Ticket, actor: Actor, priority: str) -> Ticket:
    """Support's triage of the ticket; the member is not shown it."""
    if priority not in Ticket.Priority.values:
        raise ValidationError({"priority": NOT_A_PRIORITY})
    with transaction.atomic():
        locked = TICKETS.locked(ticket)
        if locked.priority == priority:
            return locked
        locked.priority = priority
        locked.save(update_fields=["priority"])
        TICKETS.audit(locked, actor, SupportEvent.TICKET_PRIORITISED, ["priority"])
    return locked


_UNCHANGED = object()


def ticket_work(
    *,
    ticket: Ticket,
    actor: Actor,
    base_url: str,
    assignee=_UNCHANGED,
    priority: str | None = None,
    note: str = "",
    reply: str = "",
    move_to: str = "",
) -> Ticket:
    """Everything an agent does to a ticket in one save of its admin page, all or nothing:
    reassign, reprioritise, reopen, add an internal note, reply, then mark answered or
    close. A reply answers the ticket by itself; replying to a closed ticket needs the
    reopen in the same save."""
    with transaction.atomic():
        if assignee is not _UNCHANGED:
            ticket_assign(ticket=ticket, actor=actor, assignee=assignee, base_url=base_url)
        if priority:
            ticket_prioritise(ticket=ticket, actor=actor, priority=priority)
        if move_to == Ticket.Status.OPEN:
            ticket_reopen(ticket=ticket, actor=actor)
        if note.strip():
            ticket_note_add(ticket=ticket, actor=actor, body=note)
        if reply.strip():
            ticket_agent_reply(ticket=ticket, actor=actor, body=reply, base_url=base_url)
        if move_to == Ticket.Status.ANSWERED and not reply.strip():
            ticket_answer(ticket=ticket, actor=actor)
        if move_to == Ticket.Status.CLOSED:
            ticket_close(
                ticket=ticket, actor=actor, base_url=base_url, tell_member=not reply.strip()
            )
        return Ticket.objects.get(pk=ticket.pk)


def phone_contact_log(
    *,
    ticket: Ticket,
    actor: Actor,
    direction: str,
    outcome: str,
    summary: str = "",
    contacted_at=None,
) -> PhoneContact:
    """Record a phone call with the member about their ticket, and how it went."""
    contact = PhoneContact(
        ticket=ticket,
        staff=actor.user,
        direction=direction,
        outcome=outcome,
        summary=clean_text(summary, field="summary", limit=SUMMARY_MAX_LENGTH, required=False),
        contacted_at=contacted_at or timezone.now(),
    )
    contact.full_clean(exclude=["ticket"])
    if contact.contacted_at > timezone.now():
        raise ValidationError({"contacted_at": CALL_IN_FUTURE})
    with transaction.atomic():
        contact.ticket = TICKETS.locked(ticket)
        contact.save()
        TICKETS.audit(
            contact.ticket,
            actor,
            SupportEvent.PHONE_CONTACT_LOGGED,
            ["direction", "outcome", "summary"],
            obj=contact,
        )
    return contact
