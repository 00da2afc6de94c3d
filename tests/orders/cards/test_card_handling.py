"""Card numbers: the checks, the one way a card is shown, the encryption of saved cards
and its key rotation, and the settings that refuse a deployment without a real key."""

import os
import pickle
import subprocess
import sys
from datetime import date

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from orders.cards.numbers import (
    CardBrand,
    card_brand,
    card_digits,
    card_label,
    card_numbers_in,
    expiry_passed,
    luhn_valid,
)
from orders.cards.vault import (
    CardNumberUnreadable,
    decrypt_card_number,
    encrypt_card_number,
    encrypted_under_current_key,
)
from orders.models import StoredCard
from orders.payment_gateway import CardDetails
from tests.accounts.factories import UserFactory

OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()
GOOD_SECRET = "k" * 20 + "-a-long-random-production-secret-value-1234567890"


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("4242424242424242", True),
        ("4242424242424241", False),
        ("378282246310005", True),
        ("6011111111111117", True),
        ("4242", False),
        ("42424242424242424242", False),  # 20 digits
        ("", False),
    ],
)
def test_luhn(number, valid):
    assert luhn_valid(number) is valid


def test_brands_and_the_only_way_a_card_is_shown():
    assert card_brand("4242424242424242") == CardBrand.VISA
    assert card_brand("5555555555554444") == CardBrand.MASTERCARD
    assert card_brand("2223003122003222") == CardBrand.MASTERCARD
    assert card_brand("378282246310005") == CardBrand.AMEX
    assert card_brand("6011111111111117") == CardBrand.DISCOVER
    assert card_brand("3566002020360505") == CardBrand.OTHER
    assert card_label("visa", "4242") == "Visa •••• 4242"
    assert card_label("amex", "0005") == "American Express •••• 0005"
    assert card_label("", "") == ""


def test_typed_numbers_keep_only_digits_and_anything_else_is_refused():
    assert card_digits(" 4242 4242-4242 4242 ") == "4242424242424242"
    assert card_digits("4242 42x2") == ""
    assert card_digits("٤٢٤٢") == ""  # other scripts' digits are not card digits


def test_a_card_is_valid_to_the_end_of_its_expiry_month():
    assert not expiry_passed(1, 2026, date(2026, 1, 31))
    assert expiry_passed(12, 2025, date(2026, 1, 1))


def test_card_numbers_are_found_in_text_however_they_are_grouped():
    text = "paid 4242 4242 4242 4242, ref 12345, phone +12025550143, 4000-0000-0000-0002."
    assert card_numbers_in(text) == ["4242424242424242", "4000000000000002"]
    assert card_numbers_in("2026-11-25 03:46:12.123456+00:00") == []


def test_card_details_never_show_the_number_or_code_and_refuse_to_be_serialised():
    card = CardDetails(number="4242424242424242", exp_month=4, exp_year=2030, security_code="737")

    assert "4242424242424242" not in repr(card) and "737" not in repr(card)
    assert card.brand == "visa" and card.last4 == "4242"
    with pytest.raises(TypeError):
        pickle.dumps(card)


def test_saved_numbers_are_encrypted_and_readable_under_every_configured_key(settings):
    settings.CARD_ENCRYPTION_KEYS = [OLD]
    token = encrypt_card_number("4242424242424242")
    assert "4242" not in token

    settings.CARD_ENCRYPTION_KEYS = [NEW, OLD]
    assert decrypt_card_number(token) == "4242424242424242"
    assert not encrypted_under_current_key(token)
    settings.CARD_ENCRYPTION_KEYS = [NEW]
    with pytest.raises(CardNumberUnreadable):
        decrypt_card_number(token)


def _saved(member, number):
    return StoredCard.objects.create(
        member=member,
        brand="visa",
        last4=number[-4:],
        exp_month=4,
        exp_year=2030,
        encrypted_number=encrypt_card_number(number),
    )


@pytest.mark.django_db
def test_rotate_card_keys_re_encrypts_in_batches_and_rows_stay_readable_throughout(
    settings, capsys
):
    from orders.cards.services import stored_cards_reencrypt

    settings.CARD_ENCRYPTION_KEYS = [OLD]
    member = UserFactory()
    numbers = ["4242424242424242", "5555555555554444", "4000000000000002"]
    cards = [_saved(member, n) for n in numbers]

    # The new key goes first; old rows and new writes are readable side by side.
    settings.CARD_ENCRYPTION_KEYS = [NEW, OLD]
    newer = _saved(member, "6011111111111117")
    assert encrypted_under_current_key(newer.encrypted_number)
    for card, number in zip(cards, numbers, strict=True):
        card.refresh_from_db()
        assert decrypt_card_number(card.encrypted_number) == number

    call_command("rotate_card_keys", "--batch-size", "2")
    assert "Re-encrypted 3 saved card number(s)" in capsys.readouterr().out

    settings.CARD_ENCRYPTION_KEYS = [NEW]  # the old key is dropped
    for card, number in zip([*cards, newer], [*numbers, "6011111111111117"], strict=True):
        card.refresh_from_db()
        assert decrypt_card_number(card.encrypted_number) == number
    assert stored_cards_reencrypt(batch_size=2) == (0, 0)  # nothing left to do


@pytest.mark.django_db
def test_rotation_reports_numbers_no_configured_key_can_read(settings):
    settings.CARD_ENCRYPTION_KEYS = [OLD]
    _saved(UserFactory(), "4242424242424242")
    settings.CARD_ENCRYPTION_KEYS = [NEW]  # the old key was dropped too early

    with pytest.raises(CommandError, match="could not be decrypted with any configured key"):
        call_command("rotate_card_keys")


def _python(code: str, **env):
    base = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp")}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env={**base, "SECRET_KEY": GOOD_SECRET, "ALLOWED_HOSTS": "bestqm.example", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


SETUP = "import os, django; os.environ['DJANGO_SETTINGS_MODULE']='bestqm.settings'; django.setup()"


def test_production_starts_with_real_card_keys_and_uses_them():
    result = _python(
        f"{SETUP}; from django.conf import settings as s; print(s.CARD_ENCRYPTION_KEYS)",
        CARD_ENCRYPTION_KEYS=f"{NEW}, {OLD}",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str([NEW, OLD])


def test_production_refuses_the_development_card_key():
    from orders.cards.vault import DEVELOPMENT_KEY

    result = _python("import bestqm.wsgi", CARD_ENCRYPTION_KEYS=DEVELOPMENT_KEY)
    assert result.returncode != 0
    assert "CARD_ENCRYPTION_KEYS holds the development key" in result.stderr


def test_a_malformed_card_key_is_refused_without_being_echoed():
    result = _python("import bestqm.wsgi", CARD_ENCRYPTION_KEYS=f"{NEW},not-a-key-but-a-secret")
    assert result.returncode != 0
    assert "CARD_ENCRYPTION_KEYS: key 2 is not a Fernet key" in result.stderr
    assert "not-a-key-but-a-secret" not in result.stderr


def test_without_a_card_key_outside_debug_the_service_refuses_to_start():
    result = _python(f"{SETUP}; from django.core.management import call_command as c; c('check')")
    assert result.returncode != 0
    assert "CARD_ENCRYPTION_KEYS must hold at least one Fernet key" in result.stderr


def test_the_deploy_check_warns_that_the_sandbox_moves_no_money():
    result = _python(
        f"{SETUP}; from django.core.management import call_command as c; c('check', deploy=True)",
        CARD_ENCRYPTION_KEYS=NEW,
    )
    assert "orders.W001" in result.stderr
