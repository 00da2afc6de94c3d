"""The Luhn check digit of a payment card number, and the lengths card numbers come in.

Free of Django on purpose: the log scrubber (bestqm.logging.scrubbing) runs inside gunicorn's
and Celery's logging before Django is set up, and orders.cards.numbers validates checkout
input with it too.
"""

MIN_CARD_DIGITS, MAX_CARD_DIGITS = 13, 19


def luhn_checksum_ok(digits: str) -> bool:
    """Whether a string of ASCII digits passes the Luhn check (length not considered)."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0
