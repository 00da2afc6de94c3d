"""Re-entering the password to confirm a step (a deletion, a password change, an API data
request) is a sign-in attempt like any other: it goes through the same authentication
backends, so a wrong password counts toward both lockouts (django-axes per login name and
address, accounts.address_lockout per address), and a locked-out caller is refused even
with the right password. A stolen session or token cannot guess at hundreds a minute."""

from django.contrib.auth import authenticate
from django.http import HttpRequest


def password_reentry_check(*, request, user, password: str) -> bool:
    http_request = request if isinstance(request, HttpRequest) else request._request
    checked = authenticate(http_request, username=user.login_name, password=password or "")
    return checked is not None and checked.pk == user.pk
