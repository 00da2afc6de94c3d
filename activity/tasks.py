"""Background work of the activity app (inline when no broker is configured)."""

from celery import shared_task

from activity.retention import retention_run
from activity.services import page_views_store


@shared_task
def store_page_views(views: list[dict]) -> None:
    """A batch of page views from a web process's buffer (activity.page_view_buffer)."""
    page_views_store(views=views)


@shared_task
def apply_activity_retention() -> None:
    """The scheduled retention job (CELERY_BEAT_SCHEDULE): see activity.retention."""
    retention_run()
