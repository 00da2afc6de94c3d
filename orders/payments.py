"""Charging an order: a new card or a saved one is checked, handed to the processor and
dropped, and the answer recorded. Card numbers and security codes live only in a
`CardDetails` for the length of one request; the functions that hold them are marked
sensitive so that Django's error reports leave their values out."""

import uuid
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from orders import tasks
from orders.cards.numbers import (
    expiry_passed,
    expiry_too_far,
    luhn_valid,
    security_code_length,
    security_code_valid,
)
from orders.cards.services import card_keep
from orders.cards.vault import (
    CardNumberUnreadable,
    decrypt_card_number,
    vault_configured,
)
from orders.errors import order_refusal
from orders.models import (
    Order,
    OrderEvent,
    Payment,
    Product,
    StoredCard,
)
from orders.payment_gateway import CardDetails, PaymentOutcome, payment_processor
from orders.services import ORDERS, order_place
from privacy.audit.services import Actor

# Field errors (the checkout form shows them beside the field of the same name).
CARD_NUMBER_INVALID = "This card number is not valid: check the digits."
CARD_EXPIRED = "This card has expired."
CARD_EXPIRY_INVALID = "Check the expiry date on the card."
SECURITY_CODE_INVALID = (
    "Enter the {length}-digit security code printed on the card "
    "(3 digits on the back; 4 on the front for American Express)."
)
STORED_CARD_UNKNOWN = "Choose one of your saved cards."
STORED_CARD_EXPIRED = "This saved card has expired; enter a new card."
STORED_CARD_UNREADABLE = "We can no longer use this saved card; enter the card again."


@sensitive_variables("card")
def card_problems(card: CardDetails, *, on_file: bool, today: date) -> dict[str, str]:
    """What is wrong with a card before any processor sees it, by checkout field name:
    the number's check digit, the expiry, the security code (not asked for a saved card)."""
    errors = {}
    if not luhn_valid(card.number):
        errors["card_number"] = CARD_NUMBER_INVALID
    if not 1 <= card.exp_month <= 12 or expiry_too_far(card.exp_year, today):
        errors["card_expiry"] = CARD_EXPIRY_INVALID
    elif expiry_passed(card.exp_month, card.exp_year, today):
        errors["card_expiry"] = CARD_EXPIRED
    if not on_file and not security_code_valid(card.security_code or "", card.brand):
        errors["card_security_code"] = SECURITY_CODE_INVALID.format(
            length=security_code_length(card.brand)
        )
    return errors


@sensitive_variables("number")
def _card_on_file(stored: StoredCard, *, member, today: date) -> CardDetails:
    if stored.member_id is None or stored.member_id != getattr(member, "pk", None):
        raise ValidationError({"pay_with": STORED_CARD_UNKNOWN})
    if expiry_passed(stored.exp_month, stored.exp_year, today):
        raise ValidationError({"pay_with": STORED_CARD_EXPIRED})
    try:
        number = decrypt_card_number(stored.encrypted_number)
    except CardNumberUnreadable as exc:
        raise ValidationError({"pay_with": STORED_CARD_UNREADABLE}) from exc
    return CardDetails(number=number, exp_month=stored.exp_month, exp_year=stored.exp_year)


@sensitive_variables("card")
def order_pay(
    *,
    order: Order,
    actor: Actor,
    attempt_key: uuid.UUID,
    card: CardDetails | None = None,
    stored_card: StoredCard | None = None,
    keep_card: bool = False,
    domain: str,
    use_https: bool,
) -> Payment:
    """Charge the order with a new card or a saved one, and record the answer.

    Approved: the order is paid, and fulfilled on commit. Declined or a processor error:
    the order is marked so, the member can retry, and the billing contact is e-mailed on
    commit. The same `attempt_key` again (a double-click) returns the first attempt's
    payment without asking the processor a second time."""
    card, on_file = _card_to_charge(card, stored_card, member=order.member)
    return _charge(
        order=order,
        actor=actor,
        attempt_key=attempt_key,
        card=card,
        keep_card=keep_card and not on_file,
        domain=domain,
        use_https=use_https,
    )


