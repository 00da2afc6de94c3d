"""The e-mail that tells a member their data was disclosed under legal process: which
categories, to which kind of authority and where; never who asked or their reference."""

from __future__ import annotations

from django.core.mail import send_mail
from django.template.loader import render_to_string

from privacy.legal.models import LegalRequest
from privacy.registry import Category
from privacy.requests.erasure import ANONYMOUS_PREFIX

SUBJECT = "We disclosed some of your data under legal process"


def legal_notice_mail(*, request_id: int, member_id: int) -> bool:
    """E-mail one member which categories of their data the request disclosed (a
    background task, one per member: its outbox row is that member's delivery record).
    Returns whether a mail went out."""
    request = LegalRequest.objects.filter(pk=request_id).first()
    if request is None or request.notice != LegalRequest.Notice.SENT:
        return False
    disclosures = list(request.disclosures.filter(member_id=member_id).select_related("member"))
    if not disclosures:
        return False
    member = disclosures[0].member
    address = member.email
    if not address or address.startswith(ANONYMOUS_PREFIX):
        return False  # erased since: there is no one left to tell
    if member.email_verified_at is None:
        return False  # an unconfirmed address is not told; the privacy centre shows it
    disclosed = {d.category for d in disclosures}
    labels = [str(c.label) for c in Category if c.value in disclosed]
    send_mail(
        subject=SUBJECT,
        message=render_to_string(
            "privacy/email/legal_disclosure_notice.txt",
            {"request": request, "categories": labels},
        ),
        from_email=None,
        recipient_list=[address],
    )
    return True
