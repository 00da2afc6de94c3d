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
    """The day's salt, made on first use."""
    row = VisitorSalt.objects.filter(day=day).first()
    if row is None:
        try:
            with transaction.atomic():
                row = VisitorSalt.objects.create(day=day, salt=secrets.token_bytes(_SALT_BYTES))
        except IntegrityError:  # another process made it first
            row = VisitorSalt.objects.get(day=day)
    return bytes(row.salt)


def visitor_hasher(salt: bytes) -> hmac.HMAC:
    """A keyed hash ready for one day's views (copied for each: cheaper than a new one)."""
    return hmac.new(salt, digestmod=hashlib.sha256)


# The current day's keyed hash, so that a batch of views costs no database read. Only the
# current day's: a past day's salt is read afresh, and the copy here is replaced as soon as
# a batch of a new day comes, so it never outlives the day it serves by more than that.
_current: dict[date, hmac.HMAC] = {}


def hasher_of(day: date, *, today: date) -> hmac.HMAC:
    hasher = _current.get(day) if day == today else None
    if hasher is None:
        hasher = visitor_hasher(salt_of(day))
        if day == today:
            _current.clear()
            _current[day] = hasher
    return hasher


def visitor_hash(hasher: hmac.HMAC, *, ip_address: str | None, user_agent: str) -> str:
    keyed = hasher.copy()
    keyed.update(f"{ip_address or ''}\n{user_agent}".encode())
    return keyed.digest()[:_HASH_BYTES].hex()
