"""Writes of the order workflow: place, fulfil, cancel, refund, correct, log a call.

Each service owns its transaction. Workflow services lock the order (select_for_update),
check the model's transition table, set the status's timestamp and record the audit event
in the same transaction; e-mail and fulfilment run on commit. An invalid move raises
`OrderWorkflowError` with a stable code, bad input a django ValidationError naming the
field, and either leaves the database as it was.

Charging a card is orders.payments; saved cards orders.cards.services; licences
orders.licences.services; the end of the accounting period orders.retention.
"""

import uuid
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from bestqm.workflow import Workflow
from orders.cards.numbers import (
    contains_card_number,
)
from orders.errors import REFUND_REFUSED, OrderWorkflowError, order_refusal
from orders.licences.services import licence_issue, licence_revoke
from orders.models import (
    Order,
    OrderEvent,
    Payment,
    PhoneContact,
    Product,
)
from orders.payment_gateway import PaymentOutcome, payment_processor
from privacy.audit.services import Actor, audit_record
from privacy.registry import Category, registry
from privacy.roles import Role, roles_of

PRODUCT_NOT_FOR_SALE = "This product is no longer for sale."
UNKNOWN_FIELDS = "These fields cannot be changed here: {names}."
ORDER_ANONYMISED = "This order was anonymised at the end of its accounting period."
NOTE_HAS_CARD_NUMBER = "Never write card details in a note."
OUTCOME_UNKNOWN = "Choose what came of the call."

BILLING_ROLE_REQUIRED = "Only a billing agent may do this."

# Refund keys are derived from the charge's key, so a retried refund is the same refund.
_REFUND_KEYS = uuid.UUID("7f0c7d59-5b0e-4f7a-9d0e-6a1b2c3d4e5f")


def _require_billing_role(actor: Actor) -> None:
    if Role.BILLING_AGENT not in roles_of(actor.user):
        raise PermissionDenied(BILLING_ROLE_REQUIRED)


# Only the order row is locked: checkouts of the same product must not wait for each other.
ORDERS = Workflow(Order, category=Category.FINANCIAL, refusal=order_refusal, related=("product",))


# --- Billing contact ------------------------------------------------------------------------


def billing_field_names() -> list[str]:
    """The billing contact, as the registry declares it (the member sees it)."""
    return registry.member_fields(Order, topic="billing", editable=False)


def _clean_billing(data: dict[str, Any], *, partial: bool) -> dict[str, str]:
    names = billing_field_names()
    unknown = sorted(set(data) - set(names))
    if unknown:
        raise ValidationError({n: UNKNOWN_FIELDS.format(names=n) for n in unknown})
    errors, cleaned = {}, {}
    for name in names:
        if partial and name not in data:
            continue
        value = data.get(name, "")
        value = value.strip() if isinstance(value, str) else value
        try:
            ProhibitNullCharactersValidator()(value)
            cleaned[name] = Order._meta.get_field(name).clean(value, None)
        except ValidationError as exc:
            errors[name] = exc.messages
    if errors:
        raise ValidationError(errors)
    if "billing_email" in cleaned:
        local, _, domain = cleaned["billing_email"].rpartition("@")
        cleaned["billing_email"] = f"{local}@{domain.lower()}"
    return cleaned


def order_place(
    *, member, actor: Actor, product: Product, checkout_key: uuid.UUID, billing: dict[str, Any]
) -> tuple[Order, bool]:
    """Place an order awaiting payment; (order, created). The checkout page's key makes
    this idempotent: the same checkout submitted again returns the order it placed."""
    if not product.is_active:
        raise ValidationError({"product": PRODUCT_NOT_FOR_SALE})
    billing = _clean_billing(billing, partial=False)
    existing = Order.objects.filter(member=member, checkout_key=checkout_key).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            order = Order.objects.create(
                member=member,
                product=product,
                product_name=product.name,
                amount=product.price,
                currency=product.currency,
                checkout_key=checkout_key,
                **billing,
            )
            audit_record(
                actor=actor,
                event_type=OrderEvent.PLACED,
                category=Category.FINANCIAL,
                subject=member,
                obj=order,
                fields=list(billing),
            )
    except IntegrityError:
        # The same checkout submitted twice at once: the other request placed it.
        return Order.objects.get(member=member, checkout_key=checkout_key), False
    return order, True


# --- Fulfilment, cancellation, refund ----------------------------------------------------


def membership_start(*, member, now: datetime) -> datetime:
    """A new membership period starts when the member's current one ends, or now."""
    current = (
        Order.objects.filter(member=member, status=Order.Status.FULFILLED)
        .exclude(membership_until=None)
        .aggregate(until=Max("membership_until"))["until"]
    )
    return max(now, current) if current else now


