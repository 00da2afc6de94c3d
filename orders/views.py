"""Browser pages of the orders app: the catalogue, checkout, the member's orders.

Pages that take card details are marked so that Django's error reports leave the card
fields out, and never send them back: the forms do not echo them (orders.forms).
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from bestqm.http.form_errors import add_service_errors
from orders import payments, services
from orders.cards import services as cards_services
from orders.errors import OrderWorkflowError
from orders.forms import CARD_FIELDS, CheckoutForm, PaymentForm
from orders.models import StoredCard
from orders.payment_gateway import PaymentOutcome, payment_processor
from orders.selectors import (
    charged_payment,
    last_failed_payment,
    membership_until,
    order_of,
    orders_of,
    product_for_sale,
    products_for_sale,
    stored_cards_of,
)
from privacy.audit.services import Actor

PAYMENT_MESSAGES = {
    PaymentOutcome.APPROVED: "Thank you: your payment was approved.",
    PaymentOutcome.DECLINED: (
        "Your card was declined by its issuer. Nothing was charged. "
        "You can pay with another card below."
    ),
    PaymentOutcome.INSUFFICIENT_FUNDS: (
        "Your card was declined for insufficient funds. Nothing was charged. "
        "You can pay with another card below."
    ),
    PaymentOutcome.PROCESSOR_ERROR: (
        "The payment service could not process your card just now. Nothing was charged. "
        "Please try again in a moment."
    ),
}
ALREADY_SUBMITTED = "You had already sent this checkout: here is the order it placed."
ORDER_CANCELLED = "Your order was cancelled. Nothing was charged."
CARD_REMOVED = "The saved card was removed. We no longer hold its number."


def _test_cards():
    """The sandbox's test cards, listed on the payment forms in DEBUG (development)."""
    if not settings.DEBUG:
        return ()
    return getattr(payment_processor(), "test_cards", ())


def _tell_outcome(request, payment, *, first: bool = True) -> None:
    if not first:
        messages.info(request, ALREADY_SUBMITTED)
        return
    level = messages.SUCCESS if payment.approved else messages.ERROR
    messages.add_message(request, level, PAYMENT_MESSAGES[payment.outcome])


def product_list(request):
    """The catalogue, open to visitors: buying needs an account."""
    return render(request, "orders/products.html", {"products": products_for_sale()})


def _checkout_page(request, product, form, status=200):
    return render(
        request,
        "orders/checkout.html",
        {"product": product, "form": form, "test_cards": _test_cards()},
        status=status,
    )


@sensitive_post_parameters(*CARD_FIELDS)
@never_cache
@login_required
def checkout(request, slug):
    product = product_for_sale(slug=slug)
    if product is None:
        raise Http404
    if request.method != "POST":
        return _checkout_page(request, product, CheckoutForm(member=request.user))
    form = CheckoutForm(request.POST, member=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            order, payment, first = payments.order_checkout(
                member=request.user,
                actor=Actor.from_request(request),
                product=product,
                checkout_key=data["attempt_key"],
                billing=form.billing(),
                card=data["card"],
                stored_card=data["stored_card"],
                keep_card=data.get("keep_card", False),
                domain=request.get_host(),
                use_https=request.is_secure(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except OrderWorkflowError as exc:
            messages.error(request, exc.message)
            return redirect("orders:list")
        else:
            _tell_outcome(request, payment, first=first)
            return redirect("orders:detail", order.pk)
    return _checkout_page(request, product, form, status=400)


@never_cache
@login_required
def order_list(request):
    orders = orders_of(member=request.user)
    return render(
        request,
        "orders/order_list.html",
        {
            "orders": [(order, charged_payment(order)) for order in orders],
            "stored_cards": stored_cards_of(member=request.user),
            "membership_until": membership_until(member=request.user),
        },
    )


def _own_order(request, pk):
    order = order_of(member=request.user, pk=pk)
    if order is None:
        raise Http404
    return order


def _detail_page(request, order, payment_form=None, status=200):
    if payment_form is None and order.can_pay():
        payment_form = PaymentForm(member=request.user)
    return render(
        request,
        "orders/order_detail.html",
        {
            "order": order,
            "charged": charged_payment(order),
            "failed": last_failed_payment(order),
            "payments": order.payments.all(),
            "licences": order.licences.all(),
            "payment_form": payment_form if order.can_pay() else None,
            "test_cards": _test_cards(),
            "retention_years": settings.ACCOUNTING_RETENTION_DAYS // 365,
        },
        status=status,
    )


@never_cache
@login_required
def order_detail(request, pk):
    return _detail_page(request, _own_order(request, pk))


@sensitive_post_parameters(*CARD_FIELDS)
@never_cache
@login_required
@require_POST
def order_pay(request, pk):
    """Pay an order again after a failed payment (or pay one still awaiting payment)."""
    order = _own_order(request, pk)
    form = PaymentForm(request.POST, member=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            payment = payments.order_pay(
                order=order,
                actor=Actor.from_request(request),
                attempt_key=data["attempt_key"],
                card=data["card"],
                stored_card=data["stored_card"],
                keep_card=data.get("keep_card", False),
                domain=request.get_host(),
                use_https=request.is_secure(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except OrderWorkflowError as exc:
            messages.error(request, exc.message)
            return redirect("orders:detail", order.pk)
        else:
            _tell_outcome(request, payment)
            return redirect("orders:detail", order.pk)
    return _detail_page(request, order, payment_form=form, status=400)


@never_cache
@login_required
@require_POST
def order_cancel(request, pk):
    order = _own_order(request, pk)
    try:
        services.order_cancel(order=order, actor=Actor.from_request(request))
    except OrderWorkflowError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, ORDER_CANCELLED)
    return redirect("orders:detail", order.pk)


@never_cache
@login_required
@require_POST
def stored_card_remove(request, pk):
    try:
        cards_services.stored_card_remove(
            member=request.user, actor=Actor.from_request(request), card_id=pk
        )
    except StoredCard.DoesNotExist as exc:
        raise Http404 from exc
    messages.success(request, CARD_REMOVED)
    return redirect("orders:list")
