import uuid
from datetime import date

import pytest

from orders.payment_gateway import CardDetails
from privacy.audit.services import Actor
from tests.orders.factories import ProductFactory

APPROVE = "4242424242424242"
DECLINE = "4000000000000002"
INSUFFICIENT = "4000000000009995"
PROCESSOR_ERROR = "4000000000000119"
NEXT_YEAR = date.today().year + 1
BILLING = {
    "billing_name": "Rosalind Quintero-Vale",
    "billing_zip": "90210",
    "billing_email": "billing.rosa@example.org",
}


def card(number=APPROVE, *, month=4, year=NEXT_YEAR, code="737") -> CardDetails:
    return CardDetails(number=number, exp_month=month, exp_year=year, security_code=code)


def checkout_post(number=APPROVE, *, key=None, expiry=None, code="737", **extra) -> dict:
    """The checkout form as a browser sends it."""
    return {
        **BILLING,
        "card_number": " ".join(number[i : i + 4] for i in range(0, len(number), 4)),
        "card_expiry": expiry or f"04/{NEXT_YEAR % 100:02d}",
        "card_security_code": code,
        "attempt_key": str(key or uuid.uuid4()),
        **extra,
    }


class RecordingProcessor:
    """A processor selected through PAYMENT_PROCESSOR, as another deployment would
    configure its own: it approves everything and remembers what it was asked (never the
    number or the code, which it is not meant to keep either)."""

    name = "recording"
    calls: list = []

    def authorise(self, *, card, amount, currency, idempotency_key):
        from orders.payment_gateway import Authorisation, PaymentOutcome

        type(self).calls.append(("authorise", card.last4, amount, currency, idempotency_key))
        return Authorisation(PaymentOutcome.APPROVED, reference="rec-1", card_token="rec-card")

    def refund(self, *, charge_reference, amount, currency, idempotency_key):
        from orders.payment_gateway import RefundResult

        type(self).calls.append(("refund", charge_reference, amount, currency, idempotency_key))
        return RefundResult(succeeded=True, reference="rec-refund")


class RefusingProcessor(RecordingProcessor):
    name = "refusing"

    def refund(self, **kwargs):
        from orders.payment_gateway import RefundResult

        return RefundResult(succeeded=False)


@pytest.fixture
def recording_processor(settings):
    RecordingProcessor.calls = []
    settings.PAYMENT_PROCESSOR = "tests.orders.conftest.RecordingProcessor"
    return RecordingProcessor


@pytest.fixture
def licence_product(db):
    return ProductFactory(name="BestQM licence", slug="licence-under-test")


@pytest.fixture
def pay(member):
    """Check a member's order out through the service, committing its on_commit work."""
    from orders import payments

    def checkout(product, number=APPROVE, *, member=member, stored_card=None, **kw):
        return payments.order_checkout(
            member=member,
            actor=Actor(user=member, ip="203.0.113.7"),
            product=product,
            checkout_key=kw.pop("key", None) or uuid.uuid4(),
            billing=BILLING,
            card=None if stored_card else card(number),
            stored_card=stored_card,
            domain="testserver",
            use_https=True,
            **kw,
        )

    return checkout
