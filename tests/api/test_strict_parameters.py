"""The API means what its schema says: a page parameter is a whole number, a JSON value has
the field's type, and a read-only resource offers only reads. Each wrong request is a 400
(or 405) naming the problem, and changes nothing."""

import pytest

from accounts.models import User
from support.models import Ticket

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url, parameter, value",
    [
        ("/api/v1/directory/", "page_size", "null"),
        ("/api/v1/directory/", "page_size", "0"),
        ("/api/v1/directory/", "page_size", "-5"),
        ("/api/v1/directory/", "page_size", "١٢"),  # digits, but not ASCII ones
        ("/api/v1/me/tickets/", "limit", "null"),
        ("/api/v1/me/tickets/", "offset", "-1"),
        ("/api/v1/me/orders/", "offset", ""),
    ],
)
def test_a_page_parameter_that_is_not_a_whole_number_is_refused(member_api, url, parameter, value):
    response = member_api.get(url, {parameter: value})

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["fields"] == {parameter: [error["fields"][parameter][0]]}
    assert "whole number" in error["fields"][parameter][0]


def test_a_repeated_page_parameter_is_refused(member_api):
    response = member_api.get("/api/v1/directory/?page_size=5&page_size=6")
    assert response.status_code == 400


def test_large_pages_are_still_clamped_and_offsets_past_the_end_are_empty(member_api):
    assert member_api.get("/api/v1/directory/", {"page_size": 1000}).status_code == 200
    far = member_api.get("/api/v1/me/tickets/", {"offset": 10**30})
    assert far.status_code == 200 and far.json()["results"] == []


def test_the_schema_states_the_lowest_page_parameters(api_client):
    schema = api_client.get("/api/schema/", {"format": "json"}).json()
    directory = {p["name"]: p for p in schema["paths"]["/api/v1/directory/"]["get"]["parameters"]}
    tickets = {p["name"]: p for p in schema["paths"]["/api/v1/me/tickets/"]["get"]["parameters"]}
    assert directory["page_size"]["schema"]["minimum"] == 1
    assert tickets["limit"]["schema"]["minimum"] == 1
    assert tickets["offset"]["schema"]["minimum"] == 0


@pytest.mark.parametrize(
    "url, body, field, message",
    [
        ("/api/v1/me/settings/", {"newsletter_opt_in": 0}, "newsletter_opt_in", "true or false"),
        ("/api/v1/me/settings/", {"theme": 1}, "theme", "a string"),
        ("/api/v1/me/account/", {"screen_name": 5}, "screen_name", "a string"),
        ("/api/v1/me/profile/", {"listed_in_directory": 1}, "listed_in_directory", "true or false"),
    ],
)
def test_a_json_value_of_another_type_is_refused_and_nothing_changes(
    member_api, member, url, body, field, message
):
    before = User.objects.values().get(pk=member.pk)

    response = member_api.patch(url, body, format="json")

    assert response.status_code == 400
    assert message in response.json()["error"]["fields"][field][0]
    assert User.objects.values().get(pk=member.pk) == before


def test_a_ticket_body_must_be_text(member_api):
    response = member_api.post(
        "/api/v1/me/tickets/", {"subject": "Hello", "body": 12345}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"body": ["Must be a string."]}
    assert not Ticket.objects.exists()


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_a_directory_profile_offers_reads_only(api_client, member_api, method):
    for client in (api_client, member_api):
        response = getattr(client, method)("/api/v1/directory/anyone/", {}, format="json")
        assert response.status_code == 405
        assert response.json()["error"]["code"]
        allowed = {m.strip() for m in response["Allow"].split(",")}
        assert allowed == {"GET", "HEAD", "OPTIONS"}
