"""The ticket and announcement workflows: transition tables, and services that refuse a
move the table does not allow with a typed error, changing nothing."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from privacy.audit.models import AuditEvent
from privacy.audit.services import Actor
from privacy.roles import Role
from support import errors
from support.announcements import services as announcement_services
from support.models import Announcement, Ticket
from support.tickets import services
from tests.accounts.factories import StaffFactory
from tests.support.factories import AnnouncementFactory

OPEN, ANSWERED, CLOSED = Ticket.Status.OPEN, Ticket.Status.ANSWERED, Ticket.Status.CLOSED


@pytest.mark.parametrize(
    ("status", "allowed"),
    [(OPEN, {ANSWERED, CLOSED}), (ANSWERED, {OPEN, CLOSED}), (CLOSED, {OPEN})],
)
def test_the_ticket_transition_table(status, allowed):
    ticket = Ticket(status=status)

    assert {s for s in Ticket.Status if ticket.can_become(s)} == allowed
    assert ticket.can_close() is (CLOSED in allowed)
    assert ticket.can_reopen() is (status == CLOSED)
    assert ticket.can_receive_messages() is (status != CLOSED)


def test_the_announcement_transition_table():
    draft, sending, sent = (Announcement(status=s) for s in Announcement.Status)

    assert (draft.can_send(), sending.can_send(), sent.can_send()) == (True, False, False)
    assert (draft.can_finish(), sending.can_finish(), sent.can_finish()) == (False, True, False)
    assert (draft.can_edit(), sending.can_edit(), sent.can_edit()) == (True, False, False)


def _events():
    return AuditEvent.objects.filter(event_type__startswith="ticket.").count()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "move", "error", "code"),
    [
        (OPEN, "reopen", errors.InvalidTicketMove, "invalid_transition"),
        (ANSWERED, "answer", errors.InvalidTicketMove, "invalid_transition"),
        (CLOSED, "answer", errors.InvalidTicketMove, "invalid_transition"),
        (CLOSED, "close", errors.InvalidTicketMove, "invalid_transition"),
        (CLOSED, "agent_reply", errors.TicketClosed, "ticket_closed"),
        (CLOSED, "member_reply", errors.TicketClosed, "ticket_closed"),
    ],
)
def test_a_move_the_table_refuses_raises_a_typed_error_and_changes_nothing(
    ticket, member, status, move, error, code
):
    Ticket.objects.filter(pk=ticket.pk).update(status=status, closed_at=timezone.now())
    actor = Actor(user=member)
    before = _events()
    calls = {
        "reopen": lambda: services.ticket_reopen(ticket=ticket, actor=actor),
        "answer": lambda: services.ticket_answer(ticket=ticket, actor=actor),
        "close": lambda: services.ticket_close(ticket=ticket, actor=actor, base_url=""),
        "agent_reply": lambda: services.ticket_agent_reply(
            ticket=ticket, actor=actor, body="x", base_url=""
        ),
        "member_reply": lambda: services.ticket_member_reply(
            ticket=ticket, member=member, actor=actor, body="x", base_url=""
        ),
    }

    with pytest.raises(error) as raised:
        calls[move]()

    assert raised.value.code == code
    ticket.refresh_from_db()
    assert ticket.status == status and ticket.messages.count() == 1
    assert _events() == before


@pytest.mark.django_db
def test_a_member_cannot_write_on_or_close_another_members_ticket(ticket, other_member):
    actor = Actor(user=other_member)

    with pytest.raises(Ticket.DoesNotExist):
        services.ticket_member_reply(
            ticket=ticket, member=other_member, actor=actor, body="x", base_url=""
        )
    with pytest.raises(Ticket.DoesNotExist):
        services.ticket_close(ticket=ticket, member=other_member, actor=actor, base_url="")
    ticket.refresh_from_db()
    assert ticket.status == OPEN and ticket.messages.count() == 1


@pytest.mark.django_db
def test_only_an_active_support_agent_can_be_assigned(ticket, agent):
    actor = Actor(user=agent)
    for someone in (
        StaffFactory(roles=[Role.PRIVACY_OFFICER]),
        StaffFactory(roles=[Role.SUPPORT_AGENT], is_active=False),
        ticket.member,
    ):
        with pytest.raises(ValidationError):
            services.ticket_assign(ticket=ticket, actor=actor, assignee=someone, base_url="")
    ticket.refresh_from_db()
    assert ticket.assignee is None


@pytest.mark.django_db
def test_ticket_work_is_all_or_nothing(ticket, agent):
    Ticket.objects.filter(pk=ticket.pk).update(status=CLOSED, closed_at=timezone.now())

    with pytest.raises(errors.TicketClosed):
        services.ticket_work(
            ticket=ticket,
            actor=Actor(user=agent),
            base_url="",
            priority="urgent",
            note="Looked into it",
            reply="Here is the answer",
        )

    ticket.refresh_from_db()
    assert ticket.priority == "normal" and not ticket.notes.exists()
    assert ticket.messages.count() == 1


@pytest.mark.django_db
def test_a_phone_call_is_logged_only_once_it_happened(ticket, agent):
    with pytest.raises(ValidationError):
        services.phone_contact_log(
            ticket=ticket,
            actor=Actor(user=agent),
            direction="inbound",
            outcome="reached",
            contacted_at=timezone.now() + timedelta(hours=1),
        )
    with pytest.raises(ValidationError):
        services.phone_contact_log(
            ticket=ticket, actor=Actor(user=agent), direction="sideways", outcome="reached"
        )
    assert not ticket.phone_contacts.exists()


@pytest.mark.django_db
def test_a_sent_announcement_cannot_be_changed_or_sent_again(db):
    announcement = AnnouncementFactory(subject="Original")
    announcement_services.announcement_send(
        announcement=announcement, actor=Actor.system(), base_url=""
    )

    announcement.subject = "Rewritten"
    with pytest.raises(errors.InvalidAnnouncementMove):
        announcement_services.announcement_draft_save(
            announcement=announcement, actor=Actor.system()
        )
    with pytest.raises(errors.InvalidAnnouncementMove):
        announcement_services.announcement_send(
            announcement=announcement, actor=Actor.system(), base_url=""
        )
    announcement.refresh_from_db()
    assert announcement.subject == "Original"


@pytest.mark.django_db
def test_service_announcements_cannot_be_unsubscribed(member):
    with pytest.raises(errors.UnsubscribeRefused) as refused:
        announcement_services.subscription_cancel(
            member=member, kind="service", actor=Actor(user=member)
        )

    assert "Site and Service Updates" in refused.value.message
    with pytest.raises(ValueError):
        announcement_services.subscription_cancel(
            member=member, kind="sms", actor=Actor(user=member)
        )
