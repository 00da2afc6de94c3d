"""Background work of the orders app (inline when no broker is configured)."""

from celery import shared_task
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from bestqm.jobs import single_run
from orders import retention, services
from orders.cards import services as cards_services
from orders.models import Order
from privacy.audit.services import Actor

# Under the broker's visibility timeout (settings: CELERY_BROKER_TRANSPORT_OPTIONS).
RETENTION_TIME_LIMIT = 50 * 60


@shared_task(acks_late=True, reject_on_worker_lost=True)
def fulfil_order(order_pk: int) -> None:
    """Deliver a paid order. Does nothing if it is no longer waiting to be delivered
    (fulfilled by another worker, refunded in the meantime)."""
    order = Order.objects.filter(pk=order_pk).first()
    if order is None or not order.can_fulfil():
        return
    try:
        services.order_fulfil(order=order, actor=Actor.system())
    except services.OrderWorkflowError:
        return  # another worker moved it first


@shared_task
def send_payment_failed(order_pk: int, domain: str, use_https: bool) -> None:
    """Tell the billing contact that an order could not be paid and how to retry. The
    task gets the order's key only; the address is read here, never queued."""
    order = Order.objects.filter(pk=order_pk).first()
    if order is None or order.status != Order.Status.PAYMENT_FAILED or not order.billing_email:
        return
    path = reverse("orders:detail", args=[order.pk])
    context = {
        "order": order,
        "order_url": f"{'https' if use_https else 'http'}://{domain}{path}",
    }
    send_mail(
        subject=f"We could not take payment for your BestQM order #{order.pk}",
        message=render_to_string("orders/email/payment_failed.txt", context),
        from_email=None,
        recipient_list=[order.billing_email],
    )


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=RETENTION_TIME_LIMIT,
    time_limit=RETENTION_TIME_LIMIT + 60,
)
def apply_order_retention() -> dict[str, int] | None:
    """Daily: anonymise orders past the accounting period, delete expired saved cards.
    Both look only for what is left, so a run cut short is finished by the next; a run
    that finds another one going returns None and leaves the work to it."""
    with single_run("orders-retention", timeout=RETENTION_TIME_LIMIT + 60) as mine:
        if not mine:
            return None
        return {
            "orders_anonymised": retention.orders_anonymise_expired(),
            "cards_deleted": cards_services.stored_cards_purge_expired(),
        }
