"""Background work of the activity app (inline when no broker is configured). Tasks are
thin: each imports its service inside its body and calls it.

Page views are not background work: the web process that buffered them writes them
(activity/visits/buffer.py says why)."""

from bestqm.jobs import scheduled_job

# Under the broker's visibility timeout (settings: CELERY_BROKER_TRANSPORT_OPTIONS).
RETENTION_TIME_LIMIT = 50 * 60


@scheduled_job(lock="activity-retention", time_limit=RETENTION_TIME_LIMIT)
def apply_activity_retention() -> bool:
    """The scheduled retention job (CELERY_BEAT_SCHEDULE): see activity.retention."""
    from activity.retention import retention_run

    retention_run()
    return True
