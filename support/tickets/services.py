"""Writes of the support app. Each owns its transaction, locks the workflow row it moves,
records its audit event (field names only) in the same transaction, and sends e-mail
only once the change is committed.

`base_url` ("https://host") is where links in e-mails point: the site the request came
in on, the way accounts builds its reset links."""

import smtplib
from collections.abc import Iterable
from itertools import islice

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.services import settings_update
from privacy.audit.services import Actor, audit_record
from privacy.registry import Category
from support import errors, tasks  # tasks imports this module: names used at call time
from support.announcements.mail import announcement_email, open_mail_connection
from support.models import (
    MESSAGE_MAX_LENGTH,
    SUBJECT_MAX_LENGTH,
    SUMMARY_MAX_LENGTH,
    Announcement,
    AnnouncementDelivery,
    Partner,
    PartnerShare,
    PhoneContact,
    SupportEvent,
    Ticket,
    TicketMessage,
    TicketNote,
)
from support.tickets.access import may_work_tickets
from support.tickets.selectors import announcement_recipient_ids

EMPTY_TEXT = "Write something: this cannot be empty."
NUL_IN_TEXT = "This text contains a character that is not allowed."
ONE_LINE = "Keep this to one line."
TOO_LONG = "At most {limit} characters, please (this has {length})."
NOT_AN_AGENT = "Only an active support agent can be assigned a ticket."
CALL_IN_FUTURE = "A call cannot be logged before it happens."
NOT_A_PRIORITY = "Choose one of the priorities offered."
NOTHING_TO_SHARE = (
    "You have none of the details this partner asks for, so there is nothing to share."
)
_RECIPIENT_CHUNK = 1000


def _text(
    value: str, *, field: str, limit: int, required: bool = True, one_line: bool = False
) -> str:
    """Text as stored: trimmed, not empty (unless optional), no NUL, within its limit; a
    subject on one line (it may become an e-mail header)."""
    value = (value or "").strip()
    if "\x00" in value:
        raise ValidationError({field: NUL_IN_TEXT})
    if one_line and ("\n" in value or "\r" in value):
        raise ValidationError({field: ONE_LINE})
    if required and not value:
        raise ValidationError({field: EMPTY_TEXT})
    if len(value) > limit:
        raise ValidationError({field: TOO_LONG.format(limit=limit, length=len(value))})
    return value


def _locked_ticket(ticket: Ticket, **scope) -> Ticket:
    return Ticket.objects.select_for_update().get(pk=ticket.pk, **scope)


def _audit_ticket(actor: Actor, event: SupportEvent, ticket: Ticket, obj=None, fields=()):
    audit_record(
        actor=actor,
        event_type=event,
        category=Category.SUPPORT,
        subject=ticket.member,
        obj=obj or ticket,
        fields=fields,
    )


def _notify(task, *args) -> None:
    transaction.on_commit(lambda: task.delay(*args))


# --- Tickets: the member ------------------------------------------------------------------


def ticket_open(*, member, actor: Actor, subject: str, body: str, base_url: str) -> Ticket:
    """Open a ticket with its first message; support is told there is a new ticket."""
    subject = _text(subject, field="subject", limit=SUBJECT_MAX_LENGTH, one_line=True)
    body = _text(body, field="body", limit=MESSAGE_MAX_LENGTH)
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
        _audit_ticket(actor, SupportEvent.TICKET_OPENED, ticket, message, ["subject", "body"])
        _notify(tasks.notify_support, ticket.pk, "opened", base_url)
    return ticket


def ticket_member_reply(
    *, ticket: Ticket, member, actor: Actor, body: str, base_url: str
) -> TicketMessage:
    """The member writes on their ticket; an answered ticket is open for support again.
    Raises Ticket.DoesNotExist for another member's ticket, TicketClosed on a closed one."""
    body = _text(body, field="body", limit=MESSAGE_MAX_LENGTH)
    with transaction.atomic():
        locked = _locked_ticket(ticket, member=member)
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
        locked.last_message_at = now
        changed = ["last_message_at"]
        if locked.status == Ticket.Status.ANSWERED and locked.can_move_to(Ticket.Status.OPEN):
            locked.status = Ticket.Status.OPEN
            changed.append("status")
        locked.save(update_fields=changed)
        _audit_ticket(actor, SupportEvent.TICKET_MEMBER_REPLIED, locked, message, ["body"])
        _notify(tasks.notify_support, locked.pk, "member_replied", base_url)
    return message


# --- Tickets: support ---------------------------------------------------------------------


