"""The outbox's two tasks. Thin: each imports its service inside its body."""

from celery import shared_task
from django.db import InterfaceError, OperationalError


# Acknowledged when done, and handed back when its worker dies: the row's claim makes a
# second delivery a takeover or a no-op, never a second run of work that finished.
# The database away while the row is claimed or its outcome written: the message is
# retried (same id, so the claim takes over), and the relay would resend it anyway.
@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=2,
    retry_backoff_max=30,
    max_retries=20,
)
def deliver(self, key: str) -> str:
    """Run the outbox row `key` once (see outbox.worker)."""
    from outbox.worker import message_run

    return message_run(key=key, delivery_id=self.request.id or "")


@shared_task(ignore_result=True)
def relay() -> dict:
    """Scheduled (OUTBOX_RELAY_SECONDS): hand due rows to the broker."""
    from outbox.relay import relay_run

    return relay_run()
