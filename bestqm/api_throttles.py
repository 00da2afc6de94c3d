"""The API's rate limits: anonymous clients by address ("anon" rate), members by
account ("user" rate)."""

from rest_framework.throttling import UserRateThrottle


class MemberRateThrottle(UserRateThrottle):
    """The members' limit, for signed-in members only. DRF's UserRateThrottle counts
    anonymous requests too, by address, beside the anonymous limit: a second counter
    (two more cache round trips on every anonymous request) that could only ever bite
    if the anonymous rate were set above the members'."""

    def get_cache_key(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return None
        return super().get_cache_key(request, view)