def ticket_agent_reply(*, ticket: Ticket, actor: Actor, body: str, base_url: str) -> TicketMessage:
    """Support answers the member, who is told by e-mail; the ticket is then answered."""
    body = _text(body, field="body", limit=MESSAGE_MAX_LENGTH)
    with transaction.atomic():
        locked = _locked_ticket(ticket)
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
        locked.last_message_at = now
        locked.answered_at = now
        locked.status = Ticket.Status.ANSWERED
        locked.save(update_fields=["last_message_at", "answered_at", "status"])
        _audit_ticket(actor, SupportEvent.TICKET_AGENT_REPLIED, locked, message, ["body"])
        _notify(tasks.notify_member, locked.pk, "replied", base_url)
    return message


def ticket_note_add(*, ticket: Ticket, actor: Actor, body: str) -> TicketNote:
    """An internal note: support's alone, never shown or sent to the member."""
    body = _text(body, field="body", limit=MESSAGE_MAX_LENGTH)
    with transaction.atomic():
        locked = _locked_ticket(ticket)
        note = TicketNote.objects.create(ticket=locked, author=actor.user, body=body)
        _audit_ticket(actor, SupportEvent.TICKET_NOTE_ADDED, locked, note, ["body"])
    return note


def ticket_answer(*, ticket: Ticket, actor: Actor) -> Ticket:
    """Mark an open ticket as answered without writing (say, after a phone call)."""
    with transaction.atomic():
        locked = _locked_ticket(ticket)
        if not locked.can_answer():
            raise errors.InvalidTicketMove(errors.TICKET_NOT_OPEN)
        locked.status = Ticket.Status.ANSWERED
        locked.answered_at = timezone.now()
        locked.save(update_fields=["status", "answered_at"])
        _audit_ticket(actor, SupportEvent.TICKET_ANSWERED, locked, fields=["status"])
    return locked


def ticket_close(
    *, ticket: Ticket, actor: Actor, base_url: str, member=None, tell_member: bool = True
) -> Ticket:
    """Close a ticket, by its member (pass `member`, which scopes the lock to their own
    tickets) or by support (the member is then told by e-mail, unless `tell_member` is
    off because the same save already e-mailed them a reply)."""
    with transaction.atomic():
        locked = _locked_ticket(ticket, **({"member": member} if member is not None else {}))
        if not locked.can_close():
            raise errors.InvalidTicketMove(errors.TICKET_ALREADY_CLOSED)
        locked.status = Ticket.Status.CLOSED
        locked.closed_at = timezone.now()
        locked.save(update_fields=["status", "closed_at"])
        _audit_ticket(actor, SupportEvent.TICKET_CLOSED, locked, fields=["status"])
        if member is None and tell_member:
            _notify(tasks.notify_member, locked.pk, "closed", base_url)
    return locked


def ticket_reopen(*, ticket: Ticket, actor: Actor, member=None) -> Ticket:
    """Reopen a closed ticket (by its member, pass `member`, or by support)."""
    with transaction.atomic():
        locked = _locked_ticket(ticket, **({"member": member} if member is not None else {}))
        if not locked.can_reopen():
            raise errors.InvalidTicketMove(errors.TICKET_NOT_CLOSED)
        locked.status = Ticket.Status.OPEN
        locked.closed_at = None
        locked.save(update_fields=["status", "closed_at"])
        _audit_ticket(actor, SupportEvent.TICKET_REOPENED, locked, fields=["status"])
    return locked


def ticket_assign(*, ticket: Ticket, actor: Actor, assignee, base_url: str) -> Ticket:
    """Give the ticket to a support agent (None: to nobody); the agent is told by e-mail."""
    if assignee is not None and not (assignee.is_active and may_work_tickets(assignee)):
        raise ValidationError({"assignee": NOT_AN_AGENT})
    with transaction.atomic():
        locked = _locked_ticket(ticket)
        if locked.assignee_id == getattr(assignee, "pk", None):
            return locked
        locked.assignee = assignee
        locked.save(update_fields=["assignee"])
        _audit_ticket(actor, SupportEvent.TICKET_ASSIGNED, locked, fields=["assignee"])
        if assignee is not None and assignee.pk != getattr(actor.user, "pk", None):
            _notify(tasks.notify_assignee, locked.pk, base_url)
    return locked


