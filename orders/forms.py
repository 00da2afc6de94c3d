"""Checkout and payment forms. They read what was typed into a `CardDetails`; whether the
card will do is the service's rule (orders.payments.card_problems), which the form asks
so that every problem shows at once.

Card fields never echo what was typed: a page shown again with errors has them empty, so
no card number or security code is ever sent back in HTML.
"""

import re
import uuid

from django import forms
from django.forms.models import fields_for_model
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from orders.cards.numbers import card_digits
from orders.cards.vault import vault_configured
from orders.models import Order
from orders.payment_gateway import CardDetails
from orders.payments import card_problems
from orders.selectors import stored_cards_of
from orders.services import billing_field_names

NEW_CARD = "new"
CARD_FIELDS = ("card_number", "card_expiry", "card_security_code")
CARD_NUMBER_REQUIRED = "Enter the card number."
CARD_NUMBER_DIGITS = "Enter the card number as printed: digits only (spaces are fine)."
CARD_EXPIRY_REQUIRED = "Enter the expiry date."
CARD_EXPIRY_FORMAT = "Enter the expiry date as MM/YY, for example 04/29."
SECURITY_CODE_REQUIRED = "Enter the security code."
SECURITY_CODE_LENGTH = "The security code has 3 or 4 digits."
CHOOSE_ONE_CARD = (
    "You chose a saved card and also typed a card: choose “A new card” to pay with the one "
    "you typed, or leave its fields empty."
)
_EXPIRY = re.compile(r"^\s*([0-9]{1,2})\s*/\s*([0-9]{2}|[0-9]{4})\s*$")


class NoEchoInput(forms.TextInput):
    """A text input that never writes a submitted value back into the page."""

    def format_value(self, value):
        return None


def _card_input(autocomplete: str, **attrs) -> NoEchoInput:
    attrs = {"autocomplete": autocomplete, "spellcheck": "false", "autocapitalize": "off", **attrs}
    return NoEchoInput(attrs=attrs)


