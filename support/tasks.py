"""Background work of the support app (Celery; inline when no broker is configured).
Tasks get keys, never addresses or text: the e-mail is built in the worker, from the
database as it is then."""

from celery import shared_task
from django.conf import settings

from support.announcements import services as announcement_services
from support.announcements.selectors import pending_delivery_ranges
from support.errors import MailServerUnavailable
from support.models import Ticket
from support.tickets.notifications import email_to_member, email_to_support


def _ticket(ticket_pk: int) -> Ticket | None:
    return Ticket.objects.select_related("member", "assignee").filter(pk=ticket_pk).first()


@shared_task
def notify_support(ticket_pk: int, event: str, base_url: str) -> None:
    ticket = _ticket(ticket_pk)
    if ticket is not None:
        email_to_support(ticket=ticket, event=event, base_url=base_url).send()


@shared_task
def notify_assignee(ticket_pk: int, base_url: str) -> None:
    ticket = _ticket(ticket_pk)
    if ticket is not None and ticket.assignee is not None and ticket.assignee.is_active:
        email_to_support(ticket=ticket, event="assigned", base_url=base_url).send()


@shared_task
def notify_member(ticket_pk: int, event: str, base_url: str) -> None:
    ticket = _ticket(ticket_pk)
    if ticket is not None and ticket.member.is_active:
        email_to_member(ticket=ticket, event=event, base_url=base_url).send()


@shared_task(acks_late=True, reject_on_worker_lost=True)
def announcement_fan_out(announcement_pk: int, base_url: str) -> None:
    """Choose the recipients, then send to them a batch per task."""
    announcement_services.announcement_recipients_record(announcement_id=announcement_pk)
    ranges = pending_delivery_ranges(
        announcement_id=announcement_pk, size=settings.ANNOUNCEMENT_BATCH_SIZE
    )
    for first_id, last_id in ranges:
        announcement_batch_send.delay(announcement_pk, first_id, last_id, base_url)
    if not ranges:
        announcement_services.announcement_finish_if_done(announcement_id=announcement_pk)


# A mail server that is down is waited for: from a minute up to an hour between tries.
# Acknowledged when done: a batch whose worker died is run again, and sends only what is
# still pending (deliveries_send locks and re-checks each row).
@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(MailServerUnavailable,),
    retry_backoff=60,
    retry_backoff_max=3600,
    max_retries=8,
)
def announcement_batch_send(announcement_pk: int, first_id: int, last_id: int, base_url: str):
    announcement_services.deliveries_send(
        announcement_id=announcement_pk, first_id=first_id, last_id=last_id, base_url=base_url
    )
