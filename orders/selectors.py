"""Reads of the orders app. Other apps (activity) ask here, never the models.

Every read of orders is scoped to one member: another member's order simply is not found.
"""

from datetime import datetime

from django.db.models import Max, Prefetch, QuerySet
from django.utils import timezone

from orders.licences.serials import serial_canonical, serial_is_well_formed
from orders.models import Licence, Order, Payment, Product, StoredCard
from orders.payment_gateway import PaymentOutcome


def licence_for_serial(*, serial: str) -> Licence | None:
    """The licence with this serial, or None when the serial is malformed or unknown."""
    if not serial_is_well_formed(serial):
        return None
    return Licence.objects.filter(serial=serial_canonical(serial)).first()


def licence_valid_for(*, serial: str, member) -> bool:
    """Whether `member` holds an active licence with this serial."""
    licence = licence_for_serial(serial=serial)
    return licence is not None and licence.is_active and licence.member_id == member.pk


# --- Catalogue ------------------------------------------------------------------------------


def products_for_sale() -> QuerySet[Product]:
    return Product.objects.filter(is_active=True)


def product_for_sale(*, slug: str) -> Product | None:
    return products_for_sale().filter(slug=slug).first()


# --- A member's orders ----------------------------------------------------------------------


def orders_of(*, member) -> QuerySet[Order]:
    """The member's orders, newest first, with what their pages and the API show."""
    return (
        Order.objects.filter(member=member)
        .select_related("product")
        .prefetch_related(
            Prefetch("payments", queryset=Payment.objects.order_by("-created_at", "-id")),
            Prefetch("licences", queryset=Licence.objects.order_by("issued_at", "id")),
        )
    )


def order_of(*, member, pk) -> Order | None:
    """One of the member's orders; None for an unknown one or another member's."""
    return orders_of(member=member).filter(pk=pk).first()


def charged_payment(order: Order) -> Payment | None:
    """The approved charge of an order (from its prefetched payments)."""
    return next(
        (
            p
            for p in order.payments.all()
            if p.kind == Payment.Kind.CHARGE and p.outcome == PaymentOutcome.APPROVED
        ),
        None,
    )


def last_failed_payment(order: Order) -> Payment | None:
    """The latest charge attempt, when the order is waiting for a new one because it failed."""
    if order.status != Order.Status.PAYMENT_FAILED:
        return None
    return next((p for p in order.payments.all() if p.kind == Payment.Kind.CHARGE), None)


def membership_until(*, member) -> datetime | None:
    """When the member's paid membership ends, if it has not ended yet."""
    until = Order.objects.filter(member=member, status=Order.Status.FULFILLED).aggregate(
        until=Max("membership_until")
    )["until"]
    return until if until and until > timezone.now() else None


# --- Saved cards ----------------------------------------------------------------------------


def stored_cards_of(*, member, usable_on=None) -> QuerySet[StoredCard]:
    """The member's saved cards; with `usable_on` (a date) only those not yet expired."""
    cards = StoredCard.objects.filter(member=member)
    if usable_on is not None:
        cards = cards.exclude(exp_year__lt=usable_on.year).exclude(
            exp_year=usable_on.year, exp_month__lt=usable_on.month
        )
    return cards.defer("encrypted_number", "processor_token")