class PaymentForm(forms.Form):
    """Pay for an order: a saved card, or a new one (optionally kept for next time)."""

    # Not required: without a choice, the card typed below is used.
    pay_with = forms.ChoiceField(label="Pay with", widget=forms.RadioSelect, required=False)
    card_number = forms.CharField(
        label="Card number",
        required=False,
        max_length=30,
        error_messages={"max_length": CARD_NUMBER_DIGITS},
        widget=_card_input("cc-number", inputmode="numeric"),
    )
    card_expiry = forms.CharField(
        label="Expiry date (MM/YY)",
        required=False,
        max_length=7,
        error_messages={"max_length": CARD_EXPIRY_FORMAT},
        widget=_card_input("cc-exp", placeholder="MM/YY"),
    )
    card_security_code = forms.CharField(
        label="Security code",
        required=False,
        max_length=4,
        error_messages={"max_length": SECURITY_CODE_LENGTH},
        help_text="3 digits on the back; 4 on the front for American Express. "
        "Used for this payment only and never stored.",
        widget=_card_input("cc-csc", inputmode="numeric"),
    )
    keep_card = forms.BooleanField(
        label="Keep this card for my next orders",
        required=False,
        help_text="We store the number encrypted, never the security code. "
        "You can remove the card at any time from My orders.",
    )
    # Chosen when the page is made: the same form sent twice charges once.
    attempt_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attempt_key"].initial = uuid.uuid4()
        self.stored_cards = (
            list(stored_cards_of(member=member, usable_on=timezone.localdate()))
            if vault_configured()
            else []
        )
        if self.stored_cards:
            self.fields["pay_with"].choices = [
                *((str(c.pk), f"{c.display}, expires {c.expiry}") for c in self.stored_cards),
                (NEW_CARD, "A new card"),
            ]
            self.fields["pay_with"].initial = str(self.stored_cards[0].pk)
        else:
            del self.fields["pay_with"]
        if not vault_configured():
            del self.fields["keep_card"]

    @sensitive_variables("cleaned", "number", "card")
    def clean(self):
        cleaned = super().clean()
        if "pay_with" in self.errors:
            return self._forget_card_fields(cleaned)
        choice = cleaned.get("pay_with") or NEW_CARD
        if choice != NEW_CARD:
            # Never charge a saved card when the member typed another: ask which one.
            if any(cleaned.get(name, "").strip() for name in CARD_FIELDS):
                self.add_error("pay_with", CHOOSE_ONE_CARD)
                return self._forget_card_fields(cleaned)
            cleaned["stored_card"] = next(c for c in self.stored_cards if str(c.pk) == choice)
            cleaned["card"] = None
            return self._forget_card_fields(cleaned)
        cleaned["stored_card"] = None
        if any(name in self.errors for name in CARD_FIELDS):
            return self._forget_card_fields(cleaned)  # too long to be what it should be
        number = self._card_number(cleaned.get("card_number", ""))
        expiry = self._card_expiry(cleaned.get("card_expiry", ""))
        code = cleaned.get("card_security_code", "").strip()
        if not code:
            self.add_error("card_security_code", SECURITY_CODE_REQUIRED)
        # Every problem at once: the service's rules on what was readable, the reading
        # errors above on the rest.
        month, year = expiry or (0, 0)
        card = CardDetails(number=number, exp_month=month, exp_year=year, security_code=code)
        for name, message in card_problems(card, on_file=False, today=timezone.localdate()).items():
            if name not in self.errors:
                self.add_error(name, message)
        cleaned["card"] = None if any(n in self.errors for n in CARD_FIELDS) else card
        return self._forget_card_fields(cleaned)

    @staticmethod
    def _forget_card_fields(cleaned: dict) -> dict:
        # What was typed is not kept beyond this point: only the CardDetails goes on.
        for name in CARD_FIELDS:
            cleaned.pop(name, None)
        return cleaned

    def payment_fields(self) -> list[forms.BoundField]:
        names = ("pay_with", *CARD_FIELDS, "keep_card")
        return [self[name] for name in names if name in self.fields]

    def _card_number(self, typed: str) -> str:
        if not typed.strip():
            self.add_error("card_number", CARD_NUMBER_REQUIRED)
            return ""
        digits = card_digits(typed)
        if not digits:
            self.add_error("card_number", CARD_NUMBER_DIGITS)
        return digits

    def _card_expiry(self, typed: str) -> tuple[int, int] | None:
        if not typed.strip():
            self.add_error("card_expiry", CARD_EXPIRY_REQUIRED)
            return None
        match = _EXPIRY.match(typed)
        if match is None:
            self.add_error("card_expiry", CARD_EXPIRY_FORMAT)
            return None
        month, year = int(match[1]), int(match[2])
        return month, year + 2000 if year < 100 else year


class CheckoutForm(PaymentForm):
    """The billing contact, then the payment."""

    def __init__(self, *args, member, **kwargs):
        names = billing_field_names()
        if not kwargs.get("data") and not args:
            kwargs.setdefault(
                "initial",
                {
                    "billing_name": member.get_full_name(),
                    "billing_zip": member.zip_code,
                    "billing_email": member.email,
                },
            )
        super().__init__(*args, member=member, **kwargs)
        billing = fields_for_model(Order, fields=names)
        billing["billing_name"].label = "Name"
        billing["billing_name"].widget.attrs["autocomplete"] = "name"
        billing["billing_zip"].widget.attrs["autocomplete"] = "postal-code"
        billing["billing_email"].widget.attrs["autocomplete"] = "email"
        billing["billing_email"].help_text = "Where we write if there is trouble with the order."
        self.fields = {**billing, **self.fields}

    def billing_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in billing_field_names()]

    def billing(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in billing_field_names()}
