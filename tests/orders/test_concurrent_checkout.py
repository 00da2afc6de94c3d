"""Two requests carrying the same checkout at the same moment (a double-click that reaches
two web processes) place one order and charge the card once. Needs real row locks and
concurrent transactions: PostgreSQL."""

import threading
import time
import uuid
from decimal import Decimal

import pytest
from django.db import connection

from orders import payments
from orders.models import Order, Payment
from orders.payment_gateway import Authorisation, PaymentOutcome
from privacy.audit.services import Actor
from tests.accounts.factories import UserFactory
from tests.orders.conftest import BILLING, card
from tests.orders.factories import ProductFactory

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent transactions need PostgreSQL"
)


class SlowProcessor:
    """Takes its time, like a real processor, so the second request arrives mid-charge."""

    name = "slow"
    charges = 0
    lock = threading.Lock()

    def authorise(self, *, card, amount, currency, idempotency_key):
        time.sleep(0.3)
        with type(self).lock:
            type(self).charges += 1
        return Authorisation(PaymentOutcome.APPROVED, reference="slow-1", card_token="slow-card")

    def refund(self, **kwargs):
        raise AssertionError("not used")


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_simultaneous_submissions_of_one_checkout_charge_once(settings):
    settings.PAYMENT_PROCESSOR = "tests.orders.test_concurrent_checkout.SlowProcessor"
    SlowProcessor.charges = 0
    member = UserFactory()
    product = ProductFactory(price=Decimal("49.00"))
    key, start = uuid.uuid4(), threading.Barrier(2)
    results, errors = [], []

    def submit():
        try:
            start.wait()
            results.append(
                payments.order_checkout(
                    member=member,
                    actor=Actor(user=member),
                    product=product,
                    checkout_key=key,
                    billing=BILLING,
                    card=card(),
                    domain="testserver",
                    use_https=True,
                )
            )
        except Exception as exc:  # reported below, in the test's own thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert SlowProcessor.charges == 1
    assert Order.objects.count() == 1 and Payment.objects.count() == 1
    assert sorted(first for _, _, first in results) == [False, True]
    assert {payment.pk for _, payment, _ in results} == {Payment.objects.get().pk}
