"""/api/v1/me/tickets/: the signed-in member's tickets, and nobody else's."""

import pytest
from rest_framework.test import APIClient

from support.models import Ticket, TicketMessage
from tests.support.factories import PhoneContactFactory, TicketNoteFactory

TICKETS = "/api/v1/me/tickets/"


def at(ticket, tail=""):
    return f"{TICKETS}{ticket.pk}/{tail}"


@pytest.mark.django_db
def test_member_opens_lists_reads_and_replies(
    member_api, member, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        created = member_api.post(
            TICKETS, {"subject": "Billing", "body": "Charged twice."}, format="json"
        )

    assert created.status_code == 201
    body = created.json()
    assert body["status"] == "open" and body["subject"] == "Billing"
    assert [m["body"] for m in body["messages"]] == ["Charged twice."]
    assert body["messages"][0]["sender"] == "member"
    assert len(mailoutbox) == 1  # support is told

    listed = member_api.get(TICKETS).json()
    assert listed["count"] == 1
    assert [t["id"] for t in listed["results"]] == [body["id"]]

    reply = member_api.post(
        f"{TICKETS}{body['id']}/messages/", {"body": "Any news?"}, format="json"
    )
    assert reply.status_code == 201 and reply.json()["body"] == "Any news?"
    read = member_api.get(f"{TICKETS}{body['id']}/").json()
    assert [m["body"] for m in read["messages"]] == ["Charged twice.", "Any news?"]


@pytest.mark.django_db
def test_what_the_api_shows_the_member_leaves_out_notes_assignee_and_priority(
    member_api, ticket, agent
):
    TicketNoteFactory(ticket=ticket, author=agent, body="Internal: VIP")
    PhoneContactFactory(ticket=ticket, staff=agent, summary="Called back")
    Ticket.objects.filter(pk=ticket.pk).update(assignee=agent, priority="urgent")

    body = member_api.get(at(ticket)).json()

    assert set(body) == {
        "id",
        "subject",
        "status",
        "created_at",
        "last_message_at",
        "closed_at",
        "messages",
        "phone_contacts",
    }
    assert "Internal: VIP" not in str(body) and "urgent" not in str(body)
    assert "Ada" not in str(body) and "ada.agent" not in str(body)
    assert body["phone_contacts"][0]["summary"] == "Called back"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"subject": "Hi", "body": ""}, "body", "may not be blank"),
        ({"subject": "Hi", "body": "   "}, "body", "may not be blank"),
        ({"subject": "Hi"}, "body", "required"),
        ({"subject": "Hi", "body": "x", "status": "closed"}, "status", "Unknown field."),
        ({"subject": "Two\nlines", "body": "x"}, "subject", "one line"),
        ({"subject": "Hi", "body": "a\x00b"}, "body", "Null characters"),
    ],
)
def test_bad_input_is_refused_with_the_field_named_and_nothing_created(
    member_api, payload, field, message
):
    response = member_api.post(TICKETS, payload, format="json")

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert any(message in m for m in error["fields"][field]), error
    assert not Ticket.objects.exists()


@pytest.mark.django_db
def test_an_empty_reply_is_refused(member_api, ticket):
    response = member_api.post(at(ticket, "messages/"), {"body": ""}, format="json")

    assert response.status_code == 400
    assert "body" in response.json()["error"]["fields"]
    assert ticket.messages.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "tail"),
    [("get", ""), ("post", "messages/"), ("post", "close/"), ("post", "reopen/")],
)
def test_another_members_ticket_is_a_404_in_the_error_shape(
    api_client, other_member, ticket, method, tail
):
    api_client.force_authenticate(other_member)

    response = getattr(api_client, method)(at(ticket, tail), {"body": "x"}, format="json")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.OPEN and ticket.messages.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("ticket_id", ["0", "-1", "abc", "1e3", "٣", "9" * 30, "%00"])
def test_a_malformed_ticket_number_is_a_404_in_the_error_shape(member_api, ticket, ticket_id):
    response = member_api.get(f"{TICKETS}{ticket_id}/")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.django_db
def test_invalid_moves_are_409_with_stable_codes(member_api, ticket):
    assert member_api.post(at(ticket, "reopen/")).json()["error"]["code"] == "invalid_transition"

    closed = member_api.post(at(ticket, "close/"))
    assert closed.status_code == 200 and closed.json()["status"] == "closed"

    again = member_api.post(at(ticket, "close/"))
    assert again.status_code == 409
    assert again.json()["error"] == {
        "code": "invalid_transition",
        "message": "This ticket is already closed.",
    }
    written = member_api.post(at(ticket, "messages/"), {"body": "Hello?"}, format="json")
    assert written.status_code == 409
    assert written.json()["error"]["code"] == "ticket_closed"
    assert ticket.messages.count() == 1

    reopened = member_api.post(at(ticket, "reopen/"))
    assert reopened.status_code == 200 and reopened.json()["status"] == "open"


@pytest.mark.django_db
def test_ticket_endpoints_need_a_member(api_client, ticket):
    for method, path in [("get", TICKETS), ("post", TICKETS), ("get", at(ticket))]:
        response = getattr(api_client, method)(path)
        assert response.status_code == 401
        assert "WWW-Authenticate" in response


@pytest.mark.django_db
def test_a_token_reaches_only_its_own_members_tickets(member, other_member, ticket):
    from knox.models import AuthToken

    _, secret = AuthToken.objects.create(user=other_member)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")

    assert client.get(TICKETS).json()["results"] == []
    assert client.get(at(ticket)).status_code == 404


@pytest.mark.django_db
def test_support_replies_are_marked_as_from_support(member_api, ticket, agent):
    ticket.messages.create(sender=TicketMessage.Sender.SUPPORT, author=agent, body="Fixed.")

    messages = member_api.get(at(ticket)).json()["messages"]

    assert [m["sender"] for m in messages] == ["member", "support"]


@pytest.mark.django_db
def test_the_ticket_list_comes_a_page_at_a_time(member_api, member):
    from tests.support.factories import TicketFactory

    opened = [TicketFactory(member=member) for _ in range(3)]

    first = member_api.get(TICKETS, {"limit": 2}).json()
    assert first["count"] == 3 and len(first["results"]) == 2
    rest = member_api.get(first["next"]).json()
    assert rest["next"] is None and len(rest["results"]) == 1
    assert {t["id"] for t in first["results"] + rest["results"]} == {t.pk for t in opened}


@pytest.mark.django_db
def test_a_page_larger_than_the_maximum_is_clamped_not_refused(member_api, member):
    from tests.support.factories import TicketFactory

    TicketFactory.create_batch(101, member=member)

    clamped = member_api.get(TICKETS, {"limit": 10_000})
    assert clamped.status_code == 200
    body = clamped.json()
    assert body["count"] == 101 and len(body["results"]) == 100 and body["next"]
