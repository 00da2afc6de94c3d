"""A member's support tickets in the browser: open, read, write, close, reopen; only
their own, and the internal notes never."""

import pytest
from django.urls import reverse

from privacy.audit.models import AuditEvent
from support.models import Ticket, TicketMessage
from support.tickets.forms import EMPTY_MESSAGE, EMPTY_SUBJECT
from tests.bestqm.test_pages import INLINE_SCRIPT
from tests.support.factories import PhoneContactFactory, TicketFactory, TicketNoteFactory

NEW = reverse("support:ticket_new")


def url(name, ticket):
    return reverse(f"support:{name}", args=[ticket.pk])


@pytest.mark.django_db
def test_member_opens_a_ticket_and_support_is_told_without_its_content(
    member_client, member, django_capture_on_commit_callbacks, mailoutbox, settings
):
    settings.SUPPORT_TEAM_EMAIL = "team@bestqm.example"
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(
            NEW, {"subject": "Camera not found", "body": "My webcam is not detected."}
        )

    ticket = Ticket.objects.get(member=member)
    assert response.status_code == 302
    assert response["Location"] == url("ticket", ticket)
    assert ticket.status == Ticket.Status.OPEN
    page = member_client.get(url("ticket", ticket))
    assert "Camera not found" in page.text and "My webcam is not detected." in page.text
    [mail] = mailoutbox
    assert mail.to == ["team@bestqm.example"]
    assert f"#{ticket.pk}" in mail.subject
    assert reverse("admin:support_ticket_change", args=[ticket.pk]) in mail.body
    for private in ("Camera not found", "webcam", "Rosalind", "rosa.member", "rosa.private"):
        assert private not in mail.subject + mail.body
    event = AuditEvent.objects.get(event_type="ticket.opened")
    assert event.category == "support" and event.fields == ["body", "subject"]
    assert "webcam" not in repr(list(AuditEvent.objects.values()))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"subject": "Help", "body": ""}, "body", EMPTY_MESSAGE),
        ({"subject": "Help", "body": "   \n\t "}, "body", EMPTY_MESSAGE),
        ({"subject": "", "body": "Please help"}, "subject", EMPTY_SUBJECT),
        ({"subject": "Help", "body": "nul\x00byte"}, "body", "Null characters are not allowed."),
        ({"subject": "x" * 201, "body": "Please help"}, "subject", "at most 200 characters"),
    ],
)
def test_bad_ticket_input_is_a_form_error_and_creates_nothing(
    member_client, data, field, message, mailoutbox
):
    response = member_client.post(NEW, data)

    assert response.status_code == 400
    assert any(message in e for e in response.context["form"].errors[field])
    assert (
        not Ticket.objects.exists()
        and not AuditEvent.objects.filter(event_type="ticket.opened").exists()
    )
    assert mailoutbox == []


@pytest.mark.django_db
def test_the_member_sees_replies_and_phone_calls_but_never_internal_notes(member_client, ticket):
    TicketNoteFactory(ticket=ticket, body="Suspect chargeback, be careful")
    PhoneContactFactory(ticket=ticket, summary="Explained the reinstall steps")
    ticket.messages.create(sender=TicketMessage.Sender.SUPPORT, body="Try a new serial.")

    page = member_client.get(url("ticket", ticket))

    assert "Try a new serial." in page.text
    assert "Explained the reinstall steps" in page.text and "Spoke with the member" in page.text
    assert "Suspect chargeback" not in page.text
    assert "internal" not in page.text.lower()


@pytest.mark.django_db
def test_the_list_shows_only_the_members_own_tickets(member_client, ticket, other_member):
    TicketFactory(member=other_member, subject="Otto's billing question")

    page = member_client.get(reverse("support:tickets"))

    assert "My licence stopped working" in page.text
    assert "Otto" not in page.text


@pytest.mark.django_db
def test_another_members_ticket_is_a_404_and_nothing_changes(other_client, ticket, mailoutbox):
    assert other_client.get(url("ticket", ticket)).status_code == 404
    assert other_client.post(url("ticket_reply", ticket), {"body": "hi"}).status_code == 404
    assert other_client.post(url("ticket_close", ticket)).status_code == 404
    assert other_client.get(reverse("support:ticket", args=[999999])).status_code == 404

    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.OPEN and ticket.messages.count() == 1
    assert mailoutbox == []


@pytest.mark.django_db
def test_signed_out_visitors_are_sent_to_sign_in(client, ticket):
    for target in (reverse("support:tickets"), NEW, url("ticket", ticket)):
        response = client.get(target)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_member_reply_hands_an_answered_ticket_back_to_its_agent(
    member_client, ticket, agent, django_capture_on_commit_callbacks, mailoutbox
):
    Ticket.objects.filter(pk=ticket.pk).update(status=Ticket.Status.ANSWERED, assignee=agent)

    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(url("ticket_reply", ticket), {"body": "Still broken."})

    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.OPEN
    assert ticket.messages.last().body == "Still broken."
    [mail] = mailoutbox
    assert mail.to == ["ada.agent@bestqm.example"]
    assert "Still broken" not in mail.body


@pytest.mark.django_db
def test_an_empty_reply_is_a_form_error(member_client, ticket):
    response = member_client.post(url("ticket_reply", ticket), {"body": "  "})

    assert response.status_code == 400
    assert EMPTY_MESSAGE in response.text
    assert ticket.messages.count() == 1


@pytest.mark.django_db
def test_member_closes_and_reopens_a_ticket(member_client, ticket, mailoutbox):
    member_client.post(url("ticket_close", ticket))
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.CLOSED and ticket.closed_at is not None
    page = member_client.get(url("ticket", ticket))
    assert "Reopen this ticket" in page.text and "Write to support" not in page.text

    refused = member_client.post(url("ticket_reply", ticket), {"body": "One more thing"})
    assert refused.status_code == 409
    assert "This ticket is closed" in refused.text
    assert ticket.messages.count() == 1

    again = member_client.post(url("ticket_close", ticket), follow=True)
    assert "already closed" in again.text

    member_client.post(url("ticket_reopen", ticket))
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.OPEN and ticket.closed_at is None
    assert mailoutbox == []  # the member did it: nobody to tell
    kinds = set(AuditEvent.objects.values_list("event_type", flat=True))
    assert {"ticket.closed", "ticket.reopened"} <= kinds


@pytest.mark.django_db
def test_ticket_pages_load_nothing_from_elsewhere_and_run_no_inline_script(member_client, ticket):
    for target in (reverse("support:tickets"), NEW, url("ticket", ticket)):
        page = member_client.get(target)
        assert page.status_code == 200
        assert INLINE_SCRIPT.findall(page.text) == [] and "style=" not in page.text
