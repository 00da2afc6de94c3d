"""Anonymous reads of the directory, its API and public profiles, served from the cache
and invalidated exactly.

Every entry carries the *directory generation*, a token stored in the cache next to the
entries, and is served only while that token is current. A change a visitor could see (a
profile edit, a field removed, a visibility changed, a profile unlisted or removed, a
member erased or leaving) calls `directory_changed()`, which replaces the token at once
and again when the change commits: the very next request reads the new token and so
refuses every entry made before it.

A request reads the generation *before* it runs its query. A request that started before
a change and finishes after it stores its (old) rows with the old token, which nobody
accepts any more; it can never store them with the new one.

A visitor's whole page (`public_page`) is kept too, for visitors whose page holds nothing
of their own: no messages, no session, no remembered search. The one thing of theirs it
may hold, the CSRF token of the cookie banner's form, is kept as a mark and replaced with
the visitor's own token each time the page is served.

When the cache cannot be reached, pages are made uncached (and a change that could not
replace the token is logged; entries expire after PUBLIC_CACHE_SECONDS at the latest).
"""

import hashlib
import logging
import re
import secrets
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language

ALIAS = "public"
MESSAGES_COOKIE = CookieStorage.cookie_name
GENERATION_KEY = "directory:generation"

log = logging.getLogger(__name__)


def _cache():
    return caches[ALIAS]


def _bump() -> None:
    try:
        _cache().set(GENERATION_KEY, secrets.token_hex(8), timeout=None)
    except Exception:
        log.error(
            "public cache unreachable: the directory generation was not replaced; cached "
            "pages expire within PUBLIC_CACHE_SECONDS",
            exc_info=True,
        )


def directory_changed() -> None:
    """Something a visitor could see in the directory or on a profile changes: every
    cached public read is stale. Replaced now and again once the transaction commits: a
    request between the two reads the rows still committed and stores them under the
    token the commit replaces; a rolled-back change costs one refill."""
    _bump()
    transaction.on_commit(_bump, robust=True)


def query_key(kind: str, request, variant: str = "") -> str:
    """The normalised query: parameters sorted by name (each name's values in their
    order, which decides which one counts), with the host and scheme the links name, the
    language and the date (an age changes at midnight)."""
    query = urlencode(sorted(request.GET.lists()), doseq=True)
    parts = (
        kind,
        variant,
        get_language() or "",
        timezone.localdate().isoformat(),
        request.scheme,
        request.get_host(),
        request.path,
        query,
    )
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    return f"{kind}:{digest}"


def _read(key: str) -> tuple[str, Any]:
    """The current generation and what `key` holds for it (None if nothing, or only a
    value of an older generation), in one round trip. Raises if the cache is away."""
    cache = _cache()
    found = cache.get_many([GENERATION_KEY, key])
    token = found.get(GENERATION_KEY)
    if token is None:  # first use, or evicted: a fresh token orphans every entry
        cache.add(GENERATION_KEY, secrets.token_hex(8), timeout=None)
        return cache.get(GENERATION_KEY), None
    entry = found.get(key)
    if entry is not None and entry[0] == token:
        return token, entry[1]
    return token, None


def public_read(kind: str, request, make: Callable[[], tuple[Any, bool]], variant="") -> Any:
    """What `make()` returns, from the cache when it holds it for this request's query
    and the current generation. `make` returns (value, keep): a value not to keep (an
    error page, a refused query) is never stored.

    An entry is stored with the generation read *before* `make()` ran (see the module's
    docstring), and served only while that generation is current; the generation and the
    entry are read together, so a hit is one round trip to the cache."""
    key = query_key(kind, request, variant)
    try:
        token, found = _read(key)
    except Exception:
        log.warning("public cache unreachable; serving uncached", exc_info=True)
        return make()[0]
    if found is not None:
        return found
    value, keep = make()
    if keep:
        try:
            _cache().set(key, (token, value), timeout=settings.PUBLIC_CACHE_SECONDS)
        except Exception:
            log.warning("public cache unreachable; not stored", exc_info=True)
    return value


# The hidden input {% csrf_token %} makes; its value is the visitor's own.
_CSRF_INPUT = re.compile(r'(<input type="hidden" name="csrfmiddlewaretoken" value=")([^"]*)(")')
_CSRF_MARK = "\x00csrf\x00"


def _page_variant(request) -> str | None:
    """Which kept page this visitor may be served ("ask": the cookie banner shows;
    "chosen": it does not), or None if their page holds something of their own."""
    if getattr(request, "user", None) is None or request.user.is_authenticated:
        return None
    if settings.SESSION_COOKIE_NAME in request.COOKIES or MESSAGES_COOKIE in request.COOKIES:
        return None  # messages (a signed-out notice) live there
    consent = getattr(request, "consent", None)
    if consent is None:
        return "ask"
    if consent.allows_interest:
        return None  # the page may offer their remembered search
    return "chosen"


def public_page(kind: str, request, make: Callable[[], HttpResponse]) -> HttpResponse:
    """The anonymous page `make()` answers, from the cache when it holds it for this
    query, kind of visitor and the current generation; an answer other than 200 is
    never kept. A visitor whose page is their own (see _page_variant) gets `make()`."""
    variant = _page_variant(request)
    if variant is None:
        return make()

    def made() -> tuple[tuple[str, bytes] | HttpResponse, bool]:
        response = make()
        if response.status_code != 200 or response.streaming:
            return response, False
        body = _CSRF_INPUT.sub(rf"\g<1>{_CSRF_MARK}\g<3>", response.content.decode())
        return (response["Content-Type"], body.encode()), True

    page = public_read(f"{kind}-whole", request, made, variant=variant)
    if isinstance(page, HttpResponse):
        return page
    content_type, body = page
    if _CSRF_MARK.encode() in body:
        body = body.replace(_CSRF_MARK.encode(), get_token(request).encode())
    return HttpResponse(body, content_type=content_type)
