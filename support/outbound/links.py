"""Links to other sites ('Links'). Every one goes through our notice page, which says that
this privacy statement no longer applies there. The target rides in the notice page's
address signed with the secret key, so the page sends nobody anywhere we did not link to
(it is not an open redirect)."""

from urllib.parse import urlencode, urlsplit

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.urls import reverse

_SALT = "support.outbound"
_is_web_address = URLValidator(schemes=["http", "https"])


def is_outbound_url(url) -> bool:
    try:
        _is_web_address(url)
    except ValidationError:
        return False
    return True


def outbound_path(url: str) -> str:
    """The notice page's address for a link to `url` (an http or https address)."""
    if not is_outbound_url(url):
        raise ValueError("Only http and https addresses can be linked to.")
    return f"{reverse('support:leaving')}?{urlencode({'to': signing.dumps(url, salt=_SALT)})}"


def outbound_target(token: str) -> str | None:
    """The address a notice page link was made for, or None if we did not make it."""
    try:
        url = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        return None
    return url if isinstance(url, str) and is_outbound_url(url) else None


def host_of(url: str) -> str:
    return urlsplit(url).hostname or url
