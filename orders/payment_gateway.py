"""The payment gateway: what the orders app asks of a card processor.

A processor is any class with the methods of `PaymentProcessor`; `PAYMENT_PROCESSOR` (a
dotted path) names the one in use, the built-in sandbox by default. Another processor is a
class of its own and a line of configuration; nothing else changes.

Card details travel in a `CardDetails`, whose number and security code are left out of its
repr and which refuses to be pickled: it cannot end up in a log line, a traceback's
summary, a cache or a task queue by accident. The security code reaches `authorise` and
nothing else; a card on file is charged without one.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

from django.conf import settings
from django.db import models
from django.utils.module_loading import import_string

from orders.cards.numbers import card_brand


class PaymentOutcome(models.TextChoices):
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined by the card issuer"
    INSUFFICIENT_FUNDS = "insufficient_funds", "Declined: insufficient funds"
    PROCESSOR_ERROR = "processor_error", "Payment service error"


@dataclass(frozen=True)
class CardDetails:
    number: str = field(repr=False)
    exp_month: int
    exp_year: int
    # None when a card kept on file is charged: no security code is ever stored.
    security_code: str | None = field(default=None, repr=False)

    @property
    def brand(self) -> str:
        return card_brand(self.number)

    @property
    def last4(self) -> str:
        return self.number[-4:]

    def __reduce__(self):
        raise TypeError("Card details are never serialised.")


@dataclass(frozen=True)
class Authorisation:
    outcome: PaymentOutcome
    # The processor's identifier of the charge ("" when it made none).
    reference: str = ""
    # The processor's token for the card, for its own records and refunds ("" if none).
    card_token: str = ""


@dataclass(frozen=True)
class RefundResult:
    succeeded: bool
    reference: str = ""


class PaymentProcessor(Protocol):
    """A card processor. `idempotency_key` is the same for a repeated request (a
    double-click, a retry after a crash), so the processor charges or refunds once.

    An implementation answers every outcome it knows through its return value. It raises
    only when it cannot know whether money moved (a timeout); the caller's transaction
    then rolls back and the member's resubmission, with the same key, settles it.
    """

    name: str

    def authorise(
        self, *, card: CardDetails, amount: Decimal, currency: str, idempotency_key: str
    ) -> Authorisation: ...

    def refund(
        self, *, charge_reference: str, amount: Decimal, currency: str, idempotency_key: str
    ) -> RefundResult: ...


def payment_processor() -> PaymentProcessor:
    return import_string(settings.PAYMENT_PROCESSOR)()
