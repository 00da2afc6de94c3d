"""Background work of the activity app (inline when no broker is configured)."""

from celery import shared_task

from activity.retention import retention_run
from activity.services import page_views_store
from bestqm.jobs import single_run

# Under the broker's visibility timeout (settings: CELERY_BROKER_TRANSPORT_OPTIONS).
RETENTION_TIME_LIMIT = 50 * 60


@shared_task
def store_page_views(views: list[dict]) -> None:
    """A batch of page views from a web process's buffer (activity.visits.buffer)."""
    page_views_store(views=views)


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=RETENTION_TIME_LIMIT,
    time_limit=RETENTION_TIME_LIMIT + 60,
)
def apply_activity_retention() -> bool:
    """The scheduled retention job (CELERY_BEAT_SCHEDULE): see activity.retention. Every
    step only looks for what is left, so a run cut short is finished by the next; a run
    that finds another one going returns False and leaves the work to it."""
    with single_run("activity-retention", timeout=RETENTION_TIME_LIMIT + 60) as mine:
        if mine:
            retention_run()
        return mine
