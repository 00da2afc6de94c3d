"""Refusals of the order workflow, each with a stable code (the API answers them with a
409, the admin and the pages show their message); messages as constants."""

from bestqm.workflow import WorkflowError
from orders.models import Order


class OrderWorkflowError(WorkflowError):
    """A move the order workflow does not allow, or a processor's refusal to make one."""


# (stable code, message) for each status an order could not enter.
REFUSALS = {
    Order.Status.PAID: ("order_not_payable", "This order cannot be paid: it is {status}."),
    Order.Status.PAYMENT_FAILED: (
        "order_not_payable",
        "This order cannot be paid: it is {status}.",
    ),
    Order.Status.FULFILLED: (
        "order_not_fulfillable",
        "Only a paid order can be fulfilled; this one is {status}.",
    ),
    Order.Status.CANCELLED: (
        "order_not_cancellable",
        "This order can no longer be cancelled: it is {status}.",
    ),
    Order.Status.REFUNDED: (
        "order_not_refundable",
        "Only a paid or fulfilled order can be refunded; this one is {status}.",
    ),
}
REFUND_REFUSED = "The payment service refused the refund; nothing was changed. Try again later."


def order_refusal(order: Order, status: str, action: str = "") -> OrderWorkflowError:
    code, message = REFUSALS[status]
    return OrderWorkflowError(message.format(status=order.get_status_display().lower()), code=code)
