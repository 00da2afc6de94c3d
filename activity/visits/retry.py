"""Page views that could not be written wait here and are tried again.

A batch the database refuses with an outage (OperationalError, InterfaceError: the
server restarting, the connection gone) is kept in this process's memory, oldest first,
and written ahead of the next batch once ACTIVITY_PAGE_VIEW_RETRY_SECONDS have passed
(a quiet process's next request, /healthz included, tries too). At most
ACTIVITY_PAGE_VIEW_RETRY_ROWS views wait per process (about 300 bytes each); past that
the oldest are dropped. Every dropped view is counted in the cache (shared by every
process when REDIS_URL is set), reported in /healthz's detail for staff, and logged as a
warning. A count the cache cannot take (Redis away too) is kept in the process and added
at the next chance, so an outage of both loses no count.

A batch refused for its content (a DataError) is not retried: it would be refused again.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque

from django.conf import settings
from django.core.cache import cache
from django.db import InterfaceError, OperationalError

logger = logging.getLogger(__name__)

DROPPED_KEY = "activity:page-views-dropped"
OUTAGE = (OperationalError, InterfaceError)


class WaitingViews:
    def __init__(self):
        self._lock = threading.Lock()
        self._views: deque[dict] = deque()
        self._next_try = 0.0

    def __len__(self) -> int:
        return len(self._views)

    def ready(self) -> bool:
        """Whether views wait and their next try is due (no lock: a cheap check)."""
        return bool(self._views) and time.monotonic() >= self._next_try

    def keep(self, views: list[dict]) -> None:
        """Keep views that could not be written, ahead of any newer ones; drops the
        oldest past the bound and counts them."""
        if not views:
            return
        with self._lock:
            self._views.extendleft(reversed(views))
            self._next_try = time.monotonic() + settings.ACTIVITY_PAGE_VIEW_RETRY_SECONDS
            dropped = 0
            while len(self._views) > settings.ACTIVITY_PAGE_VIEW_RETRY_ROWS:
                self._views.popleft()
                dropped += 1
        if dropped:
            total = _count_dropped(dropped)
            logger.warning(
                "%d page views were dropped: %d already wait for the database in this "
                "process (ACTIVITY_PAGE_VIEW_RETRY_ROWS); %s dropped in all.",
                dropped,
                settings.ACTIVITY_PAGE_VIEW_RETRY_ROWS,
                total if total is not None else "an unknown number",
            )

    def take(self) -> list[dict]:
        """Every waiting view if its next try is due, else []."""
        if not self.ready():
            return []
        with self._lock:
            views = list(self._views)
            self._views.clear()
        return views

    def clear(self) -> None:
        """Forget what waits, and any count of drops the cache has not taken (tests)."""
        with self._lock:
            self._views.clear()
            self._next_try = 0.0
        _uncounted.take()


waiting_views = WaitingViews()


class _UncountedDrops:
    """Dropped views the cache has not taken yet (it was away when they were dropped)."""

    def __init__(self):
        self._lock = threading.Lock()
        self.count = 0

    def add(self, count: int) -> int:
        with self._lock:
            self.count += count
            return self.count

    def take(self) -> int:
        with self._lock:
            count, self.count = self.count, 0
            return count


_uncounted = _UncountedDrops()


def _count_dropped(count: int) -> int | None:
    """Add `count` (and any count the cache missed before) to the shared total; returns
    the total, or None when the cache is away (the count then waits here)."""
    count += _uncounted.take()
    try:
        if cache.add(DROPPED_KEY, count, timeout=None):
            return count
        return cache.incr(DROPPED_KEY, count)
    except Exception as exc:  # the cache is down too: the count waits for it
        waiting = _uncounted.add(count)
        logger.warning(
            "%d dropped page views could not be counted yet (%s).", waiting, type(exc).__name__
        )
        return None


def dropped_total() -> int | None:
    """Page views dropped since the count began (None when the cache cannot say); counts
    this process kept while the cache was away are added first."""
    if _uncounted.count and _count_dropped(0) is None:
        return None
    try:
        return cache.get(DROPPED_KEY, 0)
    except Exception:
        return None


def store_or_keep(views: list[dict]) -> int:
    """Write the waiting views that are due and then `views`; on an outage keep them all
    for the next try. Returns how many were written."""
    from activity.services import page_views_store

    batch = waiting_views.take() + list(views)
    if not batch:
        return 0
    try:
        return page_views_store(views=batch)
    except OUTAGE as exc:
        waiting_views.keep(batch)
        logger.warning(
            "%d page views wait for the database (%s); tried again in %s s.",
            len(batch),
            type(exc).__name__,
            settings.ACTIVITY_PAGE_VIEW_RETRY_SECONDS,
        )
        return 0
