"""Distinct visitors without keeping who they were.

Each page view carries HMAC-SHA256(salt of its day, address + browser header), cut to 128
bits. The salt is random, kept in the database (never sent anywhere), made on the first
view of a day and deleted when that day is rolled up. Until then, two views with the
same hash came from the same visitor that day; afterwards nobody can recompute a hash
from an address, not even by trying every IPv4 address. Because the salt changes every
day, a visitor cannot be followed from one day to the next through the hash, so a week's
"distinct visitors" is the sum of its days' (visitor-days).
"""

import hashlib
import hmac
import secrets
from datetime import date

from django.db import IntegrityError, transaction

from activity.models import VisitorSalt

_SALT_BYTES = 32
_HASH_BYTES = 16


def salt_of(day: date) -> bytes:
    """The day's salt, made on first use. Read from the database each time (once per
    batch of page views), never cached: a copy in memory would outlive its deletion."""
    row = VisitorSalt.objects.filter(day=day).first()
    if row is None:
        try:
            with transaction.atomic():
                row = VisitorSalt.objects.create(day=day, salt=secrets.token_bytes(_SALT_BYTES))
        except IntegrityError:  # another process made it first
            row = VisitorSalt.objects.get(day=day)
    return bytes(row.salt)


def visitor_hash(*, salt: bytes, ip_address: str | None, user_agent: str) -> str:
    message = f"{ip_address or ''}\n{user_agent}".encode()
    return hmac.new(salt, message, hashlib.sha256).digest()[:_HASH_BYTES].hex()
