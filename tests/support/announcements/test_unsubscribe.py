"""Unsubscribing: newsletters stop with one click; service announcements cannot be
stopped, and whoever tries is told why; a link we did not make changes nothing."""

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from privacy.audit.models import AuditEvent
from support.announcements.mail import unsubscribe_url
from support.announcements.unsubscribe_links import unsubscribe_token

REASON = "members are not able to un-subscribe from service announcements"


@pytest.fixture
def subscriber(member):
    member.newsletter_opt_in = True
    member.save(update_fields=["newsletter_opt_in"])
    return member


def link(member, kind="newsletter"):
    return reverse("support:unsubscribe", args=[unsubscribe_token(member_id=member.pk, kind=kind)])


def opted_in(member) -> bool:
    member.refresh_from_db()
    return member.newsletter_opt_in


@pytest.mark.django_db
def test_opening_the_link_asks_and_only_the_button_unsubscribes(subscriber):
    client = Client()

    page = client.get(link(subscriber))
    assert page.status_code == 200 and "Unsubscribe" in page.text
    assert "rosa.private@example.org" not in page.text
    assert opted_in(subscriber)  # mail scanners open links: that must change nothing

    done = client.post(link(subscriber))
    assert done.status_code == 200 and "no more newsletters" in done.text
    assert not opted_in(subscriber)
    event = AuditEvent.objects.get(event_type="settings.updated")
    assert event.fields == ["newsletter_opt_in"] and event.actor_kind == "anonymous"


@pytest.mark.django_db
def test_one_click_from_a_mail_program_needs_no_csrf_cookie(subscriber):
    client = Client(enforce_csrf_checks=True)
    url = unsubscribe_url(member=subscriber, kind="newsletter", base_url="")

    response = client.post(url, "List-Unsubscribe=One-Click", content_type="text/plain")

    assert response.status_code == 200
    assert not opted_in(subscriber)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "token",
    [
        "nonsense",
        signing.dumps({"member": 1, "kind": "newsletter"}, salt="another.purpose"),
        signing.dumps(
            {"member": 1, "kind": "newsletter"}, key="x" * 50, salt="support.unsubscribe"
        ),
    ],
)
def test_a_forged_link_is_a_400_and_changes_nothing(client, subscriber, token):
    for method in (client.get, client.post):
        response = method(reverse("support:unsubscribe", args=[token]))
        assert response.status_code == 400
        assert "Nothing was changed" in response.text
    assert opted_in(subscriber)


@pytest.mark.django_db
def test_a_link_altered_to_name_another_member_is_refused(client, subscriber, other_member):
    other_member.newsletter_opt_in = True
    other_member.save()
    token = unsubscribe_token(member_id=subscriber.pk, kind="newsletter")
    _, signature = token.split(":", 1)
    forged = signing.dumps({"member": other_member.pk, "kind": "newsletter"}).split(":", 1)[0]

    response = client.post(reverse("support:unsubscribe", args=[f"{forged}:{signature}"]))

    assert response.status_code == 400
    assert opted_in(other_member) and opted_in(subscriber)


@pytest.mark.django_db
def test_a_service_announcement_link_is_refused_with_the_policys_reason(client, subscriber):
    for method in (client.get, client.post):
        response = method(link(subscriber, kind="service"))
        assert response.status_code == 409
        assert REASON in response.text and "Site and Service Updates" in response.text
    assert opted_in(subscriber)


@pytest.mark.django_db
def test_signed_in_member_unsubscribes_from_the_notices_page(member_client, subscriber):
    page = member_client.get(reverse("support:notices"))
    assert "Unsubscribe" in page.text

    response = member_client.post(
        reverse("support:unsubscribe_signed_in", args=["newsletter"]), follow=True
    )

    assert "You are unsubscribed from newsletters" in response.text
    assert not opted_in(subscriber)


@pytest.mark.django_db
def test_trying_to_unsubscribe_from_service_announcements_is_refused(member_client, subscriber):
    response = member_client.post(reverse("support:unsubscribe_signed_in", args=["service"]))

    assert response.status_code == 409
    assert REASON in response.text
    assert opted_in(subscriber)
    assert (
        member_client.post(
            reverse("support:unsubscribe_signed_in", args=["everything"])
        ).status_code
        == 404
    )


@pytest.mark.django_db
def test_the_subscriptions_api(member_api, subscriber):
    listed = member_api.get("/api/v1/me/subscriptions/").json()
    assert {(s["kind"], s["subscribed"], s["can_unsubscribe"]) for s in listed} == {
        ("service", True, False),
        ("newsletter", True, True),
    }

    refused = member_api.delete("/api/v1/me/subscriptions/service/")
    assert refused.status_code == 409
    error = refused.json()["error"]
    assert error["code"] == "service_announcements_mandatory"
    assert REASON in error["message"] and "Site and Service Updates" in error["message"]
    assert opted_in(subscriber)

    assert member_api.delete("/api/v1/me/subscriptions/newsletter/").status_code == 204
    assert not opted_in(subscriber)
    assert member_api.delete("/api/v1/me/subscriptions/sms/").status_code == 404
