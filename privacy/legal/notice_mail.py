"""The e-mail that tells a member their data was disclosed under legal process: which
categories, to which kind of authority and where; never who asked or their reference."""

from __future__ import annotations

from django.core.mail import send_mail
from django.template.loader import render_to_string

from privacy.legal.models import LegalRequest
from privacy.registry import Category
from privacy.requests.erasure import ANONYMOUS_PREFIX

SUBJECT = "We disclosed some of your data under legal process"


def legal_notice_mail(*, request_id: int) -> int:
    request = LegalRequest.objects.filter(pk=request_id).first()
    if request is None or request.notice != LegalRequest.Notice.SENT:
        return 0
    categories: dict[int, set[str]] = {}
    members = {}
    for disclosure in request.disclosures.exclude(member=None).select_related("member"):
        categories.setdefault(disclosure.member_id, set()).add(disclosure.category)
        members[disclosure.member_id] = disclosure.member
    sent = 0
    for member_id, member in members.items():
        address = member.email
        if not address or address.startswith(ANONYMOUS_PREFIX):
            continue  # erased since: there is no one left to tell
        labels = [str(c.label) for c in Category if c.value in categories[member_id]]
        send_mail(
            subject=SUBJECT,
            message=render_to_string(
                "privacy/email/legal_disclosure_notice.txt",
                {"request": request, "categories": labels},
            ),
            from_email=None,
            recipient_list=[address],
        )
        sent += 1
    return sent
