"""Writes of the orders app.

Each service owns its transaction. Workflow services lock the order (select_for_update),
check the model's transition table, set the status's timestamp and record the audit event
in the same transaction; e-mail and fulfilment run on commit. An invalid move raises
`OrderWorkflowError` with a stable code, bad input a django ValidationError naming the
field, and either leaves the database as it was.

Card numbers and security codes live only in a `CardDetails` for the length of one
request: they are checked, handed to the processor, and dropped; the functions that hold
them are marked sensitive so that Django's error reports leave their values out.
"""

import uuid
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from orders.cards.numbers import (
    contains_card_number,
    expiry_passed,
    expiry_too_far,
    luhn_valid,
    security_code_length,
    security_code_valid,
)
from orders.cards.vault import (
    CardNumberUnreadable,
    decrypt_card_number,
    encrypt_card_number,
    encrypted_under_current_key,
    reencrypt_under_current_key,
    vault_configured,
)
from orders.licences.serials import serial_generate
from orders.models import (
    CardEvent,
    Licence,
    LicenceEvent,
    Order,
    OrderEvent,
    Payment,
    PhoneContact,
    Product,
    StoredCard,
)
from orders.payment_gateway import CardDetails, PaymentOutcome, payment_processor
from privacy.audit.services import Actor, audit_record
from privacy.holds.selectors import held_member_ids
from privacy.registry import Category, registry
from privacy.roles import Role, roles_of

_SERIAL_ATTEMPTS = 5

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
PRODUCT_NOT_FOR_SALE = "This product is no longer for sale."
UNKNOWN_FIELDS = "These fields cannot be changed here: {names}."
ORDER_ANONYMISED = "This order was anonymised at the end of its accounting period."
NOTE_HAS_CARD_NUMBER = "Never write card details in a note."
OUTCOME_UNKNOWN = "Choose what came of the call."

