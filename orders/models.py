"""Products, orders and payments ('Order Processing'). Every model added here must be
declared in orders/privacy.py before `manage.py check` passes.

No model holds a full card number or a security code in the clear: a payment keeps the
processor's reference and token, the brand, the last four digits and the expiry; a card
kept for re-use keeps its number encrypted (orders.cards.vault).
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone

from accounts.validators import zip_code_validator
from bestqm.workflow import StatusWorkflow, Transitions
from orders.cards.numbers import CardBrand, card_label
from orders.payment_gateway import PaymentOutcome
from privacy.audit.event_types import event_types


@event_types.register
class LicenceEvent(models.TextChoices):
    ISSUED = "licence.issued", "Licence serial number issued"
    REVOKED = "licence.revoked", "Licence revoked"


@event_types.register
class OrderEvent(models.TextChoices):
    PLACED = "order.placed", "Order placed"
    PAID = "order.paid", "Order paid"
    PAYMENT_FAILED = "order.payment_failed", "Payment of an order failed"
    FULFILLED = "order.fulfilled", "Order fulfilled"
    CANCELLED = "order.cancelled", "Order cancelled"
    REFUNDED = "order.refunded", "Order refunded"
    CORRECTED = "order.corrected", "Billing contact of an order corrected"
    ANONYMISED = "order.anonymised", "Order anonymised after the accounting period"
    PHONE_CONTACT_LOGGED = "order.phone_contact_logged", "Phone call about an order logged"


@event_types.register
class CardEvent(models.TextChoices):
    STORED = "card.stored", "Card kept for re-use (number encrypted)"
    REMOVED = "card.removed", "Card kept for re-use removed"
    PURGED = "card.purged", "Expired card kept for re-use deleted"


class Product(models.Model):
    """Something a member can buy: a membership plan or a BestQM software licence."""

    class Kind(models.TextChoices):
        MEMBERSHIP = "membership", "Membership plan"
        LICENCE = "licence", "BestQM software licence"

    class Currency(models.TextChoices):
        USD = "USD", "US dollars"

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=60, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    description = models.TextField(blank=True)
    price = models.DecimalField(
        max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    currency = models.CharField(max_length=3, choices=Currency.choices, default=Currency.USD)
    membership_days = models.PositiveIntegerField(
        null=True, blank=True, help_text="Membership plans only: how long one purchase lasts."
    )
    is_active = models.BooleanField(
        "for sale", default=True, help_text="Off: no longer offered; past orders keep it."
    )

    class Meta:
        ordering = ["kind", "price", "name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(price__gt=0), name="product_price_positive"),
            models.CheckConstraint(
                condition=models.Q(kind="membership", membership_days__gt=0)
                | models.Q(~models.Q(kind="membership"), membership_days=None),
                name="product_membership_has_days",
                violation_error_message="A membership plan lasts a number of days; "
                "a licence does not.",
            ),
        ]

    def __str__(self):
        return self.name


class OrderStatus(models.TextChoices):
    PENDING = "pending", "Awaiting payment"
    PAYMENT_FAILED = "payment_failed", "Payment failed"
    PAID = "paid", "Paid"
    FULFILLED = "fulfilled", "Fulfilled"
    CANCELLED = "cancelled", "Cancelled"
    REFUNDED = "refunded", "Refunded"


class Order(StatusWorkflow, models.Model):
    """One purchase of one product. The billing contact is kept for the accounting period
    and then anonymised (orders.retention.orders_anonymise_expired)."""

    Status = OrderStatus

    # Which status may follow which (a failed payment may be retried, and fail again), and
    # the timestamp each status sets when an order enters it.
    TRANSITIONS = Transitions(
        {
            Status.PENDING: {Status.PAID, Status.PAYMENT_FAILED, Status.CANCELLED},
            Status.PAYMENT_FAILED: {Status.PAID, Status.PAYMENT_FAILED, Status.CANCELLED},
            Status.PAID: {Status.FULFILLED, Status.REFUNDED},
            Status.FULFILLED: {Status.REFUNDED},
            Status.CANCELLED: set(),
            Status.REFUNDED: set(),
        },
        stamps={
            Status.PAID: "paid_at",
            Status.FULFILLED: "fulfilled_at",
            Status.CANCELLED: "cancelled_at",
            Status.REFUNDED: "refunded_at",
        },
        changed_at="status_changed_at",
    )

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="orders",
    )
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="orders")
    # What was bought and for how much, as it was at the time: products change.
    product_name = models.CharField(max_length=100)
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    # Chosen by the checkout page, so a double-clicked checkout places one order.
    checkout_key = models.UUIDField(editable=False)
    billing_name = models.CharField("name", max_length=200)
    billing_zip = models.CharField("ZIP code", max_length=10, validators=[zip_code_validator])
    billing_email = models.EmailField("e-mail address", max_length=254)
    membership_until = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    status_changed_at = models.DateTimeField(default=timezone.now, editable=False)
    paid_at = models.DateTimeField(null=True, blank=True, editable=False)
    fulfilled_at = models.DateTimeField(null=True, blank=True, editable=False)
    cancelled_at = models.DateTimeField(null=True, blank=True, editable=False)
    refunded_at = models.DateTimeField(null=True, blank=True, editable=False)
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "checkout_key"], name="order_one_per_checkout"
            ),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="order_amount_positive"),
            models.CheckConstraint(
                condition=models.Q(status__in=OrderStatus.values),
                name="order_status_known",
            ),
        ]
        indexes = [
            models.Index(fields=["member", "-created_at"], name="order_member_time"),
            # The retention job's scan: orders not yet anonymised, oldest change first.
            models.Index(
                fields=["status_changed_at"],
                name="order_retention_due",
                condition=models.Q(anonymised_at=None),
            ),
        ]

    def __str__(self):
        # Never a name or an address: this string turns up in admin pages and logs.
        return f"Order #{self.pk}"

    def can_pay(self) -> bool:
        return self.can_become(self.Status.PAID)

    def can_fulfil(self) -> bool:
        return self.can_become(self.Status.FULFILLED)

    def can_cancel(self) -> bool:
        return self.can_become(self.Status.CANCELLED)

    def can_refund(self) -> bool:
        return self.can_become(self.Status.REFUNDED)


class Payment(models.Model):
    """One attempt to charge an order's card, or one refund. Keeps what the processor
    answered and what identifies the card to a person: brand, last four, expiry."""

    class Kind(models.TextChoices):
        CHARGE = "charge", "Charge"
        REFUND = "refund", "Refund"

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="payments")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.CHARGE)
    outcome = models.CharField(max_length=20, choices=PaymentOutcome.choices)
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    # The key the processor was given: the same request never charges twice.
    idempotency_key = models.UUIDField(editable=False)
    processor = models.CharField(max_length=50)
    reference = models.CharField("processor reference", max_length=100, blank=True)
    card_token = models.CharField(max_length=100, blank=True)
    card_brand = models.CharField(max_length=20, choices=CardBrand.choices, blank=True)
    card_last4 = models.CharField("last four digits", max_length=4, blank=True)
    card_exp_month = models.PositiveSmallIntegerField(null=True, blank=True)
    card_exp_year = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        get_latest_by = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "idempotency_key"], name="payment_once_per_key"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def card_display(self) -> str:
        return card_label(self.card_brand, self.card_last4)

    @property
    def approved(self) -> bool:
        return self.outcome == PaymentOutcome.APPROVED


class StoredCard(models.Model):
    """A card the member asked us to keep for their next orders. The number is encrypted
    with keys from the environment; it is decrypted only for an authorisation call."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="stored_cards"
    )
    brand = models.CharField(max_length=20, choices=CardBrand.choices)
    last4 = models.CharField("last four digits", max_length=4)
    exp_month = models.PositiveSmallIntegerField()
    exp_year = models.PositiveSmallIntegerField()
    encrypted_number = models.TextField(editable=False)
    processor_token = models.CharField(max_length=100, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "card kept for re-use"
        verbose_name_plural = "cards kept for re-use"
        indexes = [models.Index(fields=["member", "-created_at"], name="storedcard_member_time")]

    def __str__(self):
        return self.display

    @property
    def display(self) -> str:
        return card_label(self.brand, self.last4)

    @property
    def expiry(self) -> str:
        return f"{self.exp_month:02d}/{self.exp_year % 100:02d}"


class PhoneContact(models.Model):
    """A billing agent's call to a member about an order ('if we have trouble processing
    an order, this contact information is used to get in touch with the user')."""

    class Outcome(models.TextChoices):
        REACHED = "reached", "Reached the member"
        VOICEMAIL = "voicemail", "Left a voicemail"
        NO_ANSWER = "no_answer", "No answer"
        WRONG_NUMBER = "wrong_number", "Wrong or unavailable number"

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="phone_contacts")
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    note = models.CharField(
        max_length=500, blank=True, help_text="What was agreed. Never card details."
    )
    contacted_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-contacted_at", "-id"]
        verbose_name = "phone contact"

    def __str__(self):
        return f"Phone contact #{self.pk}"


class Licence(models.Model):
    """A BestQM software licence. The client software presents the serial when it reports
    a session (activity app), which checks it through `orders.selectors`."""

    serial = models.CharField(max_length=24, unique=True, editable=False)
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="licences",
    )
    # The order whose fulfilment issued it (none for licences issued by hand).
    order = models.ForeignKey(
        Order,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="licences",
        editable=False,
    )
    issued_at = models.DateTimeField(default=timezone.now, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-issued_at", "-id"]
        indexes = [models.Index(fields=["member", "-issued_at"], name="licence_member_time")]

    def __str__(self):
        return f"Licence {self.serial}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.member_id is not None
