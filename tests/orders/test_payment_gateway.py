"""The payment gateway: the sandbox's test cards always give the same answer, and another
processor is a matter of configuration."""

from decimal import Decimal

import pytest
from django.core import checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from orders.payment_gateway import CardDetails, PaymentOutcome, payment_processor
from orders.sandbox_processor import TEST_CARDS, SandboxProcessor
from tests.orders.conftest import APPROVE, RecordingProcessor, card


@pytest.mark.parametrize(
    ("number", "outcome"),
    [
        ("4242424242424242", PaymentOutcome.APPROVED),
        ("5555555555554444", PaymentOutcome.APPROVED),
        ("4000000000000002", PaymentOutcome.DECLINED),
        ("4000000000009995", PaymentOutcome.INSUFFICIENT_FUNDS),
        ("4000000000000119", PaymentOutcome.PROCESSOR_ERROR),
        ("4111111111111111", PaymentOutcome.APPROVED),  # any other valid number
    ],
)
def test_each_sandbox_card_always_gives_the_same_answer(number, outcome):
    sandbox = SandboxProcessor()
    for _ in range(3):
        answer = sandbox.authorise(
            card=card(number), amount=Decimal("9.00"), currency="USD", idempotency_key="k"
        )
        assert answer.outcome == outcome
        assert bool(answer.card_token) == (outcome == PaymentOutcome.APPROVED)
        assert number not in answer.reference and number[-4:] not in answer.card_token


def test_the_sandbox_documents_every_outcome_with_luhn_valid_cards():
    from orders.cards.numbers import luhn_valid

    assert {c.outcome for c in TEST_CARDS} == set(PaymentOutcome)
    assert all(luhn_valid(c.number) for c in TEST_CARDS)


def test_the_sandbox_refunds_a_charge_it_made():
    sandbox = SandboxProcessor()
    charge = sandbox.authorise(
        card=card(APPROVE), amount=Decimal("9.00"), currency="USD", idempotency_key="k"
    )
    refund = sandbox.refund(
        charge_reference=charge.reference, amount=Decimal("9.00"), currency="USD",
        idempotency_key="r",
    )  # fmt: skip
    assert refund.succeeded and refund.reference


def test_the_sandbox_is_the_default_and_another_processor_is_configuration(settings):
    assert isinstance(payment_processor(), SandboxProcessor)
    settings.PAYMENT_PROCESSOR = "tests.orders.conftest.RecordingProcessor"
    assert isinstance(payment_processor(), RecordingProcessor)


def test_a_processor_that_cannot_be_loaded_fails_the_system_check(settings):
    settings.PAYMENT_PROCESSOR = "orders.nowhere.Processor"
    with pytest.raises(SystemCheckError, match=r"orders\.E002"):
        call_command("check")
    settings.PAYMENT_PROCESSOR = "decimal.Decimal"  # loads, but cannot charge anything
    errors = checks.run_checks(tags=["orders"])
    assert [e.id for e in errors] == ["orders.E003"]


def test_a_card_on_file_is_charged_without_a_security_code():
    details = CardDetails(number=APPROVE, exp_month=4, exp_year=2030)
    assert details.security_code is None
