"""The API's rate limits: anonymous clients by address ("anon" rate), members by
account ("user" rate). An address is the one bestqm.http.client_ip works out, as for sign-in
lockouts and page views: X-Forwarded-For is believed for TRUSTED_PROXY_COUNT hops only,
so a client that writes its own header does not get a fresh counter."""

from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from bestqm.http.client_ip import client_ip


class _ByClientAddress:
    def get_ident(self, request):
        return client_ip(request) or request.META.get("REMOTE_ADDR", "")


class VisitorRateThrottle(_ByClientAddress, AnonRateThrottle):
    """The anonymous limit, per client address."""


class MemberRateThrottle(_ByClientAddress, UserRateThrottle):
    """The members' limit, for signed-in members only. DRF's UserRateThrottle counts
    anonymous requests too, by address, beside the anonymous limit: a second counter
    (two more cache round trips on every anonymous request) that could only ever bite
    if the anonymous rate were set above the members'."""

    def get_cache_key(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return None
        return super().get_cache_key(request, view)
