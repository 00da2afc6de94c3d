"""Background work of the privacy app; inline when no broker is configured."""

from celery import shared_task
from django.core.mail import send_mail
from django.template.loader import render_to_string

from privacy.models import DataRequest

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


@shared_task
def build_export(request_id: int) -> None:
    from privacy.data_request_services import export_build

    export_build(request_id=request_id)


@shared_task
def run_due_erasures() -> int:
    from privacy.data_request_services import deletions_run_due

    return deletions_run_due()


@shared_task
def expire_exports() -> int:
    from privacy.data_request_services import exports_expire

    return exports_expire()
