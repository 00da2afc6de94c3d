"""Limits on every form and API operation that sends mail or creates a record.

Each limit is a number of requests per period (RATE_LIMITS, "signup": "5/hour"), counted
separately for the client's address, the signed-in account and, where the form names
one, the e-mail address it would write to: a flood from many addresses at one mailbox is
stopped by the mailbox's counter, a flood from one address at many mailboxes by the
address's. Beyond the limit the request is refused before the view runs, so nothing is
created and no mail is sent: a page answers 429 with the "slow down" page, the API its
error shape (code "throttled"); both say when to try again in `Retry-After`.

The counters live in the Django cache (Redis in production, shared by every web process)
under keyed hashes, so the cache holds no raw address or e-mail address; a window starts
at the first request and is not extended by later ones. A refused request counts too: a
flood keeps itself refused.
"""

import hashlib
import hmac
import math
import time
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.shortcuts import render
from rest_framework.exceptions import Throttled
from rest_framework.request import Request

from bestqm.http.client_ip import client_ip

TOO_MANY = (
    "You have done this too often in a short time. Please wait {wait} and try again; "
    "nothing was sent or saved this time."
)
_PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}


@dataclass(frozen=True)
class Limit:
    count: int
    seconds: int

    @classmethod
    def parse(cls, rate: str) -> "Limit":
        count, _, period = rate.partition("/")
        return cls(int(count), _PERIODS[period.strip().rstrip("s")])


class RateLimited(Exception):
    def __init__(self, retry_after: int):
        super().__init__(f"rate limited for {retry_after}s")
        self.retry_after = retry_after


def limit_of(name: str) -> Limit:
    return Limit.parse(settings.RATE_LIMITS[name])


def _digest(value: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()[:32]


def _keys(name: str, request, email: str | None) -> list[str]:
    keys = []
    address = client_ip(request)
    if address:
        keys.append(f"rate:{name}:ip:{_digest(address)}")
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        keys.append(f"rate:{name}:account:{user.pk}")
    if email:
        keys.append(f"rate:{name}:email:{_digest(email.strip().lower())}")
    return keys


def rate_limit_spend(name: str, request, *, email: str | None = None) -> None:
    """Count one request against every counter it falls under; raise RateLimited when
    any of them is past the limit. Counting is the cache's atomic increment, so parallel
    requests from a flood cannot all slip in under one count."""
    limit = limit_of(name)
    now = time.time()
    over_until = []
    for key in _keys(name, request, email):
        cache.add(f"{key}:ends", now + limit.seconds, timeout=limit.seconds)
        cache.add(key, 0, timeout=limit.seconds)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr: this request starts a window
            cache.add(key, 1, timeout=limit.seconds)
            count = 1
        if count > limit.count:
            over_until.append(cache.get(f"{key}:ends", now + limit.seconds))
    if over_until:
        raise RateLimited(max(1, math.ceil(max(over_until) - now)))


def _request_of(args) -> HttpRequest | Request:
    return next(a for a in args if isinstance(a, HttpRequest | Request))


def rate_limited(name: str, *, email_field: str | None = None):
    """Decorate a view (a function, a method of an APIView, or with method_decorator)
    whose POST (or other write) sends mail or creates a record; `email_field` names the
    form or JSON field holding the e-mail address it would write to, counted too."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            request = _request_of(args)
            if request.method not in ("GET", "HEAD", "OPTIONS"):
                data = request.data if isinstance(request, Request) else request.POST
                email = data.get(email_field) if email_field and hasattr(data, "get") else None
                try:
                    rate_limit_spend(name, request, email=email if isinstance(email, str) else None)
                except RateLimited as exc:
                    if isinstance(request, Request):
                        raise Throttled(wait=exc.retry_after) from None
                    return too_many_requests(request, exc.retry_after)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def _wait_text(seconds: int) -> str:
    if seconds < 90:
        return f"{seconds} seconds"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minutes" if minutes < 90 else f"{math.ceil(minutes / 60)} hours"


def too_many_requests(request, retry_after: int):
    response = render(
        request,
        "429.html",
        {"message": TOO_MANY.format(wait=_wait_text(retry_after))},
        status=429,
    )
    response["Retry-After"] = str(retry_after)
    return response
