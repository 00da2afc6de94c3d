"""Background work of the support app (Celery; inline when no broker is configured).
Tasks are thin: each imports its service inside its body and calls it. They get keys,
never addresses or text: the e-mail is built in the worker, from the database as it is
then."""

from celery import shared_task


@shared_task(sends_mail=True)
def notify_support(ticket_pk: int, event: str, base_url: str) -> None:
    from support.tickets.notifications import support_notify

    support_notify(ticket_pk=ticket_pk, event=event, base_url=base_url)


@shared_task(sends_mail=True)
def notify_assignee(ticket_pk: int, base_url: str) -> None:
    from support.tickets.notifications import assignee_notify

    assignee_notify(ticket_pk=ticket_pk, base_url=base_url)


@shared_task(sends_mail=True)
def notify_member(ticket_pk: int, event: str, base_url: str) -> None:
    from support.tickets.notifications import member_notify

    member_notify(ticket_pk=ticket_pk, event=event, base_url=base_url)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def announcement_fan_out(announcement_pk: int, base_url: str) -> None:
    """Choose the recipients, then send to them a batch per task."""
    from support.announcements.services import announcement_batches_queue

    announcement_batches_queue(announcement_id=announcement_pk, base_url=base_url)


# Run through the outbox: a mail server that is down (MailServerUnavailable) is waited
# for by the outbox's retries, from OUTBOX_RETRY_SECONDS up to OUTBOX_RETRY_MAX_SECONDS
# between tries. A batch whose worker died is run again, and sends only what is still
# pending (deliveries_send locks and re-checks each row).
@shared_task(acks_late=True, reject_on_worker_lost=True, sends_mail=True)
def announcement_batch_send(announcement_pk: int, first_id: int, last_id: int, base_url: str):
    from support.announcements.services import deliveries_send

    deliveries_send(
        announcement_id=announcement_pk, first_id=first_id, last_id=last_id, base_url=base_url
    )
