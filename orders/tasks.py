"""Background work of the orders app (inline when no broker is configured). Tasks are
thin: each imports its service inside its body and calls it with keys, never addresses."""

from celery import shared_task

from bestqm.jobs import scheduled_job

# Under the broker's visibility timeout (settings: CELERY_BROKER_TRANSPORT_OPTIONS).
RETENTION_TIME_LIMIT = 50 * 60


@shared_task(acks_late=True, reject_on_worker_lost=True)
def fulfil_order(order_pk: int) -> None:
    """Deliver a paid order, once (see order_fulfil_if_paid)."""
    from orders.services import order_fulfil_if_paid

    order_fulfil_if_paid(order_pk=order_pk)


@shared_task(sends_mail=True)
def send_payment_failed(order_pk: int, domain: str, use_https: bool) -> None:
    from orders.payments import payment_failed_tell

    payment_failed_tell(order_pk=order_pk, domain=domain, use_https=use_https)


@scheduled_job(lock="orders-retention", time_limit=RETENTION_TIME_LIMIT)
def apply_order_retention() -> dict[str, int]:
    """Daily: anonymise orders past the accounting period, delete expired saved cards."""
    from orders.cards.services import stored_cards_purge_expired
    from orders.retention import orders_anonymise_expired

    return {
        "orders_anonymised": orders_anonymise_expired(),
        "cards_deleted": stored_cards_purge_expired(),
    }