def ticket_prioritise(*, ticket: Ticket, actor: Actor, priority: str) -> Ticket:
    """Support's triage of the ticket; the member is not shown it."""
    if priority not in Ticket.Priority.values:
        raise ValidationError({"priority": NOT_A_PRIORITY})
    with transaction.atomic():
        locked = _locked_ticket(ticket)
        if locked.priority == priority:
            return locked
        locked.priority = priority
        locked.save(update_fields=["priority"])
        _audit_ticket(actor, SupportEvent.TICKET_PRIORITISED, locked, fields=["priority"])
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
        summary=_text(summary, field="summary", limit=SUMMARY_MAX_LENGTH, required=False),
        contacted_at=contacted_at or timezone.now(),
    )
    contact.full_clean(exclude=["ticket"])
    if contact.contacted_at > timezone.now():
        raise ValidationError({"contacted_at": CALL_IN_FUTURE})
    with transaction.atomic():
        contact.ticket = _locked_ticket(ticket)
        contact.save()
        _audit_ticket(
            actor,
            SupportEvent.PHONE_CONTACT_LOGGED,
            contact.ticket,
            contact,
            ["direction", "outcome", "summary"],
        )
    return contact


# --- Announcements --------------------------------------------------------------------------


def announcement_draft_save(*, announcement: Announcement, actor: Actor) -> Announcement:
    """Save a new or changed draft (the admin form has checked its fields). A sent
    announcement cannot be changed: the members already have it."""
    announcement.subject = _text(
        announcement.subject, field="subject", limit=SUBJECT_MAX_LENGTH, one_line=True
    )
    announcement.body = _text(announcement.body, field="body", limit=MESSAGE_MAX_LENGTH)
    with transaction.atomic():
        if announcement.pk is None:
            announcement.created_by = actor.user
            announcement.status = Announcement.Status.DRAFT
            announcement.save()
            return announcement
        locked = Announcement.objects.select_for_update().get(pk=announcement.pk)
        if not locked.can_edit():
            raise errors.InvalidAnnouncementMove(errors.ANNOUNCEMENT_NOT_DRAFT)
        announcement.status = locked.status
        announcement.save(update_fields=["kind", "subject", "body"])
    return announcement


def announcement_send(*, announcement: Announcement, actor: Actor, base_url: str) -> Announcement:
    """Start sending: the recipients are chosen and e-mailed in the background, in batches.
    Who receives it is decided when it is sent, not when it was written."""
    with transaction.atomic():
        locked = Announcement.objects.select_for_update().get(pk=announcement.pk)
        if not locked.can_send():
            raise errors.InvalidAnnouncementMove(errors.ANNOUNCEMENT_NOT_DRAFT)
        locked.status = Announcement.Status.SENDING
        locked.sending_at = timezone.now()
        locked.sent_by = actor.user
        locked.save(update_fields=["status", "sending_at", "sent_by"])
        audit_record(
            actor=actor,
            event_type=SupportEvent.ANNOUNCEMENT_SENT,
            category=Category.ACCOUNT,
            obj=locked,
            fields=["email"],
        )
        _notify(tasks.announcement_fan_out, locked.pk, base_url)
    return locked


def announcement_recipients_record(*, announcement_id: int) -> int:
    """Add a pending delivery for every member the announcement is for. Safe to run again
    (a member is never added twice). Returns how many members it is for."""
    announcement = Announcement.objects.get(pk=announcement_id)
    if announcement.status != Announcement.Status.SENDING:
        return 0
    ids = announcement_recipient_ids(kind=announcement.kind).iterator(chunk_size=_RECIPIENT_CHUNK)
    while chunk := list(islice(ids, _RECIPIENT_CHUNK)):
        with transaction.atomic():
            AnnouncementDelivery.objects.bulk_create(
                [
                    AnnouncementDelivery(announcement_id=announcement_id, member_id=pk)
                    for pk in chunk
                ],
                ignore_conflicts=True,
            )
    return announcement.deliveries.count()


def _skip_reason(announcement: Announcement, member) -> str:
    if not member.is_active:
        return "The account was closed before the e-mail was sent."
    if announcement.kind == Announcement.Kind.NEWSLETTER and not member.newsletter_opt_in:
        return "The member unsubscribed from newsletters before the e-mail was sent."
    return ""


