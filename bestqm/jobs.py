"""At most one run at a time of a scheduled job, across every worker.

The recipe from Celery's documentation ("Ensuring a task is only executed one at a time"):
the lock is a cache key added atomically (SET NX on Redis, when REDIS_URL is set) that
expires on its own, so a worker killed mid-run blocks the job for `timeout` seconds at
most. Every job guarded here is also safe to run twice at once: the lock saves a second
worker from repeating the first one's work; it does not carry correctness. With the
local-memory cache (no REDIS_URL) it covers one process only.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from uuid import uuid4

from django.core.cache import cache

KEY_PREFIX = "bestqm:single-run:"


@contextmanager
def single_run(name: str, *, timeout: int) -> Iterator[bool]:
    """Yields True when this caller holds the lock for `name`, False when another run does."""
    key = KEY_PREFIX + name
    token = uuid4().hex
    acquired = cache.add(key, token, timeout)
    try:
        yield acquired
    finally:
        # Only the holder releases, and only its own lock: one that expired and was taken
        # by the next run stays with that run.
        if acquired and cache.get(key) == token:
            cache.delete(key)
