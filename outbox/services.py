"""Writing outbox rows and handing them to the broker.

`message_enqueue` writes the row in the caller's transaction, so the job exists exactly
when the change that caused it does, and asks for it to be handed over once that
commits. `message_publish` marks a row sent *before* it gives it to the broker (a worker
that takes it at once must find it so) and, when the broker refuses it, puts it back
for the relay with a backoff: a broker that is away never undoes the committed change
nor fails the request. Without a broker (CELERY_TASK_ALWAYS_EAGER) the handover runs
the job inline, right after the commit, as the embedded default always has.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from functools import partial
from uuid import uuid4

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from outbox.models import OutboxMessage

logger = logging.getLogger(__name__)
Status = OutboxMessage.Status


def retry_delay(attempt: int) -> timedelta:
    """Backoff after the `attempt`-th failure: OUTBOX_RETRY_SECONDS doubled each time, up
    to OUTBOX_RETRY_MAX_SECONDS."""
    base = settings.OUTBOX_RETRY_SECONDS
    return timedelta(
        seconds=min(base * 2 ** max(attempt - 1, 0), settings.OUTBOX_RETRY_MAX_SECONDS)
    )


def runs_inline() -> bool:
    """Whether tasks run in this process (no broker: CELERY_TASK_ALWAYS_EAGER)."""
    from bestqm.celery import app

    return bool(app.conf.task_always_eager)


def message_enqueue(*, task, args=()) -> OutboxMessage:
    """One row for `task(*args)`; the arguments must be JSON (keys, not objects)."""
    message = OutboxMessage.objects.create(
        task=task.name,
        args=list(args),
        kind=OutboxMessage.Kind.MAIL
        if getattr(task, "sends_mail", False)
        else OutboxMessage.Kind.JOB,
        available_at=timezone.now(),
    )
    transaction.on_commit(lambda: message_publish(message=message), robust=True)
    return message


def messages_enqueue(*, task, args_list) -> list[OutboxMessage]:
    """One row per argument tuple for the same task, written in one INSERT (a notice to
    every member a legal request touched costs one query, not one per member)."""
    kind = OutboxMessage.Kind.MAIL if getattr(task, "sends_mail", False) else OutboxMessage.Kind.JOB
    now = timezone.now()
    messages = OutboxMessage.objects.bulk_create(
        [
            OutboxMessage(task=task.name, args=list(args), kind=kind, available_at=now)
            for args in args_list
        ]
    )
    for message in messages:
        transaction.on_commit(partial(message_publish, message=message), robust=True)
    return messages


def _time_limits(task_name: str) -> dict:
    from bestqm.celery import app

    task = app.tasks.get(task_name)
    limits = {}
    for option in ("soft_time_limit", "time_limit"):
        value = getattr(task, option, None)
        if value:
            limits[option] = value
    return limits


def message_publish(*, message: OutboxMessage) -> bool:
    """Hand one row to the broker; returns whether the broker took it. A row another
    handover or a worker has moved on since it was read is left alone."""
    from outbox.tasks import deliver

    delivery_id = uuid4().hex
    now = timezone.now()
    taken = OutboxMessage.objects.filter(
        pk=message.pk, status=message.status, delivery_id=message.delivery_id
    ).update(
        status=Status.SENT,
        sent_at=now,
        delivery_id=delivery_id,
        handovers=F("handovers") + 1,
    )
    if not taken:
        return False
    try:
        # `shadow` names the job in the worker's log; `retry=False`: a broker that is
        # away is the relay's to wait for, not this request's.
        deliver.apply_async(
            (str(message.key),),
            task_id=delivery_id,
            shadow=message.task,
            retry=False,
            **_time_limits(message.task),
        )
    except Exception as exc:
        if runs_inline():
            raise  # inline, this is the job's own failure, not a broker's
        failures = OutboxMessage.objects.get(pk=message.pk).handovers
        OutboxMessage.objects.filter(
            pk=message.pk, status=Status.SENT, delivery_id=delivery_id
        ).update(
            status=Status.PENDING,
            available_at=now + retry_delay(failures),
            last_error=f"broker unavailable ({type(exc).__name__})"[:200],
        )
        logger.warning(
            "The broker did not take outbox message %s (%s); the relay will hand it over.",
            message.key,
            type(exc).__name__,
        )
        return False
    message.status, message.delivery_id = Status.SENT, delivery_id
    return True
