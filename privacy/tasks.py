"""Background work of the privacy app; inline when no broker is configured. Tasks are
thin: each imports its service inside its body and calls it with keys; services queue
them once their transaction commits."""

from celery import shared_task

from bestqm.jobs import scheduled_job

# Under EXPORT_BUILD_LEASE (30 minutes), after which a build in progress counts as lost,
# and under the broker's visibility timeout (settings: CELERY_BROKER_TRANSPORT_OPTIONS).
EXPORT_BUILD_TIME_LIMIT = 25 * 60
# Under the broker's visibility timeout (settings: CELERY_BROKER_TRANSPORT_OPTIONS).
RETENTION_TIME_LIMIT = 50 * 60


@shared_task(sends_mail=True)
def send_data_request_notice(request_id: int, notice: str, address: str = "") -> None:
    from privacy.requests.notices import data_request_notice_send

    data_request_notice_send(request_id=request_id, notice=notice, address=address)


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
    """Scheduled: one erasure task per member whose grace period has ended."""
    from privacy.requests.deletions import deletions_queue_due

    return deletions_queue_due()


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


@shared_task(sends_mail=True)
def send_legal_notice(request_id: int, member_id: int) -> bool:
    """E-mail one member whose data a delivered request disclosed; returns whether sent."""
    from privacy.legal.notice_mail import legal_notice_mail

    return legal_notice_mail(request_id=request_id, member_id=member_id)


@shared_task
def run_legal_schedule() -> dict:
    from privacy.legal.schedule import legal_schedule_run

    return legal_schedule_run()


# --- retention ------------------------------------------------------------------------


@scheduled_job(lock="privacy-retention", time_limit=RETENTION_TIME_LIMIT)
def apply_privacy_retention() -> dict[str, int]:
    """Daily: sign-in attempts, expired sessions and tokens, the admin's log, the audit log."""
    from privacy.retention import privacy_retention_apply

    return privacy_retention_apply().as_dict()
