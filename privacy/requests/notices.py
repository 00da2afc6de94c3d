"""The e-mails that tell a member how their data request is going."""

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


def data_request_notice_send(*, request_id: int, notice: str, address: str = "") -> None:
    """E-mail the member one notice about their request (a background task). `address` is
    given when the account's own address is erased by the time this runs."""
    request = DataRequest.objects.select_related("member").filter(pk=request_id).first()
    if request is None:
        return
    if not address and request.member.email_verified_at is None:
        return  # an unconfirmed account gets no mail; the privacy centre shows the request
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
