"""Encryption of card numbers a member keeps for re-use.

Keys come from the environment (CARD_ENCRYPTION_KEYS, comma-separated Fernet keys). The
first key encrypts; every key decrypts, so a new key is put first, the service keeps
reading rows written under the old one, and `manage.py rotate_card_keys` re-encrypts the
rows in batches while the site runs. Once it reports nothing left under an old key, that
key can be dropped from the list.

The MultiFernet is built from the settings on each use rather than cached at import, so a
changed key list (a deployment, a test's override) takes effect at once; building it is a
few base64 decodes.
"""

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

NO_KEYS = (
    "CARD_ENCRYPTION_KEYS is not set: cards cannot be kept for re-use. "
    "See .env.example for how to generate a key."
)


class CardNumberUnreadable(Exception):
    """A stored number that none of the configured keys decrypts (its key was dropped
    before the rows were re-encrypted)."""


def vault_configured() -> bool:
    return bool(settings.CARD_ENCRYPTION_KEYS)


def _fernets() -> list[Fernet]:
    if not settings.CARD_ENCRYPTION_KEYS:
        raise ImproperlyConfigured(NO_KEYS)
    return [Fernet(key) for key in settings.CARD_ENCRYPTION_KEYS]


def encrypt_card_number(digits: str) -> str:
    return MultiFernet(_fernets()).encrypt(digits.encode("ascii")).decode("ascii")


def decrypt_card_number(token: str) -> str:
    try:
        return MultiFernet(_fernets()).decrypt(token.encode("ascii")).decode("ascii")
    except InvalidToken as exc:
        raise CardNumberUnreadable from exc


def encrypted_under_current_key(token: str) -> bool:
    try:
        _fernets()[0].decrypt(token.encode("ascii"))
    except InvalidToken:
        return False
    return True


def reencrypt_under_current_key(token: str) -> str:
    """The same number, encrypted under the first key (MultiFernet.rotate)."""
    try:
        return MultiFernet(_fernets()).rotate(token.encode("ascii")).decode("ascii")
    except InvalidToken as exc:
        raise CardNumberUnreadable from exc
