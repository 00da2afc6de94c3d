"""Page views wait in a small per-process buffer and are written a batch at a time.

Writing each view as it is served would cost every page an INSERT and a commit (a disk
flush: on SQLite that alone is several times the time of a simple page). Instead the
middleware appends the view to this buffer, which costs microseconds, and the batch is
handed on when the buffer holds ACTIVITY_PAGE_VIEW_BATCH_SIZE views, or when its oldest
view is older than ACTIVITY_PAGE_VIEW_BATCH_SECONDS at the next request (any request,
/healthz included, so a load balancer's checks flush a quiet process). The request that
fills the buffer writes it, with or without a Celery broker: COPY on PostgreSQL, one
multi-row INSERT elsewhere (bench/activity_middleware.py has the cost, about 2.5 ms a
batch of 100: a fortieth of a millisecond a view).

Batches once went to a Celery task when a broker was configured. Redis, which keeps
nothing on disk, lost every batch it held when it stopped (bench/fault_run.py: 583 of
13,810 views gone and not counted), and a batch in the database's place is the row the
outbox would have written anyway; so the broker is left out of it.

A batch the database cannot take during an outage waits in this process and is tried
again, up to a bound (activity/visits/retry.py).

A process that is killed loses what its buffer holds (at most one batch, a few seconds of
views): the price of not writing in every request. A process that exits normally writes
it (atexit), but only into the database the views were recorded against: a test run that
switches databases never spills into the developer's one.
"""

import atexit
import logging
import threading
import time

from django.conf import settings
from django.db import connections

from activity.visits.retry import store_or_keep, waiting_views

logger = logging.getLogger(__name__)


def _database_name() -> str:
    return str(connections["default"].settings_dict["NAME"])


class PageViewBuffer:
    def __init__(self):
        self._lock = threading.Lock()
        self._views: list[dict] = []
        self._oldest = 0.0
        self._database = ""

    def __len__(self) -> int:
        return len(self._views)

    def add(self, view: dict) -> list[dict]:
        """Buffer one view; returns the batch to write when one is due, else []."""
        with self._lock:
            if not self._views:
                self._oldest = time.monotonic()
                self._database = _database_name()
            self._views.append(view)
            return self._take_if_due()

    def due(self) -> list[dict]:
        """The batch to write if the buffer's oldest view has waited long enough."""
        if not self._views:  # the common case: no lock taken
            return []
        with self._lock:
            return self._take_if_due()

    def drain(self) -> list[dict]:
        """Everything buffered, now (tests, process exit)."""
        with self._lock:
            return self._take()

    def recorded_here(self) -> bool:
        """Whether the buffered views belong to the database Django now points at."""
        return not self._views or self._database == _database_name()

    def _take_if_due(self) -> list[dict]:
        full = len(self._views) >= settings.ACTIVITY_PAGE_VIEW_BATCH_SIZE
        waited = time.monotonic() - self._oldest >= settings.ACTIVITY_PAGE_VIEW_BATCH_SECONDS
        return self._take() if self._views and (full or waited) else []

    def _take(self) -> list[dict]:
        here = self.recorded_here()
        views, self._views = self._views, []
        if not here:
            logger.warning(
                "%d page views were recorded against another database; not written.",
                len(views),
            )
            return []
        return views


page_view_buffer = PageViewBuffer()


def hand_off(views: list[dict]) -> None:
    """Write a batch, and the views waiting since an outage if their try is due; what
    the database will not take now waits and is tried again (visits/retry.py)."""
    if views or waiting_views.ready():
        store_or_keep(views)


def flush_page_views() -> int:
    """Write whatever the buffer holds now; returns how many views."""
    views = page_view_buffer.drain()
    hand_off(views)
    return len(views)


def _flush_at_exit() -> None:
    if not page_view_buffer.recorded_here():
        return  # a test run that has switched back; its views have nowhere to go
    try:
        flush_page_views()
    except Exception as exc:  # the process is going away; say so and let it
        logger.warning("Buffered page views were lost at exit (%s).", type(exc).__name__)


atexit.register(_flush_at_exit)
