"""Background work of the activity app (inline when no broker is configured). Tasks are
thin: each imports its service inside its body and calls it."""

from celery import shared_task

from bestqm.jobs import scheduled_job

# Under the broker's visibility timeout (settings: CELERY_BROKER_TRANSPORT_OPTIONS).
RETENTION_TIME_LIMIT = 50 * 60


# Acknowledged when written (or kept): a worker killed with the batch hands it back.
@shared_task(acks_late=True, reject_on_worker_lost=True)
def store_page_views(views: list[dict]) -> int:
    """A batch of page views from a web process's buffer (activity.visits.buffer). With
    the database away it waits in this worker, bounded (activity.visits.retry)."""
    from activity.visits.retry import store_or_keep

    return store_or_keep(views)


@shared_task
def retry_page_views() -> int:
    """Scheduled: write the page views waiting in this worker since an outage."""
    from activity.visits.retry import store_or_keep

    return store_or_keep([])


@scheduled_job(lock="activity-retention", time_limit=RETENTION_TIME_LIMIT)
def apply_activity_retention() -> bool:
    """The scheduled retention job (CELERY_BEAT_SCHEDULE): see activity.retention."""
    from activity.retention import retention_run

    retention_run()
    return True
