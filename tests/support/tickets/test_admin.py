"""Support agents work tickets in the admin; who else may read them is decided by role."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from privacy.audit.models import AuditEvent
from privacy.audit.selectors import staff_views_of
from privacy.roles import Role
from support.models import Ticket, TicketMessage, TicketNote
from support.tickets.admin_forms import REPLY_TO_CLOSED
from tests.accounts.factories import StaffFactory
from tests.support.conftest import TICKET_INLINES


def change_url(ticket):
    return reverse("admin:support_ticket_change", args=[ticket.pk])


def work(**fields):
    data = {"assignee": "", "priority": "normal", "move_to": "", "internal_note": "", "reply": ""}
    return {**data, **TICKET_INLINES, **fields}


@pytest.mark.django_db
def test_agent_replies_and_notes_the_member_sees_the_reply_only(
    agent_client, agent, ticket, member_client, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        response = agent_client.post(
            change_url(ticket),
            work(
                assignee=agent.pk,
                priority="high",
                internal_note="Member was double charged; refund pending.",
                reply="We found the problem and fixed your licence.",
            ),
        )

    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.ANSWERED and ticket.answered_at is not None
    assert (ticket.assignee, ticket.priority) == (agent, "high")
    assert TicketNote.objects.get().author == agent
    page = member_client.get(reverse("support:ticket", args=[ticket.pk])).text
    assert "We found the problem" in page and "double charged" not in page
    api = member_client.get(f"/api/v1/me/tickets/{ticket.pk}/").json()
    assert "double charged" not in str(api)
    [to_member] = mailoutbox  # assigning oneself tells nobody
    assert to_member.to == ["rosa.private@example.org"]
    assert "We found the problem" not in to_member.body and "double charged" not in to_member.body
    events = set(AuditEvent.objects.values_list("event_type", flat=True))
    assert {
        "ticket.assigned",
        "ticket.prioritised",
        "ticket.note_added",
        "ticket.agent_replied",
    } <= events


@pytest.mark.django_db
def test_assigning_another_agent_tells_them_by_email(
    agent_client, ticket, django_capture_on_commit_callbacks, mailoutbox
):
    colleague = StaffFactory(roles=[Role.SUPPORT_AGENT], email="bo@bestqm.example")

    with django_capture_on_commit_callbacks(execute=True):
        agent_client.post(change_url(ticket), work(assignee=colleague.pk))

    [mail] = mailoutbox
    assert mail.to == ["bo@bestqm.example"] and "assigned to you" in mail.subject
    assert "My licence" not in mail.body


@pytest.mark.django_db
def test_only_support_agents_can_be_assigned(agent_client, ticket):
    billing = StaffFactory(roles=[Role.BILLING_AGENT])

    response = agent_client.post(change_url(ticket), work(assignee=billing.pk))

    assert response.status_code == 200
    assert "assignee" in response.context["adminform"].form.errors
    ticket.refresh_from_db()
    assert ticket.assignee is None


@pytest.mark.django_db
def test_a_reply_to_a_closed_ticket_needs_a_reopen_in_the_same_save(agent_client, ticket):
    Ticket.objects.filter(pk=ticket.pk).update(status="closed", closed_at=ticket.created_at)

    refused = agent_client.post(change_url(ticket), work(reply="Anything else?", internal_note="n"))
    assert refused.status_code == 200
    assert REPLY_TO_CLOSED in refused.context["adminform"].form.errors["reply"]
    assert ticket.messages.count() == 1 and not TicketNote.objects.exists()

    agent_client.post(change_url(ticket), work(reply="Anything else?", move_to="open"))
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.ANSWERED
    assert ticket.messages.last().sender == TicketMessage.Sender.SUPPORT


@pytest.mark.django_db
def test_a_move_the_table_does_not_allow_is_not_offered(agent_client, ticket):
    response = agent_client.post(change_url(ticket), work(move_to="open"))

    assert response.status_code == 200
    assert "move_to" in response.context["adminform"].form.errors
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.OPEN


@pytest.mark.django_db
def test_admin_actions_move_tickets_and_report_invalid_moves(
    agent_client, ticket, member, django_capture_on_commit_callbacks, mailoutbox
):
    from tests.support.factories import TicketFactory

    closed = TicketFactory(member=member)
    Ticket.objects.filter(pk=closed.pk).update(status="closed", closed_at=closed.created_at)
    changelist = reverse("admin:support_ticket_changelist")

    with django_capture_on_commit_callbacks(execute=True):
        response = agent_client.post(
            changelist,
            {"action": "close", "_selected_action": [ticket.pk, closed.pk]},
            follow=True,
        )

    texts = [str(m) for m in response.context["messages"]]
    assert f"{closed}: This ticket is already closed." in texts
    assert "1 ticket(s) moved to “Closed”." in texts
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.CLOSED
    [mail] = mailoutbox
    assert "was closed" in mail.subject


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("roles", "superuser", "reads", "works"),
    [
        ([Role.SUPPORT_AGENT], False, True, True),
        ([Role.PRIVACY_OFFICER], False, True, False),
        ([Role.BILLING_AGENT], False, False, False),
        ([Role.LEGAL_OFFICER], False, False, False),
        ([Role.LEGAL_APPROVER], False, False, False),
        ([], True, True, True),
    ],
)
def test_every_role_reads_and_works_tickets_only_as_allowed(
    staff_client, ticket, roles, superuser, reads, works
):
    note = "Internal: escalate to tier 2"
    ticket.notes.create(body=note)
    client = staff_client(*roles, superuser=superuser)

    page = client.get(change_url(ticket))
    listing = client.get(reverse("admin:support_ticket_changelist"))

    if not reads:
        assert page.status_code == 403 and listing.status_code == 403
        assert "My licence" not in page.text
    else:
        assert page.status_code == 200 and listing.status_code == 200
        assert "My licence stopped working" in page.text
        assert note in page.text
        assert ("Reply to the member" in page.text) is works
    posted = client.post(change_url(ticket), work(reply="Hello from staff"))
    assert (posted.status_code == 302) is works
    assert ticket.messages.filter(sender="support").exists() is works


@pytest.mark.django_db
def test_a_group_given_the_permission_by_mistake_still_cannot_read_tickets(staff_client, ticket):
    Group.objects.get(name=Role.BILLING_AGENT.label).permissions.add(
        Permission.objects.get(codename="view_ticket")
    )
    client = staff_client(Role.BILLING_AGENT)

    assert client.get(change_url(ticket)).status_code == 403


@pytest.mark.django_db
def test_members_without_staff_rights_never_reach_the_admin(member_client, ticket):
    response = member_client.get(change_url(ticket))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.django_db
def test_opening_a_ticket_is_recorded_for_the_member(agent_client, ticket, member):
    agent_client.get(change_url(ticket))

    [event] = staff_views_of(member)
    assert event.category == "support"
    assert event.object_type == "support.ticket" and event.object_id == str(ticket.pk)
    assert {"subject", "body", "outcome", "summary"} <= set(event.fields)


@pytest.mark.django_db
def test_agents_filter_the_tickets_assigned_to_them_or_to_nobody(agent_client, agent, member):
    from tests.support.factories import TicketFactory

    mine = TicketFactory(member=member, assignee=agent)
    nobodys = TicketFactory(member=member)
    changelist = reverse("admin:support_ticket_changelist")

    assert [
        t.pk for t in agent_client.get(changelist, {"assigned": "me"}).context["cl"].result_list
    ] == [mine.pk]
    assert [
        t.pk for t in agent_client.get(changelist, {"assigned": "nobody"}).context["cl"].result_list
    ] == [nobodys.pk]


@pytest.mark.django_db
def test_the_ticket_list_names_no_member(agent_client, ticket):
    listing = agent_client.get(reverse("admin:support_ticket_changelist")).text

    assert f"Ticket #{ticket.pk}" in listing
    for private in ("rosa.member", "rosa.private@example.org", "Rosalind", "Quintero"):
        assert private not in listing


@pytest.mark.django_db
def test_agent_logs_a_phone_contact_the_member_sees(agent_client, ticket, member_client):
    add = reverse("admin:support_phonecontact_add")
    form = agent_client.get(f"{add}?ticket={ticket.pk}")
    assert form.status_code == 200
    assert form.context["adminform"].form.initial["ticket"] == str(ticket.pk)

    response = agent_client.post(
        add,
        {
            "ticket": ticket.pk,
            "direction": "outbound",
            "outcome": "voicemail",
            "summary": "Asked the member to call back.",
            "contacted_at_0": "2020-01-05",
            "contacted_at_1": "10:30:00",
        },
    )

    assert response.status_code == 302 and response["Location"] == change_url(ticket)
    contact = ticket.phone_contacts.get()
    assert contact.outcome == "voicemail"
    page = member_client.get(reverse("support:ticket", args=[ticket.pk])).text
    assert "Left a voicemail" in page and "Asked the member to call back." in page
    event = AuditEvent.objects.get(event_type="ticket.phone_contact_logged")
    assert event.fields == ["direction", "outcome", "summary"]


@pytest.mark.django_db
def test_a_call_cannot_be_logged_in_the_future_nor_by_billing(agent_client, staff_client, ticket):
    add = reverse("admin:support_phonecontact_add")
    data = {
        "ticket": ticket.pk,
        "direction": "inbound",
        "outcome": "reached",
        "contacted_at_0": "2999-01-01",
        "contacted_at_1": "10:00:00",
    }

    assert agent_client.post(add, data).status_code == 200
    assert (
        staff_client(Role.BILLING_AGENT)
        .post(add, {**data, "contacted_at_0": "2020-01-01"})
        .status_code
        == 403
    )
    assert not ticket.phone_contacts.exists()
