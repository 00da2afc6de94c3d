"""The client's address, as far as the deployment lets us know it.

Hand-written because the rule is one line of configuration: trust X-Forwarded-For only for
as many hops as there are proxies we run (TRUSTED_PROXY_COUNT); otherwise REMOTE_ADDR.
A client can put anything in that header, so trusting it blindly would let an attacker
dodge sign-in lockout or plant someone else's address in the audit log.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    candidate = request.META.get("REMOTE_ADDR", "")
    hops = settings.TRUSTED_PROXY_COUNT
    if hops > 0:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [p for p in forwarded if p]
        if len(forwarded) >= hops:
            candidate = forwarded[-hops]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None


def client_ip_for_axes(request: HttpRequest) -> str | None:
    # None, not a placeholder string: PostgreSQL stores axes' addresses as inet.
    return client_ip(request)
