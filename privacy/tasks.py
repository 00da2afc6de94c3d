"""Background work of the privacy app; inline when no broker is configured."""

from celery import shared_task
from django.core.mail import send_mail
from django.template.loader import render_to_string

from privacy.requests.models import DataRequest

SUBJECTS = {
    "received": "We received your {kind} request",
    "extended": "Your {kind} request needs more time",
    "cancelled": "Your {kind} request is cancelled",
    "decided": "Your {kind} request has been decided",
    "progress": "An update on your {kind} request",
    "completed": "Your {kind} request is complete",
}


@shared_task
def send_data_request_notice(request_id: int, notice: str, address: str = "") -> None:
    request = DataRequest.objects.select_related("member").filter(pk=request_id).first()
    if request is None:
        return
    kind = request.get_kind_display().split(" ")[0].lower()
    send_mail(
        subject=SUBJECTS[notice].format(kind=kind),
        message=render_to_string(
            "privacy/email/data_request_notice.txt",
            {"request": request, "notice": notice, "items": request.items.all()},
        ),
        from_email=None,
        recipient_list=[address or request.member.email],
    )


# Under EXPORT_BUILD_LEASE (30 minutes), after which a build in progress counts as lost,
# and under the broker's visibility timeout (settings: CELERY_BROKER_TRANSPORT_OPTIONS).
EXPORT_BUILD_TIME_LIMIT = 25 * 60


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=EXPORT_BUILD_TIME_LIMIT - 60,
    time_limit=EXPORT_BUILD_TIME_LIMIT,
)
def build_export(request_id: int) -> None:
    """Build one member's export. Safe to run twice (see export_build)."""
    from privacy.requests.exports import export_build

    export_build(request_id=request_id)


@shared_task
def resume_exports() -> int:
    """Scheduled: queue again the exports whose build was lost."""
    from privacy.requests.exports import exports_resume

    return exports_resume()


@shared_task
def run_due_erasures() -> int:
    """Scheduled: one erasure task per member whose grace period has ended, so members are
    erased in parallel on every worker and one failure holds up no one else."""
    from django.utils import timezone

    from privacy.requests.selectors import deletions_due

    due = deletions_due(now=timezone.now())
    for request_id in due:
        erase_member.delay(request_id)
    return len(due)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def erase_member(request_id: int) -> bool:
    """Erase one member whose grace period has ended: one transaction, safe to run twice
    (see deletion_run_if_due); a worker that dies midway leaves nothing half done, and the
    message goes back to the broker for another worker."""
    from privacy.requests.deletions import deletion_run_if_due

    return deletion_run_if_due(request_id=request_id)


@shared_task
def expire_exports() -> int:
    from privacy.requests.exports import exports_expire

    return exports_expire()


# --- law-enforcement requests ---------------------------------------------------------


@shared_task
def build_legal_package(request_id: int) -> None:
    from privacy.legal.packages import package_build

    package_build(request_id=request_id)


@shared_task
def send_legal_notice(request_id: int) -> int:
    """E-mail each member whose data a delivered request disclosed; returns how many."""
    from privacy.legal.notice_mail import legal_notice_mail

    return legal_notice_mail(request_id=request_id)


@shared_task
def run_legal_schedule() -> dict:
    from privacy.legal.schedule import legal_schedule_run

    return legal_schedule_run()
