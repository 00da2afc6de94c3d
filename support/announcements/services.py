"""Writes of announcements: drafts, sending in batches with a record per recipient, and
unsubscribing from newsletters."""

import smtplib
from itertools import islice

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.services import settings_update
from bestqm.workflow import Workflow
from outbox import enqueue
from privacy.audit.services import Actor
from privacy.registry import Category
from support import errors, tasks
from support.announcements.mail import announcement_email, open_mail_connection
from support.announcements.selectors import announcement_recipient_ids, pending_delivery_ranges
from support.models import (
    MESSAGE_MAX_LENGTH,
    SUBJECT_MAX_LENGTH,
    Announcement,
    AnnouncementDelivery,
    SupportEvent,
)
from support.text import clean_text

_RECIPIENT_CHUNK = 1000


def _refusal(announcement: Announcement, status: str, action: str = ""):
    return errors.InvalidAnnouncementMove(errors.ANNOUNCEMENT_NOT_DRAFT)


# Announcements are no one member's data: their events name no subject.
ANNOUNCEMENTS = Workflow(Announcement, category=Category.ACCOUNT, subject=None, refusal=_refusal)


def announcement_draft_save(*, announcement: Announcement, actor: Actor) -> Announcement:
    """Save a new or changed draft (the admin form has checked its fields). A sent
    announcement cannot be changed: the members already have it."""
    announcement.subject = clean_text(
        announcement.subject, field="subject", limit=SUBJECT_MAX_LENGTH, one_line=True
    )
    announcement.body = clean_text(announcement.body, field="body", limit=MESSAGE_MAX_LENGTH)
    with transaction.atomic():
        if announcement.pk is None:
            announcement.created_by = actor.user
            announcement.status = Announcement.Status.DRAFT
            announcement.save()
            return announcement
        locked = ANNOUNCEMENTS.locked(announcement)
        if not locked.can_edit():
            raise errors.InvalidAnnouncementMove(errors.ANNOUNCEMENT_NOT_DRAFT)
        announcement.status = locked.status
        announcement.save(update_fields=["kind", "subject", "body"])
    return announcement


def announcement_send(*, announcement: Announcement, actor: Actor, base_url: str) -> Announcement:
    """Start sending: the recipients are chosen and e-mailed in the background, in batches.
    Who receives it is decided when it is sent, not when it was written."""
    with transaction.atomic():
        locked = ANNOUNCEMENTS.move(
            ANNOUNCEMENTS.locked(announcement),
            Announcement.Status.SENDING,
            actor=actor,
            event=SupportEvent.ANNOUNCEMENT_SENT,
            fields=["email"],
            sent_by=actor.user,
            jobs=[(tasks.announcement_fan_out, announcement.pk, base_url)],
        )
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


def announcement_batches_queue(*, announcement_id: int, base_url: str) -> int:
    """Choose the recipients, then queue a task per batch of them (a background task).
    Safe to run twice: recipients are recorded once, and a batch sends only what is still
    pending. Returns how many batches were queued."""
    announcement_recipients_record(announcement_id=announcement_id)
    ranges = pending_delivery_ranges(
        announcement_id=announcement_id, size=settings.ANNOUNCEMENT_BATCH_SIZE
    )
    for first_id, last_id in ranges:
        enqueue(tasks.announcement_batch_send, announcement_id, first_id, last_id, base_url)
    if not ranges:
        announcement_finish_if_done(announcement_id=announcement_id)
    return len(ranges)


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
    leaving the unsent deliveries pending. Returns counts by status.

    Each delivery is locked, sent and recorded in a transaction of its own: a worker
    killed in the middle leaves every e-mail it sent recorded as sent (at most the one in
    flight is sent again by the batch's next run), and a batch run twice at once (a
    retried task) skips the rows the other holds, so each e-mail goes once."""
    counts = dict.fromkeys(AnnouncementDelivery.Status.values, 0)
    unreachable = None
    pending = AnnouncementDelivery.objects.filter(
        announcement_id=announcement_id,
        pk__gte=first_id,
        pk__lte=last_id,
        status=AnnouncementDelivery.Status.PENDING,
    )
    try:
        with open_mail_connection() as connection:
            for pk in list(pending.order_by("pk").values_list("pk", flat=True)):
                with transaction.atomic():
                    # This row only, not the announcement or the account joined.
                    delivery = (
                        pending.select_for_update(skip_locked=True, of=("self",))
                        .select_related("announcement", "member")
                        .filter(pk=pk)
                        .first()
                    )
                    if delivery is None:
                        continue  # sent meanwhile, or being sent by the batch's twin
                    _deliver(delivery, connection, base_url)
                    delivery.save(update_fields=["status", "detail", "sent_at"])
                    counts[delivery.status] += 1
    except OSError as exc:
        # The mail server itself is gone: what was sent is recorded, the rest stays
        # pending for the outbox's retry.
        unreachable = exc
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
        locked = ANNOUNCEMENTS.locked(Announcement(pk=announcement_id))
        if not locked.can_finish():
            return False
        if locked.deliveries.filter(status=AnnouncementDelivery.Status.PENDING).exists():
            return False
        ANNOUNCEMENTS.move(locked, Announcement.Status.SENT)
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
