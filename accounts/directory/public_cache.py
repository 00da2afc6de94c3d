"""Anonymous reads of the directory, its API and public profiles, served from the cache
and invalidated exactly.

Every entry is keyed by the *directory generation*, a token stored in the cache next to
the entries. A change a visitor could see (a profile edit, a field removed, a visibility
changed, a profile unlisted or removed, a member erased or leaving) calls
`directory_changed()`, which replaces the token at once and again when the change
commits: the very next request reads the new token and so misses every entry made before
it.

A request reads the generation *before* it runs its query. A request that started before
a change and finishes after it stores its (old) rows under the old token, which nobody
reads any more; it can never store them under the new one.

When the cache cannot be reached, pages are made uncached (and a change that could not
replace the token is logged; entries expire after PUBLIC_CACHE_SECONDS at the latest).
"""

import hashlib
import logging
import secrets
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language

ALIAS = "public"
GENERATION_KEY = "directory:generation"

log = logging.getLogger(__name__)


def _cache():
    return caches[ALIAS]


def generation() -> str | None:
    """The current generation, or None when the cache cannot be reached."""
    try:
        cache = _cache()
        current = cache.get(GENERATION_KEY)
        if current is None:  # first use, or evicted: a fresh token orphans every entry
            cache.add(GENERATION_KEY, secrets.token_hex(8), timeout=None)
            current = cache.get(GENERATION_KEY)
        return current
    except Exception:
        log.warning("public cache unreachable; serving uncached", exc_info=True)
        return None


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


def _key(kind: str, token: str, request) -> str:
    """The normalised query: parameters sorted by name (each name's values in their
    order, which decides which one counts), with the host and scheme the links name, the
    language and the date (an age changes at midnight)."""
    query = urlencode(sorted(request.GET.lists()), doseq=True)
    parts = (
        kind,
        token,
        get_language() or "",
        timezone.localdate().isoformat(),
        request.scheme,
        request.get_host(),
        request.path,
        query,
    )
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    return f"{kind}:{digest}"


def public_read(kind: str, request, make: Callable[[], tuple[Any, bool]]) -> Any:
    """What `make()` returns, from the cache when it holds it for this request's query
    and the current generation. `make` returns (value, keep): a value not to keep (an
    error page, a refused query) is never stored."""
    token = generation()  # before the query: see the module's docstring
    if token is None:
        return make()[0]
    key = _key(kind, token, request)
    try:
        found = _cache().get(key)
    except Exception:
        log.warning("public cache unreachable; serving uncached", exc_info=True)
        return make()[0]
    if found is not None:
        return found
    value, keep = make()
    if keep:
        try:
            _cache().set(key, value, timeout=settings.PUBLIC_CACHE_SECONDS)
        except Exception:
            log.warning("public cache unreachable; not stored", exc_info=True)
    return value
