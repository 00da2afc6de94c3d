"""The built-in sandbox processor: no money moves, and each test card always gives the
same answer, so development, demos and tests can walk every path of the checkout.

Any other valid card number is approved. The references and card tokens it hands out are
random, never derived from the card number (a number has too few unknown digits for a
hash of it to be anything but a disguised copy).
"""

import secrets
from dataclasses import dataclass
from decimal import Decimal

from orders.payment_gateway import Authorisation, CardDetails, PaymentOutcome, RefundResult


@dataclass(frozen=True)
class TestCard:
    number: str
    outcome: PaymentOutcome
    note: str

    __test__ = False  # not a pytest test class

    @property
    def grouped(self) -> str:
        return " ".join(self.number[i : i + 4] for i in range(0, len(self.number), 4))


# Any expiry in the future and any security code of the right length will do.
TEST_CARDS = (
    TestCard("4242424242424242", PaymentOutcome.APPROVED, "Visa: approved"),
    TestCard("5555555555554444", PaymentOutcome.APPROVED, "Mastercard: approved"),
    TestCard("4000000000000002", PaymentOutcome.DECLINED, "Visa: declined by the issuer"),
    TestCard("4000000000009995", PaymentOutcome.INSUFFICIENT_FUNDS, "Visa: insufficient funds"),
    TestCard("4000000000000119", PaymentOutcome.PROCESSOR_ERROR, "Visa: payment service error"),
)
_OUTCOMES = {card.number: card.outcome for card in TEST_CARDS}


def _reference(prefix: str) -> str:
    return f"{prefix}_sandbox_{secrets.token_urlsafe(12)}"


class SandboxProcessor:
    name = "sandbox"
    test_cards = TEST_CARDS

    def authorise(
        self, *, card: CardDetails, amount: Decimal, currency: str, idempotency_key: str
    ) -> Authorisation:
        outcome = _OUTCOMES.get(card.number, PaymentOutcome.APPROVED)
        if outcome == PaymentOutcome.PROCESSOR_ERROR:
            return Authorisation(outcome)
        if outcome != PaymentOutcome.APPROVED:
            return Authorisation(outcome, reference=_reference("ch"))
        return Authorisation(outcome, reference=_reference("ch"), card_token=_reference("card"))

    def refund(
        self, *, charge_reference: str, amount: Decimal, currency: str, idempotency_key: str
    ) -> RefundResult:
        return RefundResult(succeeded=bool(charge_reference), reference=_reference("re"))
