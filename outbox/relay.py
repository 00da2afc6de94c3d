"""The relay: hands every row that is due to the broker, the rows the broker lost back
again, and forgets finished rows after OUTBOX_KEEP_DAYS. Run by Celery beat
(`outbox.tasks.relay`) every OUTBOX_RELAY_SECONDS and by `manage.py relay_outbox` from
cron. Safe to run at any time and twice at once: each handover is a conditional update.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from outbox.models import OutboxMessage
from outbox.services import message_publish, runs_inline

logger = logging.getLogger(__name__)
Status = OutboxMessage.Status


def due_messages(*, now=None):
    """Pending rows whose time has come; rows handed over OUTBOX_RESEND_SECONDS ago that
    no worker has started (the broker lost them: a Redis restarted empty); and rows
    running past their lease (their worker died and the broker did not give them back)."""
    now = now or timezone.now()
    return OutboxMessage.objects.filter(
        Q(status=Status.PENDING, available_at__lte=now)
        | Q(
            status=Status.SENT, sent_at__lte=now - timedelta(seconds=settings.OUTBOX_RESEND_SECONDS)
        )
        | Q(status=Status.RUNNING, lease_until__lte=now)
    ).order_by("id")


def relay_run(*, limit: int | None = None) -> dict[str, int]:
    """Hand over what is due, oldest first; stops at the first refusal (the broker is
    away: the rest would be refused too). Returns counts."""
    limit = limit or settings.OUTBOX_RELAY_BATCH
    handed = waiting = 0
    for message in due_messages()[:limit]:
        if message_publish(message=message):
            handed += 1
        elif not runs_inline():
            waiting = due_messages().count()
            break
    return {"handed_over": handed, "waiting": waiting, "forgotten": messages_forget()}


def messages_forget(*, now=None) -> int:
    """Delete finished rows older than OUTBOX_KEEP_DAYS (the record staff read)."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.OUTBOX_KEEP_DAYS)
    deleted, _ = OutboxMessage.objects.filter(
        status__in=OutboxMessage.FINISHED, finished_at__lt=cutoff
    ).delete()
    return deleted