# Workflow refusals: (stable code, message) for each status an order could not enter.
_REFUSALS = {
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
BILLING_ROLE_REQUIRED = "Only a billing agent may do this."

# Refund keys are derived from the charge's key, so a retried refund is the same refund.
_REFUND_KEYS = uuid.UUID("7f0c7d59-5b0e-4f7a-9d0e-6a1b2c3d4e5f")


class OrderWorkflowError(Exception):
    """A move the order workflow does not allow, or a processor's refusal to make one.
    `code` is stable and meant for programs (the API answers it with a 409)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def _refusal(order: Order, status: str) -> OrderWorkflowError:
    code, message = _REFUSALS[status]
    return OrderWorkflowError(code, message.format(status=order.get_status_display().lower()))


def _require_billing_role(actor: Actor) -> None:
    if Role.BILLING_AGENT not in roles_of(actor.user):
        raise PermissionDenied(BILLING_ROLE_REQUIRED)


def _move(order: Order, status: str, *, actor: Actor, event: str, also: tuple = ()) -> None:
    """Move a locked order to `status`, stamp it and record the event."""
    if not order.can_move_to(status):
        raise _refusal(order, status)
    now = timezone.now()
    order.status = status
    order.status_changed_at = now
    changed = ["status", "status_changed_at", *also]
    stamp = Order.STATUS_TIMESTAMPS.get(status)
    if stamp:
        setattr(order, stamp, now)
        changed.append(stamp)
    order.save(update_fields=changed)
    audit_record(
        actor=actor,
        event_type=event,
        category=Category.FINANCIAL,
        subject=order.member,
        obj=order,
        fields=[name for name in changed if name != "status_changed_at"],
    )


def _locked(order: Order) -> Order:
    # Only the order row: checkouts of the same product must not wait for each other.
    return Order.objects.select_for_update(of=("self",)).select_related("product").get(pk=order.pk)


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


# --- Checkout and payment -------------------------------------------------------------------


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
        locked = _locked(order)
        earlier = locked.payments.filter(
            kind=Payment.Kind.CHARGE, idempotency_key=attempt_key
        ).first()
        if earlier is not None:
            return earlier
        if not locked.can_pay():
            raise _refusal(locked, Order.Status.PAID)
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
            _move(locked, Order.Status.PAID, actor=actor, event=OrderEvent.PAID)
            if keep_card and locked.member is not None and vault_configured():
                _card_keep(member=locked.member, actor=actor, card=card, token=answer.card_token)
            transaction.on_commit(lambda: _fulfil_later(locked.pk))
        else:
            _move(locked, Order.Status.PAYMENT_FAILED, actor=actor, event=OrderEvent.PAYMENT_FAILED)
            transaction.on_commit(lambda: _tell_billing_contact(locked.pk, domain, use_https))
    return payment


def _fulfil_later(order_pk: int) -> None:
    from orders.tasks import fulfil_order

    fulfil_order.delay(order_pk)


def _tell_billing_contact(order_pk: int, domain: str, use_https: bool) -> None:
    from orders.tasks import send_payment_failed

    send_payment_failed.delay(order_pk, domain, use_https)


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
        locked = _locked(order)
        if not locked.can_fulfil():
            raise _refusal(locked, Order.Status.FULFILLED)
        also = ()
        if locked.product.kind == Product.Kind.LICENCE:
            licence_issue(member=locked.member, actor=actor, order=locked)
        elif locked.product.kind == Product.Kind.MEMBERSHIP:
            start = membership_start(member=locked.member, now=timezone.now())
            locked.membership_until = start + timedelta(days=locked.product.membership_days)
            also = ("membership_until",)
        _move(locked, Order.Status.FULFILLED, actor=actor, event=OrderEvent.FULFILLED, also=also)
    return locked


def order_cancel(*, order: Order, actor: Actor) -> Order:
    """Cancel an order that has not been paid."""
    with transaction.atomic():
        locked = _locked(order)
        _move(locked, Order.Status.CANCELLED, actor=actor, event=OrderEvent.CANCELLED)
    return locked


def order_refund(*, order: Order, actor: Actor) -> Order:
    """Refund a paid order in full (billing agents only) and revoke what it delivered."""
    _require_billing_role(actor)
    processor = payment_processor()
    with transaction.atomic():
        locked = _locked(order)
        if not locked.can_refund():
            raise _refusal(locked, Order.Status.REFUNDED)
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
            raise OrderWorkflowError("refund_refused", REFUND_REFUSED)
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
        _move(locked, Order.Status.REFUNDED, actor=actor, event=OrderEvent.REFUNDED)
    return locked


# --- Corrections and staff notes -----------------------------------------------------------


def order_correct(*, obj: Order, actor: Actor, changes: dict) -> Order:
    """Write an approved correction of an order's billing contact (the registry's
    `corrected_by`). Bad values raise ValidationError naming the field; nothing is
    written then."""
    cleaned = _clean_billing(changes, partial=True)
    with transaction.atomic():
        locked = _locked(obj)
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


# --- Cards kept for re-use ----------------------------------------------------------------


@sensitive_variables("card")
def _card_keep(*, member, actor: Actor, card: CardDetails, token: str) -> StoredCard:
    """Keep a card the member asked us to keep, its number encrypted. The same card kept
    again replaces the earlier copy rather than listing it twice."""
    stored = StoredCard.objects.filter(
        member=member,
        brand=card.brand,
        last4=card.last4,
        exp_month=card.exp_month,
        exp_year=card.exp_year,
    ).first() or StoredCard(
        member=member,
        brand=card.brand,
        last4=card.last4,
        exp_month=card.exp_month,
        exp_year=card.exp_year,
    )
    stored.encrypted_number = encrypt_card_number(card.number)
    stored.processor_token = token
    stored.save()
    audit_record(
        actor=actor,
        event_type=CardEvent.STORED,
        category=Category.FINANCIAL,
        subject=member,
        obj=stored,
        fields=["brand", "last4", "exp_month", "exp_year", "encrypted_number"],
    )
    return stored


def stored_card_remove(*, member, actor: Actor, card_id: int) -> None:
    """Forget a saved card at once. Another member's card does not exist for this one."""
    with transaction.atomic():
        stored = StoredCard.objects.select_for_update().get(pk=card_id, member=member)
        audit_record(
            actor=actor,
            event_type=CardEvent.REMOVED,
            category=Category.FINANCIAL,
            subject=member,
            obj=stored,
            fields=["brand", "last4", "exp_month", "exp_year", "encrypted_number"],
        )
        stored.delete()


def stored_cards_reencrypt(*, batch_size: int = 500) -> tuple[int, int]:
    """Re-encrypt every saved card number that is not under the first key, a batch per
    transaction, so the site keeps running (each row is readable under the old and the new
    key list throughout). Returns (re-encrypted, unreadable by any configured key)."""
    last_pk, rotated, unreadable = 0, 0, 0
    while True:
        with transaction.atomic():
            batch = list(
                StoredCard.objects.select_for_update()
                .filter(pk__gt=last_pk)
                .order_by("pk")
                .only("pk", "encrypted_number")[:batch_size]
            )
            if not batch:
                return rotated, unreadable
            changed = []
            for stored in batch:
                if encrypted_under_current_key(stored.encrypted_number):
                    continue
                try:
                    stored.encrypted_number = reencrypt_under_current_key(stored.encrypted_number)
                except CardNumberUnreadable:
                    unreadable += 1
                    continue
                changed.append(stored)
            StoredCard.objects.bulk_update(changed, ["encrypted_number"])
            rotated += len(changed)
            last_pk = batch[-1].pk