@sensitive_variables("card")
def order_checkout(
    *,
    member,
    actor: Actor,
    product: Product,
    checkout_key: uuid.UUID,
    billing: dict[str, Any],
    card: CardDetails | None = None,
    stored_card: StoredCard | None = None,
    keep_card: bool = False,
    domain: str,
    use_https: bool,
) -> tuple[Order, Payment, bool]:
    """Place the order and charge it: (order, payment, first submission). Bad billing
    details or a bad card are refused before anything is written. The same checkout
    submitted again places and charges nothing: it returns what the first one did."""
    card, on_file = _card_to_charge(card, stored_card, member=member)
    order, created = order_place(
        member=member, actor=actor, product=product, checkout_key=checkout_key, billing=billing
    )
    if not created:
        first = order.payments.filter(idempotency_key=checkout_key).first()
        if first is not None:
            return order, first, False
    payment = _charge(
        order=order,
        actor=actor,
        attempt_key=checkout_key,
        card=card,
        keep_card=keep_card and not on_file,
        domain=domain,
        use_https=use_https,
    )
    return order, payment, created


@sensitive_variables("card", "stored_card")
def _card_to_charge(
    card: CardDetails | None, stored_card: StoredCard | None, *, member
) -> tuple[CardDetails, bool]:
    """The card to charge, checked: (card, whether it is a saved card)."""
    if (card is None) == (stored_card is None):
        raise TypeError("Pay with either a new card or a saved one.")
    today = timezone.localdate()
    if stored_card is not None:
        card = _card_on_file(stored_card, member=member, today=today)
    problems = card_problems(card, on_file=stored_card is not None, today=today)
    if problems:
        raise ValidationError(problems)
    return card, stored_card is not None


@sensitive_variables("card")
def _charge(
    *,
    order: Order,
    actor: Actor,
    attempt_key: uuid.UUID,
    card: CardDetails,
    keep_card: bool,
    domain: str,
    use_https: bool,
) -> Payment:
    # The order stays locked during the processor's call: a double-click waits for the
    # first request and then finds its payment. The processor gets the same key, so a
    # crash between its answer and our commit does not charge twice either.
    processor = payment_processor()
    with transaction.atomic():
        locked = ORDERS.locked(order)
        earlier = locked.payments.filter(
            kind=Payment.Kind.CHARGE, idempotency_key=attempt_key
        ).first()
        if earlier is not None:
            return earlier
        if not locked.can_pay():
            raise order_refusal(locked, Order.Status.PAID)
        answer = processor.authorise(
            card=card,
            amount=locked.amount,
            currency=locked.currency,
            idempotency_key=str(attempt_key),
        )
        payment = Payment.objects.create(
            order=locked,
            kind=Payment.Kind.CHARGE,
            outcome=answer.outcome,
            amount=locked.amount,
            idempotency_key=attempt_key,
            processor=processor.name,
            reference=answer.reference,
            card_token=answer.card_token,
            card_brand=card.brand,
            card_last4=card.last4,
            card_exp_month=card.exp_month,
            card_exp_year=card.exp_year,
        )
        if answer.outcome == PaymentOutcome.APPROVED:
            ORDERS.move(
                locked,
                Order.Status.PAID,
                actor=actor,
                event=OrderEvent.PAID,
                jobs=[(tasks.fulfil_order, locked.pk)],
            )
            if keep_card and locked.member is not None and vault_configured():
                card_keep(member=locked.member, actor=actor, card=card, token=answer.card_token)
        else:
            ORDERS.move(
                locked,
                Order.Status.PAYMENT_FAILED,
                actor=actor,
                event=OrderEvent.PAYMENT_FAILED,
                jobs=[(tasks.send_payment_failed, locked.pk, domain, use_https)],
            )
    return payment


def payment_failed_tell(*, order_pk: int, domain: str, use_https: bool) -> None:
    """Tell the billing contact that an order could not be paid and how to retry (a
    background task: it gets the order's key only, and reads the address here)."""
    order = Order.objects.select_related("member").filter(pk=order_pk).first()
    if order is None or order.status != Order.Status.PAYMENT_FAILED or not order.billing_email:
        return
    if order.member.email_verified_at is None:
        return  # an unconfirmed account gets no mail; the order's page says what failed
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
