"""Every form and API operation that sends mail or creates a record is limited per client
address, per account and per e-mail address written to; beyond the limit: 429 with
Retry-After, nothing created, no mail sent."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from accounts.models import User
from support.models import Ticket

pytestmark = pytest.mark.django_db

RESET = reverse("accounts:password_reset")
SIGNUP = reverse("accounts:signup")
TICKETS = "/api/v1/me/tickets/"


def test_a_flood_of_fifty_reset_requests_for_one_address_sends_only_the_limits_worth(
    member, settings, django_capture_on_commit_callbacks, mailoutbox
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "password_reset": "3/hour"}
    statuses = []
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(50):
            # From many addresses: the mailbox's own counter stops the flood.
            response = Client().post(
                RESET, {"email": "Rosa.Private@example.org"}, REMOTE_ADDR=f"198.51.100.{n}"
            )
            statuses.append(response.status_code)

    assert len(mailoutbox) == 3
    assert statuses[:3] == [302, 302, 302]
    assert set(statuses[3:]) == {429}
    refused = Client().post(RESET, {"email": "rosa.private@example.org"})
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 3600
    assert "nothing was sent or saved" in refused.text


def test_one_address_asking_for_many_mailboxes_is_stopped_by_its_own_counter(settings, mailoutbox):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "password_reset": "2/hour"}
    client = Client()
    answers = [
        client.post(RESET, {"email": f"someone{n}@example.org"}, REMOTE_ADDR="203.0.113.5")
        for n in range(4)
    ]

    assert [a.status_code for a in answers] == [302, 302, 429, 429]


def test_sign_up_beyond_the_limit_is_the_429_page_and_creates_nothing(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "signup": "1/hour"}
    client = Client()
    client.post(SIGNUP, {"login_name": "x"}, REMOTE_ADDR="203.0.113.6")

    response = client.post(
        SIGNUP,
        {
            "login_name": "new.member",
            "email": "new@example.org",
            "first_name": "New",
            "last_name": "Member",
            "zip_code": "12345",
            "password": "a-Long-and-unusual-passphrase-7",
            "password_confirm": "a-Long-and-unusual-passphrase-7",
        },
        REMOTE_ADDR="203.0.113.6",
    )

    assert response.status_code == 429
    assert "Retry-After" in response
    assert not User.objects.filter(login_name="new.member").exists()


def test_the_api_answers_429_in_its_error_shape_and_opens_no_ticket(
    member_api, settings, mailoutbox
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "ticket": "2/hour"}
    for _ in range(2):
        assert (
            member_api.post(TICKETS, {"subject": "Hi", "body": "Hello"}, format="json").status_code
            == 201
        )

    response = member_api.post(TICKETS, {"subject": "Hi", "body": "Hello"}, format="json")

    assert response.status_code == 429
    assert response.json()["error"]["code"] == "throttled"
    assert int(response["Retry-After"]) > 0
    assert Ticket.objects.count() == 2


def test_the_limit_is_per_account_whatever_the_address(member_client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "ticket": "1/hour"}
    new = reverse("support:ticket_new")
    first = member_client.post(new, {"subject": "A", "body": "B"}, REMOTE_ADDR="203.0.113.1")
    second = member_client.post(new, {"subject": "A", "body": "B"}, REMOTE_ADDR="203.0.113.2")

    assert first.status_code == 302
    assert second.status_code == 429
    assert Ticket.objects.count() == 1


def test_the_cache_holds_no_raw_address_or_mailbox(settings):
    Client().post(RESET, {"email": "rosa.private@example.org"}, REMOTE_ADDR="203.0.113.77")

    keys = list(cache._cache.keys())  # local memory in tests
    assert keys and not [k for k in keys if "203.0.113.77" in k or "rosa" in k]


def _account_data(client, **changes):
    form = client.get(reverse("accounts:account")).context["account_form"]
    data = {name: form[name].value() or "" for name in form.fields}
    return {**{k: str(v) for k, v in data.items()}, **changes}


def test_asking_for_an_email_change_beyond_the_limit_is_refused_and_sends_nothing(
    member, member_client, settings, django_capture_on_commit_callbacks, mailoutbox
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "email_change": "2/hour"}
    account = reverse("accounts:account")
    answers = []
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            data = _account_data(member_client, email=f"rosa.new{n}@example.org")
            answers.append(member_client.post(account, data))
    sent = len(mailoutbox)

    assert [a.status_code for a in answers] == [302, 302, 429]
    assert "nothing was sent or saved" in answers[2].text
    assert 0 < int(answers[2]["Retry-After"]) <= 3600
    assert sent == 4  # a link to each new address and a notice to the old one, twice
    assert not [m for m in mailoutbox if "rosa.new2@example.org" in m.to]
    member.refresh_from_db()
    assert member.email == "rosa.private@example.org"
    # Other details still save: only a change of address is counted.
    saved = member_client.post(account, _account_data(member_client, first_name="Rosa"))
    assert saved.status_code == 302


def test_the_api_refuses_an_email_change_beyond_the_limit_in_its_error_shape(
    member, member_api, settings, django_capture_on_commit_callbacks, mailoutbox
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "email_change": "1/hour"}
    me = "/api/v1/me/account/"
    with django_capture_on_commit_callbacks(execute=True):
        first = member_api.patch(me, {"email": "rosa.one@example.org"}, format="json")
        second = member_api.patch(me, {"email": "rosa.two@example.org"}, format="json")
        same = member_api.patch(me, {"email": "rosa.private@example.org"}, format="json")

    assert first.status_code == 200
    assert second.status_code == 429
    assert second.json()["error"]["code"] == "throttled"
    assert not [m for m in mailoutbox if "rosa.two@example.org" in m.to]
    assert same.status_code == 200  # the address it already has sends nothing, counts nothing
