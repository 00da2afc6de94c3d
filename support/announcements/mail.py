"""The e-mail of an announcement to one member. A newsletter carries a one-click
unsubscribe link and the List-Unsubscribe headers (RFC 2369, RFC 8058); a service
announcement says why it cannot be unsubscribed."""

from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse

from support.announcements.unsubscribe_links import unsubscribe_token
from support.errors import SERVICE_ANNOUNCEMENTS_MANDATORY
from support.models import Announcement

SUBJECT = "[BestQM] {subject}"


def open_mail_connection():
    """One connection to the mail server for a whole batch."""
    return get_connection()


def unsubscribe_url(*, member, kind: str, base_url: str) -> str:
    token = unsubscribe_token(member_id=member.pk, kind=kind)
    return base_url + reverse("support:unsubscribe", args=[token])


def announcement_email(
    *, announcement: Announcement, member, base_url: str, connection=None
) -> EmailMessage:
    headers = {}
    link = ""
    if announcement.can_be_unsubscribed:
        link = unsubscribe_url(member=member, kind=announcement.kind, base_url=base_url)
        headers = {
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    body = render_to_string(
        "support/email/announcement.txt",
        {
            "announcement": announcement,
            "unsubscribe_url": link,
            "mandatory_reason": SERVICE_ANNOUNCEMENTS_MANDATORY,
            "notices_url": base_url + reverse("support:notices"),
        },
    )
    return EmailMessage(
        subject=SUBJECT.format(subject=announcement.subject),
        body=body,
        to=[member.email],
        headers=headers,
        connection=connection,
    )
