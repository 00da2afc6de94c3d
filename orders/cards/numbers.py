"""Payment card numbers: the checks a checkout makes before anything is sent or written,
and the only form in which a card is ever shown ("Visa •••• 4242").

Nothing here stores, logs or returns a full number; callers keep the digits in memory
for the authorisation call and keep only the brand, the last four digits and the expiry.
"""

import re
from datetime import date

from django.db import models

from orders.cards.checksum import MAX_CARD_DIGITS, MIN_CARD_DIGITS, luhn_checksum_ok

# Cards are issued for a few years; an expiry further out than this is a typing mistake.
MAX_YEARS_AHEAD = 20
MASK = "••••"


class CardBrand(models.TextChoices):
    VISA = "visa", "Visa"
    MASTERCARD = "mastercard", "Mastercard"
    AMEX = "amex", "American Express"
    DISCOVER = "discover", "Discover"
    OTHER = "other", "Card"


def card_digits(typed: str) -> str:
    """The digits of a number as typed, with the spaces and hyphens people put between
    groups removed; "" when anything else is in it (letters, other scripts' digits)."""
    compact = "".join(typed.split()).replace("-", "")
    return compact if compact.isascii() and compact.isdigit() else ""


def luhn_valid(digits: str) -> bool:
    """A card number's length and check digit are right."""
    if not MIN_CARD_DIGITS <= len(digits) <= MAX_CARD_DIGITS or not digits.isdigit():
        return False
    return luhn_checksum_ok(digits)


def card_brand(digits: str) -> CardBrand:
    """The brand from the issuer prefix (IIN ranges of the four networks we name)."""
    if digits.startswith("4"):
        return CardBrand.VISA
    two, four, six = int(digits[:2] or 0), int(digits[:4] or 0), int(digits[:6] or 0)
    if 51 <= two <= 55 or 222100 <= six <= 272099:
        return CardBrand.MASTERCARD
    if two in (34, 37):
        return CardBrand.AMEX
    if four == 6011 or two == 65 or 644 <= int(digits[:3] or 0) <= 649:
        return CardBrand.DISCOVER
    return CardBrand.OTHER


def security_code_length(brand: str) -> int:
    """American Express prints four digits on the front; the others three on the back."""
    return 4 if brand == CardBrand.AMEX else 3


def security_code_valid(code: str, brand: str) -> bool:
    return code.isascii() and code.isdigit() and len(code) == security_code_length(brand)


def expiry_passed(month: int, year: int, today: date) -> bool:
    """A card is valid until the end of its expiry month."""
    return (year, month) < (today.year, today.month)


def expiry_too_far(year: int, today: date) -> bool:
    return year > today.year + MAX_YEARS_AHEAD


def card_label(brand: str, last4: str) -> str:
    """The one way a card is shown anywhere: brand and last four digits."""
    if not last4:
        return ""
    return f"{CardBrand(brand).label if brand in CardBrand.values else 'Card'} {MASK} {last4}"


# Digits, possibly grouped by single spaces or hyphens the way card numbers are written.
_DIGIT_RUN = re.compile(r"(?<![0-9])[0-9](?:[ -]?[0-9])*(?![0-9])")


def card_numbers_in(text: str) -> list[str]:
    """Every Luhn-valid run of 13 to 19 digits in a text (grouped or not): what a card
    number looks like. Used to keep card numbers out of free text, and by the tests that
    prove none is at rest anywhere."""
    found = []
    for match in _DIGIT_RUN.finditer(text):
        digits = match.group().replace(" ", "").replace("-", "")
        if luhn_valid(digits):
            found.append(digits)
    return found


def contains_card_number(text: str) -> bool:
    return bool(card_numbers_in(text))
