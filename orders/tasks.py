"""Background work of the orders app (inline when no broker is configured)."""

from celery import shared_task
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from orders import services
from orders.models import Order
from privacy.services import Actor


@shared_task
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


@shared_task
def apply_order_retention() -> dict[str, int]:
    """Daily: anonymise orders past the accounting period, delete expired saved cards."""
    return {
        "orders_anonymised": services.orders_anonymise_expired(),
        "cards_deleted": services.stored_cards_purge_expired(),
    }
