"""The API's rate limits: anonymous clients by address ("anon" rate), members by
account ("user" rate). An address is the one bestqm.http.client_ip works out, as for sign-in
lockouts and page views: X-Forwarded-For is believed for TRUSTED_PROXY_COUNT hops only,
so a client that writes its own header does not get a fresh counter.

Requests are counted in fixed windows of the rate's period, and a request is let through
while this window's count plus the share of the last window's count that still lies in
the past period is within the rate (a sliding-window counter). That is one round trip to
Redis (INCR this window, EXPIRE it, GET the last, pipelined) and two numbers per client.
DRF's own throttle keeps the time of every request of the period in a list, read and
written whole on every request: two round trips and up to the rate's count of pickled
timestamps, which was a third of a cached directory API answer (bench/directory.py).
"""

import math

from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from bestqm.http.client_ip import client_ip


def _counts(cache, current: str, previous: str, seconds: int) -> tuple[int, int]:
    """Add one to the `current` window's count; returns it and the `previous` one's."""
    client = getattr(getattr(cache, "client", None), "get_client", None)
    if client is not None:  # django-redis: one pipelined round trip
        redis = client(write=True)
        pipe = redis.pipeline(transaction=False)
        pipe.incr(cache.make_and_validate_key(current))
        pipe.expire(cache.make_and_validate_key(current), seconds)
        pipe.get(cache.make_and_validate_key(previous))
        count, _, last = pipe.execute()
        return int(count), int(last or 0)
    cache.add(current, 0, seconds)  # local memory (the embedded default, tests)
    return cache.incr(current), int(cache.get(previous, 0))


class _SlidingWindowCounter:
    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        window = int(self.now // self.duration)
        self.count, self.last = _counts(
            self.cache, f"{self.key}:{window}", f"{self.key}:{window - 1}", 2 * self.duration
        )
        self.into_window = self.now - window * self.duration
        return self._estimate(self.into_window) <= self.num_requests

    def _estimate(self, into_window: float) -> float:
        return self.last * (1 - into_window / self.duration) + self.count

    def wait(self):
        """Seconds until one more request would be let through, if none came meanwhile:
        in this window once enough of the last one's share has faded, else in the next."""
        allowed, period = self.num_requests, self.duration
        if self.count < allowed and self.last:
            fits_at = period * (1 - (allowed - 1 - self.count) / self.last)
            return max(0, math.ceil(fits_at - self.into_window))
        fits_at = period * (1 - (allowed - 1) / self.count)
        return math.ceil(period - self.into_window + max(0.0, fits_at))


class _ByClientAddress:
    def get_ident(self, request):
        return client_ip(request) or request.META.get("REMOTE_ADDR", "")


class VisitorRateThrottle(_SlidingWindowCounter, _ByClientAddress, AnonRateThrottle):
    """The anonymous limit, per client address."""


class MemberRateThrottle(_SlidingWindowCounter, _ByClientAddress, UserRateThrottle):
    """The members' limit, for signed-in members only. DRF's UserRateThrottle counts
    anonymous requests too, by address, beside the anonymous limit: a second counter
    (two more cache round trips on every anonymous request) that could only ever bite
    if the anonymous rate were set above the members'."""

    def get_cache_key(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return None
        return super().get_cache_key(request, view)
