"""Scheduled jobs: at most one run at a time, across every worker.

The recipe from Celery's documentation ("Ensuring a task is only executed one at a time"):
the lock is a cache key added atomically (SET NX on Redis, when REDIS_URL is set) that
expires on its own, so a worker killed mid-run blocks the job for `timeout` seconds at
most. Every job guarded here is also safe to run twice at once: the lock saves a second
worker from repeating the first one's work; it does not carry correctness. With the
local-memory cache (no REDIS_URL) it covers one process only.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import TypeVar
from uuid import uuid4

from celery import shared_task
from django.core.cache import cache

T = TypeVar("T")

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


def scheduled_job(*, lock: str, time_limit: int):
    """A long scheduled job (a retention run) as a Celery task: acknowledged only when
    done, so a job whose worker died is run again; cut short after `time_limit` seconds
    (keep it under the broker's visibility timeout, settings'
    CELERY_BROKER_TRANSPORT_OPTIONS); and run by one worker at a time: a run that finds
    another one going returns None and leaves the work to it. Every job so guarded only
    looks for what is left, so a run cut short is finished by the next."""

    def decorate(run: Callable[[], T]) -> Callable[[], T | None]:
        @shared_task(
            acks_late=True,
            reject_on_worker_lost=True,
            soft_time_limit=time_limit,
            time_limit=time_limit + 60,
        )
        @wraps(run)
        def job() -> T | None:
            with single_run(lock, timeout=time_limit + 60) as mine:
                return run() if mine else None

        return job

    return decorate
