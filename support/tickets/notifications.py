"""E-mail about tickets, both ways. Support information is kept completely confidential,
so these say only that something happened and where to read it: no subject, no message
text, no member's name ever goes into them."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from support.models import Ticket

TO_SUPPORT_SUBJECTS = {
    "opened": "[BestQM support] New ticket #{pk}",
    "member_replied": "[BestQM support] Ticket #{pk}: the member wrote again",
    "assigned": "[BestQM support] Ticket #{pk} is assigned to you",
}
TO_MEMBER_SUBJECTS = {
    "replied": "BestQM support replied to your ticket #{pk}",
    "closed": "Your BestQM support ticket #{pk} was closed",
}


def _support_address(ticket: Ticket) -> str:
    """The agent working the ticket, or the team when nobody is."""
    agent = ticket.assignee
    if agent is not None and agent.is_active and agent.email:
        return agent.email
    return settings.SUPPORT_TEAM_EMAIL


def email_to_support(*, ticket: Ticket, event: str, base_url: str) -> EmailMessage:
    to = ticket.assignee.email if event == "assigned" else _support_address(ticket)
    return EmailMessage(
        subject=TO_SUPPORT_SUBJECTS[event].format(pk=ticket.pk),
        body=render_to_string(
            "support/email/to_support.txt",
            {
                "ticket": ticket,
                "event": event,
                "admin_url": base_url + reverse("admin:support_ticket_change", args=[ticket.pk]),
            },
        ),
        to=[to],
    )


def email_to_member(*, ticket: Ticket, event: str, base_url: str) -> EmailMessage:
    return EmailMessage(
        subject=TO_MEMBER_SUBJECTS[event].format(pk=ticket.pk),
        body=render_to_string(
            "support/email/to_member.txt",
            {
                "ticket": ticket,
                "event": event,
                "ticket_url": base_url + reverse("support:ticket", args=[ticket.pk]),
            },
        ),
        to=[ticket.member.email],
    )


def _ticket(ticket_pk: int) -> Ticket | None:
    return Ticket.objects.select_related("member", "assignee").filter(pk=ticket_pk).first()


def support_notify(*, ticket_pk: int, event: str, base_url: str) -> None:
    """Tell support that something happened on a ticket (a background task)."""
    ticket = _ticket(ticket_pk)
    if ticket is not None:
        email_to_support(ticket=ticket, event=event, base_url=base_url).send()


def assignee_notify(*, ticket_pk: int, base_url: str) -> None:
    """Tell the agent a ticket was given to them, if they still work here."""
    ticket = _ticket(ticket_pk)
    if ticket is not None and ticket.assignee is not None and ticket.assignee.is_active:
        email_to_support(ticket=ticket, event="assigned", base_url=base_url).send()


def member_notify(*, ticket_pk: int, event: str, base_url: str) -> None:
    """Tell the member support replied or closed their ticket, unless they left or have not
    confirmed their address yet (the reply is on the ticket's page either way)."""
    ticket = _ticket(ticket_pk)
    if ticket is not None and ticket.member.is_active and ticket.member.email_verified_at:
        email_to_member(ticket=ticket, event=event, base_url=base_url).send()
