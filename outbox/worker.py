"""Running an outbox row in a worker, once.

The broker message carries only the row's key. The worker claims the row in a short
transaction (the row lock makes two deliveries of one message take turns), runs the job,
and records the outcome:

- a row already done, failed or refused is a replay: refused and counted, never run;
- a row another live delivery is running (its lease not over) is left to it;
- a row whose previous run was lost (the same broker message delivered again after its
  worker died, acks late; or its lease over) is run again;
- a row run again after an earlier try (failed, or lost) tells the job so through
  `resumes_lost_attempt()`, so one that guards against a running twin takes over at
  once (the earlier try may have died with the database, leaving its work in progress);
- a row naming no task, or arguments the task does not take, is refused for good;
- a job that raises is tried again by the relay after a backoff, at most
  OUTBOX_MAX_ATTEMPTS times in all; after the last the row says failed.
"""

from __future__ import annotations

import inspect
import logging
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from outbox.models import OutboxMessage, OutboxRefusal
from outbox.services import retry_delay

logger = logging.getLogger(__name__)
Status = OutboxMessage.Status


@dataclass(frozen=True)
class Delivery:
    key: UUID
    attempt: int
    resumes_lost_attempt: bool


_current: ContextVar[Delivery | None] = ContextVar("outbox_delivery", default=None)


def current_delivery() -> Delivery | None:
    """The outbox row running in this worker now, if any."""
    return _current.get()


def resumes_lost_attempt() -> bool:
    """Whether the job running now follows an earlier try of the same row that did not
    finish (it failed or its worker died), so what that try left in progress is no one's
    any more. Never true while another delivery holds the row."""
    delivery = _current.get()
    return delivery is not None and delivery.resumes_lost_attempt


def _refuse_unknown(key: str, reason: str) -> str:
    OutboxRefusal.objects.create(key=str(key)[:64], reason=reason)
    logger.warning("Refused a broker message for outbox row %.64s: %s", key, reason)
    return "refused"


def _malformed(message: OutboxMessage):
    """Why the row cannot be run, or None."""
    from bestqm.celery import app

    task = app.tasks.get(message.task)
    if task is None:
        return None, "names no known task"
    if not isinstance(message.args, list):
        return None, "its arguments are not a list"
    try:
        inspect.signature(task.run).bind(*message.args)
    except TypeError:
        return None, "its arguments do not fit the task"
    return task, ""


def _claim(key: UUID, delivery_id: str):
    now = timezone.now()
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().filter(key=key).first()
        if message is None:
            return None, _refuse_unknown(str(key), "no such outbox row"), False
        if message.status in OutboxMessage.FINISHED:
            message.replays += 1
            message.save(update_fields=["replays"])
            logger.info("Outbox message %s was delivered again; it already ran.", key)
            return None, "replayed", False
        if (
            message.status == Status.RUNNING
            and message.delivery_id != delivery_id
            and message.lease_until > now
        ):
            return None, "busy", False  # another delivery is running it
        # Any earlier try is over (it failed, or its worker died): what it left in
        # progress is no one's now.
        lost = message.attempts > 0
        task, reason = _malformed(message)
        if task is None:
            message.status, message.finished_at = Status.REFUSED, now
            message.last_error = reason
            message.save(update_fields=["status", "finished_at", "last_error"])
            logger.warning("Refused outbox message %s: %s", key, reason)
            return None, "refused", False
        if message.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
            # Every try so far died with its worker: a job that kills workers stops here.
            message.status, message.finished_at = Status.FAILED, now
            message.last_error = (message.last_error or "its worker was lost")[:200]
            message.save(update_fields=["status", "finished_at", "last_error"])
            return None, "failed", False
        message.status = Status.RUNNING
        message.attempts += 1
        message.started_at = now
        message.lease_until = now + timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)
        message.delivery_id = delivery_id
        message.save(
            update_fields=["status", "attempts", "started_at", "lease_until", "delivery_id"]
        )
    return (message, task), "", lost


def message_run(*, key: str, delivery_id: str) -> str:
    """Run the row once; returns what happened: done, retry, failed, refused, replayed,
    busy. Never raises for the job's own failure: the outcome is on the row."""
    try:
        parsed = UUID(str(key))
    except (ValueError, TypeError, AttributeError):
        return _refuse_unknown(str(key), "not an outbox key")
    claimed, outcome, lost = _claim(parsed, delivery_id)
    if claimed is None:
        return outcome
    message, task = claimed
    token = _current.set(Delivery(parsed, message.attempts, lost))
    try:
        task(*message.args)
    except Exception as exc:
        return _failed(message, delivery_id, exc)
    finally:
        _current.reset(token)
    # A done row is never run again (a later delivery is a replay), so it keeps no
    # arguments: the last notice of an erasure carries the erased member's address.
    OutboxMessage.objects.filter(pk=message.pk, delivery_id=delivery_id).update(
        status=Status.DONE, finished_at=timezone.now(), last_error="", args=[]
    )
    return "done"


def _failed(message: OutboxMessage, delivery_id: str, exc: Exception) -> str:
    now = timezone.now()
    # The exception's class, never its text: that may quote an address.
    error = f"{type(exc).__name__} on try {message.attempts}"
    final = message.attempts >= settings.OUTBOX_MAX_ATTEMPTS
    values = {"last_error": error[:200]}
    if final:
        values.update(status=Status.FAILED, finished_at=now)
    else:
        values.update(status=Status.PENDING, available_at=now + retry_delay(message.attempts))
    OutboxMessage.objects.filter(pk=message.pk, delivery_id=delivery_id).update(**values)
    log = logger.error if final else logger.warning
    log(
        "Outbox message %s (%s) failed: %s%s",
        message.key,
        message.task,
        error,
        "; no tries left" if final else "; it will be tried again",
        exc_info=final,
    )
    return "failed" if final else "retry"
