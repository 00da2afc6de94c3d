"""A second, wider sign-in lockout: per client address, whatever login names it tries.

django-axes locks a login name + address after AXES_FAILURE_LIMIT failures. An attacker who
tries one password on many login names from one address never trips that, so this counts
every failed sign-in per address and refuses sign-in from it after
SIGNIN_ADDRESS_FAILURE_LIMIT failures until AXES_COOLOFF_TIME has passed since the first.

Why not axes itself: its lockout parameters share one failure limit, so adding the address
alone as a parameter would lock a whole office (or a mobile carrier's shared address) out
after five typos. The count lives in the cache (Redis in production, shared by every web
process); it needs no history, only a number that expires. The key is a keyed hash of the
address, so the cache holds no raw address.

How it hooks in: `AddressLockoutBackend` comes first in AUTHENTICATION_BACKENDS, so it is
loaded (and its signal receiver connected) by the first sign-in and refuses a locked-out
address before any password is checked; `AddressLockoutMiddleware` turns that refusal into
the lockout page (429).
"""

import hashlib
import hmac

from django.conf import settings
from django.contrib.auth.backends import BaseBackend
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver

from bestqm.http.client_ip import client_ip

LOCKED_OUT = (
    "Too many failed sign-in attempts from your network. Sign-in from here is paused for "
    "{minutes} minutes. You can reset your password by e-mail in the meantime."
)
_FLAG = "signin_address_locked_out"


def _key(request) -> str | None:
    address = client_ip(request)
    if address is None:
        return None
    digest = hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256)
    return f"signin-failures:{digest.hexdigest()[:32]}"


def _cooloff_seconds() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds())


def address_locked_out(request) -> bool:
    key = _key(request)
    return key is not None and cache.get(key, 0) >= settings.SIGNIN_ADDRESS_FAILURE_LIMIT


@receiver(user_login_failed, dispatch_uid="accounts.address_lockout.count_failure")
def count_failure(sender, credentials, request=None, **kwargs):
    if request is None or getattr(request, _FLAG, False):
        return
    failure_count(request)


def failure_count(request) -> None:
    """Count one failed attempt from the request's address: a wrong password, a login no
    account could have, a wrong password re-entered to confirm a change."""
    key = _key(request)
    if key is None:
        return
    # The window starts at the first failure and is not extended by later ones.
    cache.add(key, 0, timeout=_cooloff_seconds())
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr: this failure starts a new window
        cache.add(key, 1, timeout=_cooloff_seconds())


class AddressLockoutBackend(BaseBackend):
    """Authenticates no one; refuses every attempt from a locked-out address."""

    def authenticate(self, request, **credentials):
        if request is not None and address_locked_out(request):
            setattr(request, _FLAG, True)
            raise PermissionDenied
        return None


class AddressLockoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, _FLAG, False):
            from accounts.lockout import locked_out_answer

            minutes = _cooloff_seconds() // 60
            return locked_out_answer(request, LOCKED_OUT.format(minutes=minutes))
        return response