def order_fulfil(*, order: Order, actor: Actor) -> Order:
    """Deliver what was paid for: a licence serial, or a membership period."""
    with transaction.atomic():
        locked = ORDERS.locked(order)
        if not locked.can_fulfil():
            raise order_refusal(locked, Order.Status.FULFILLED)
        delivered = {}
        if locked.product.kind == Product.Kind.LICENCE:
            licence_issue(member=locked.member, actor=actor, order=locked)
        elif locked.product.kind == Product.Kind.MEMBERSHIP:
            start = membership_start(member=locked.member, now=timezone.now())
            delivered["membership_until"] = start + timedelta(days=locked.product.membership_days)
        ORDERS.move(
            locked, Order.Status.FULFILLED, actor=actor, event=OrderEvent.FULFILLED, **delivered
        )
    return locked


def order_fulfil_if_paid(*, order_pk: int) -> Order | None:
    """Deliver a paid order (a background task, after payment). Does nothing if it is no
    longer waiting to be delivered: fulfilled by another worker, refunded meanwhile."""
    order = Order.objects.filter(pk=order_pk).first()
    if order is None or not order.can_fulfil():
        return None
    try:
        return order_fulfil(order=order, actor=Actor.system())
    except OrderWorkflowError:
        return None  # another worker moved it first


def order_cancel(*, order: Order, actor: Actor) -> Order:
    """Cancel an order that has not been paid."""
    with transaction.atomic():
        locked = ORDERS.locked(order)
        ORDERS.move(locked, Order.Status.CANCELLED, actor=actor, event=OrderEvent.CANCELLED)
    return locked


def order_refund(*, order: Order, actor: Actor) -> Order:
    """Refund a paid order in full (billing agents only) and revoke what it delivered."""
    _require_billing_role(actor)
    processor = payment_processor()
    with transaction.atomic():
        locked = ORDERS.locked(order)
        if not locked.can_refund():
            raise order_refusal(locked, Order.Status.REFUNDED)
        charge = locked.payments.filter(
            kind=Payment.Kind.CHARGE, outcome=PaymentOutcome.APPROVED
        ).latest()
        key = uuid.uuid5(_REFUND_KEYS, str(charge.idempotency_key))
        answer = processor.refund(
            charge_reference=charge.reference,
            amount=charge.amount,
            currency=locked.currency,
            idempotency_key=str(key),
        )
        if not answer.succeeded:
            raise OrderWorkflowError(REFUND_REFUSED, code="refund_refused")
        Payment.objects.create(
            order=locked,
            kind=Payment.Kind.REFUND,
            outcome=PaymentOutcome.APPROVED,
            amount=charge.amount,
            idempotency_key=key,
            processor=processor.name,
            reference=answer.reference,
        )
        for licence in locked.licences.filter(revoked_at=None):
            licence_revoke(licence=licence, actor=actor)
        ORDERS.move(locked, Order.Status.REFUNDED, actor=actor, event=OrderEvent.REFUNDED)
    return locked


# --- Corrections and staff notes -----------------------------------------------------------


def order_correct(*, obj: Order, actor: Actor, changes: dict) -> Order:
    """Write an approved correction of an order's billing contact (the registry's
    `corrected_by`). Bad values raise ValidationError naming the field; nothing is
    written then."""
    cleaned = _clean_billing(changes, partial=True)
    with transaction.atomic():
        locked = ORDERS.locked(obj)
        if locked.anonymised_at is not None:
            raise ValidationError(ORDER_ANONYMISED)
        changed = sorted(name for name, value in cleaned.items() if getattr(locked, name) != value)
        if not changed:
            return locked
        for name in changed:
            setattr(locked, name, cleaned[name])
        locked.save(update_fields=changed)
        audit_record(
            actor=actor,
            event_type=OrderEvent.CORRECTED,
            category=Category.FINANCIAL,
            subject=locked.member,
            obj=locked,
            fields=changed,
        )
    return locked


def phone_contact_log(*, order: Order, actor: Actor, outcome: str, note: str = "") -> PhoneContact:
    """A billing agent records a call to the member about an order."""
    _require_billing_role(actor)
    note = note.strip()
    errors = {}
    if outcome not in PhoneContact.Outcome.values:
        errors["outcome"] = OUTCOME_UNKNOWN
    try:
        ProhibitNullCharactersValidator()(note)
        PhoneContact._meta.get_field("note").clean(note, None)
    except ValidationError as exc:
        errors["note"] = exc.messages
    if "note" not in errors and contains_card_number(note):
        errors["note"] = NOTE_HAS_CARD_NUMBER
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        contact = PhoneContact.objects.create(
            order=order, staff=actor.user, outcome=outcome, note=note
        )
        audit_record(
            actor=actor,
            event_type=OrderEvent.PHONE_CONTACT_LOGGED,
            category=Category.FINANCIAL,
            subject=order.member,
            obj=contact,
            fields=["outcome", "note"] if note else ["outcome"],
        )
    return contact
