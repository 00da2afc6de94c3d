"""Distinct visitors without keeping who they were.

Each page view carries a 128-bit BLAKE2b of its address and browser header, keyed with
the salt of its day (keyed BLAKE2 is a MAC, like HMAC, and a few times cheaper, which
counts once per page view). The salt is random, kept in the database (never sent
anywhere), made on the first view of a day and deleted when that day is rolled up. Until
then, two views with the same hash came from the same visitor that day; afterwards nobody
can recompute a hash from an address, not even by trying every IPv4 address. Because the
salt changes every day, a visitor cannot be followed from one day to the next through the
hash, so a week's "distinct visitors" is the sum of its days' (visitor-days).
"""

import hashlib
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


# The current day's salt, so that a batch of views costs no database read. Only the
# current day's: a past day's salt is read afresh, and the copy here is replaced as soon as
# a batch of a new day comes, so it never outlives the day it serves by more than that.
_current: dict[date, bytes] = {}


def day_salt(day: date, *, today: date) -> bytes:
    salt = _current.get(day) if day == today else None
    if salt is None:
        salt = salt_of(day)
        if day == today:
            _current.clear()
            _current[day] = salt
    return salt


def visitor_hash(salt: bytes, *, ip_address: str | None, user_agent: str) -> str:
    message = f"{ip_address or ''}\n{user_agent}".encode()
    return hashlib.blake2b(message, key=salt, digest_size=_HASH_BYTES).hexdigest()