# --- Retention ------------------------------------------------------------------------------

_PAYMENT_ANONYMOUS = {
    "reference": "",
    "card_token": "",
    "card_brand": "",
    "card_last4": "",
    "card_exp_month": None,
    "card_exp_year": None,
}


def orders_anonymise_expired(*, now: datetime | None = None, batch_size: int = 500) -> int:
    """Anonymise orders whose accounting period (ACCOUNTING_RETENTION_DAYS after their last
    change of status) is over: the billing contact and the card details of their payments
    are emptied, the member is unlinked, notes of calls are deleted. Members under a legal
    hold on financial data are skipped. Idempotent; returns how many orders it changed."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.ACCOUNTING_RETENTION_DAYS)
    held = held_member_ids(category=Category.FINANCIAL, at=now)
    due = Order.objects.filter(anonymised_at=None, status_changed_at__lt=cutoff).exclude(
        member_id__in=held
    )
    billing = dict.fromkeys(billing_field_names(), "")
    last_pk, done = 0, 0
    while True:
        with transaction.atomic():
            batch = list(
                due.filter(pk__gt=last_pk)
                .order_by("pk")
                .select_for_update(skip_locked=True, of=("self",))
                .select_related("member")[:batch_size]
            )
            if not batch:
                return done
            ids = [order.pk for order in batch]
            Order.objects.filter(pk__in=ids).update(**billing, member=None, anonymised_at=now)
            Payment.objects.filter(order_id__in=ids).update(**_PAYMENT_ANONYMOUS)
            PhoneContact.objects.filter(order_id__in=ids).delete()
            for order in batch:
                audit_record(
                    actor=Actor.system(),
                    event_type=OrderEvent.ANONYMISED,
                    category=Category.FINANCIAL,
                    subject=order.member,
                    obj=order,
                    fields=[*billing, "member"],
                )
            done += len(batch)
            last_pk = ids[-1]


def stored_cards_purge_expired(*, today: date | None = None) -> int:
    """Delete saved cards past their expiry month: they can charge nothing any more.
    Members under a legal hold on financial data are skipped."""
    today = today or timezone.localdate()
    held = held_member_ids(category=Category.FINANCIAL)
    expired = Q(exp_year__lt=today.year) | Q(exp_year=today.year, exp_month__lt=today.month)
    purged = 0
    with transaction.atomic():
        for stored in (
            StoredCard.objects.select_for_update(of=("self",))
            .filter(expired)
            .exclude(member_id__in=held)
            .select_related("member")
        ):
            audit_record(
                actor=Actor.system(),
                event_type=CardEvent.PURGED,
                category=Category.FINANCIAL,
                subject=stored.member,
                obj=stored,
                fields=["brand", "last4", "exp_month", "exp_year", "encrypted_number"],
            )
            stored.delete()
            purged += 1
    return purged


# --- Licences -------------------------------------------------------------------------------


def licence_issue(*, member, actor: Actor, order: Order | None = None) -> Licence:
    """Issue a new licence with a fresh serial. A collision of random serials is
    astronomically rare; the unique constraint still decides, and we draw again."""
    for _ in range(_SERIAL_ATTEMPTS):
        try:
            with transaction.atomic():
                licence = Licence.objects.create(
                    serial=serial_generate(), member=member, order=order
                )
                audit_record(
                    actor=actor,
                    event_type=LicenceEvent.ISSUED,
                    category=Category.FINANCIAL,
                    subject=member,
                    obj=licence,
                    fields=["serial"],
                )
                return licence
        except IntegrityError:
            continue
    raise RuntimeError("Could not draw an unused licence serial.")


def licence_revoke(*, licence: Licence, actor: Actor) -> Licence:
    with transaction.atomic():
        licence = Licence.objects.select_for_update().get(pk=licence.pk)
        if licence.revoked_at is None:
            licence.revoked_at = timezone.now()
            licence.save(update_fields=["revoked_at"])
            audit_record(
                actor=actor,
                event_type=LicenceEvent.REVOKED,
                category=Category.FINANCIAL,
                subject=licence.member,
                obj=licence,
                fields=["revoked_at"],
            )
        return licence
