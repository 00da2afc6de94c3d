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

from collections.abc import Iterable

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

NO_KEYS = (
    "CARD_ENCRYPTION_KEYS is not set: cards cannot be kept for re-use. "
    "See .env.example for how to generate a key."
)


# DEBUG and the tests fall back to it; it is refused anywhere else.
DEVELOPMENT_KEY = "psAOjwyF-zY7upP1jMcdglyeM5nqIORWqInEZiaM0BM="


def card_encryption_keys(configured: Iterable[str], *, development: bool) -> list[str]:
    """The keys settings.CARD_ENCRYPTION_KEYS holds, checked when the settings load: with
    none configured, the development key in development and the tests, and a refusal to
    start anywhere else; the development key, or anything that is not a Fernet key, is
    refused outside development (naming the key's position, never its value)."""
    keys = [key.strip() for key in configured if key.strip()]
    if not keys and development:
        return [DEVELOPMENT_KEY]
    if DEVELOPMENT_KEY in keys and not development:
        raise ImproperlyConfigured(
            "Refusing to start with DEBUG off: CARD_ENCRYPTION_KEYS holds the development "
            "key. Generate a key (see .env.example)."
        )
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except (ValueError, TypeError):
            raise ImproperlyConfigured(
                f"CARD_ENCRYPTION_KEYS: key {position} is not a Fernet key "
                "(32 url-safe base64-encoded bytes; see .env.example)."
            ) from None
    if not keys:
        raise ImproperlyConfigured(
            "Refusing to start with DEBUG off: CARD_ENCRYPTION_KEYS must hold at least one "
            "Fernet key (see .env.example)."
        )
    return keys


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