def deliveries_send(
    *, announcement_id: int, first_id: int, last_id: int, base_url: str
) -> dict[str, int]:
    """Send one batch of pending deliveries and record each outcome. A member who left or
    unsubscribed since the recipients were chosen is skipped; an address the server
    refuses fails alone. Raises MailServerUnavailable when the server cannot be reached,
    leaving the unsent deliveries pending. Returns counts by status."""
    counts = dict.fromkeys(AnnouncementDelivery.Status.values, 0)
    unreachable = None
    with transaction.atomic():
        # Locked (these rows only, not the announcement or the accounts joined) so that a
        # batch run twice at once (a retried task) sends each e-mail once.
        batch = list(
            AnnouncementDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(
                announcement_id=announcement_id,
                pk__gte=first_id,
                pk__lte=last_id,
                status=AnnouncementDelivery.Status.PENDING,
            )
            .select_related("announcement", "member")
            .order_by("pk")
        )
        done = []
        try:
            with open_mail_connection() as connection:
                for delivery in batch:
                    _deliver(delivery, connection, base_url)
                    done.append(delivery)
                    counts[delivery.status] += 1
        except OSError as exc:
            # The mail server itself is gone: what was sent is recorded, the rest stays
            # pending for the task's retry.
            unreachable = exc
        AnnouncementDelivery.objects.bulk_update(done, ["status", "detail", "sent_at"])
    if unreachable is not None:
        raise errors.MailServerUnavailable(errors.MAIL_SERVER_UNAVAILABLE) from unreachable
    announcement_finish_if_done(announcement_id=announcement_id)
    return counts


def _deliver(delivery: AnnouncementDelivery, connection, base_url: str) -> None:
    reason = _skip_reason(delivery.announcement, delivery.member)
    if reason:
        delivery.status, delivery.detail = AnnouncementDelivery.Status.SKIPPED, reason
        return
    try:
        announcement_email(
            announcement=delivery.announcement,
            member=delivery.member,
            base_url=base_url,
            connection=connection,
        ).send()
    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError) as exc:
        _refused(delivery, exc)
        return
    except OSError:
        raise  # the server, not this message: the whole batch waits (deliveries_send)
    except Exception as exc:  # a message that cannot be made, e.g. a malformed address
        _refused(delivery, exc)
        return
    delivery.status = AnnouncementDelivery.Status.SENT
    delivery.sent_at = timezone.now()


def _refused(delivery: AnnouncementDelivery, exc: Exception) -> None:
    delivery.status = AnnouncementDelivery.Status.FAILED
    # The exception's class, never its text: that may quote the address.
    delivery.detail = f"The mail server refused it ({type(exc).__name__})."


def announcement_finish_if_done(*, announcement_id: int) -> bool:
    """Mark the announcement sent once no delivery is pending."""
    with transaction.atomic():
        locked = Announcement.objects.select_for_update().get(pk=announcement_id)
        if not locked.can_finish():
            return False
        if locked.deliveries.filter(status=AnnouncementDelivery.Status.PENDING).exists():
            return False
        locked.status = Announcement.Status.SENT
        locked.sent_at = timezone.now()
        locked.save(update_fields=["status", "sent_at"])
    return True


# --- Subscriptions ------------------------------------------------------------------------


def subscription_cancel(*, member, kind: str, actor: Actor) -> None:
    """Stop e-mail of one kind. Newsletters stop at once; service announcements cannot be
    stopped ('Site and Service Updates'), which raises UnsubscribeRefused."""
    if kind == Announcement.Kind.SERVICE:
        raise errors.UnsubscribeRefused(errors.SERVICE_ANNOUNCEMENTS_MANDATORY)
    if kind != Announcement.Kind.NEWSLETTER:
        raise ValueError(f"Unknown kind of announcement {kind!r}.")
    settings_update(user=member, actor=actor, data={"newsletter_opt_in": False})


# --- Partners -----------------------------------------------------------------------------


def partner_share(
    *, member, partner: Partner, actor: Actor, confirmed_fields: Iterable[str]
) -> PartnerShare:
    """Record that the member chose to send a partner the details they were shown. Only
    details the member has are sent; their names (never values) are recorded. Nothing
    goes over the network: there is no partner connection here, only the record."""
    with transaction.atomic():
        partner = Partner.objects.select_for_update().get(pk=partner.pk, is_active=True)
        if sorted(confirmed_fields) != sorted(partner.shared_fields):
            raise errors.PartnerChanged(errors.PARTNER_CHANGED)
        current = get_user_model().objects.get(pk=member.pk)
        sent = [name for name in partner.shared_fields if getattr(current, name) not in ("", None)]
        if not sent:
            raise ValidationError(NOTHING_TO_SHARE)
        share = PartnerShare.objects.create(member=current, partner=partner, fields=sent)
        audit_record(
            actor=actor,
            event_type=SupportEvent.PARTNER_SHARED,
            category=Category.ACCOUNT,
            subject=current,
            obj=share,
            fields=sent,
        )
    return share
