"""The member's e-mail address is theirs: confirmed at sign-up, never enumerable, and
changed only from the new address, with the old one able to undo it."""

import re

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.email_verification import EmailEvent
from accounts.models import User
from privacy.audit.models import AuditEvent
from tests.accounts.factories import ProfileFactory, UserFactory
from tests.accounts.test_signup import signup_data

pytestmark = pytest.mark.django_db
SIGNUP = reverse("accounts:signup")
ACCOUNT = reverse("accounts:account")
CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')


def _link(mail, name):
    return re.search(rf"https?://\S+(/accounts/email/{name}/\S+/)", mail.body).group(1)


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_sign_up_answers_byte_for_byte_the_same_for_a_taken_address(member, on_commit, mailoutbox):
    def sign_up(**overrides):
        client = Client()
        with on_commit():
            response = client.post(SIGNUP, signup_data(**overrides), follow=True)
        return response, CSRF.sub(b"", response.content)

    fresh, fresh_page = sign_up(login_name="new.one", email="new.one@example.org")
    taken, taken_page = sign_up(login_name="new.two", email="Rosa.Private@EXAMPLE.org")

    assert fresh.redirect_chain == taken.redirect_chain
    assert fresh_page == taken_page
    assert not User.objects.filter(login_name="new.two").exists()
    notice = next(m for m in mailoutbox if m.to == ["rosa.private@example.org"])
    assert "Someone tried to sign up" in notice.subject
    assert "/accounts/password/reset/" in notice.body


def test_the_login_name_may_still_be_reported_as_taken(member):
    response = Client().post(SIGNUP, signup_data(login_name="ROSA.MEMBER"))

    assert response.status_code == 200
    assert "A member with this login name already exists." in response.text


def test_following_the_link_confirms_the_address_once(client, on_commit, mailoutbox):
    with on_commit():
        client.post(SIGNUP, signup_data())
    link = _link(mailoutbox[0], "confirm")
    user = User.objects.get(login_name="new.member")

    asked = client.get(link)
    assert asked.status_code == 200 and "Confirm my e-mail address" in asked.text
    user.refresh_from_db()
    assert user.email_verified_at is None  # a GET (a mail scanner) confirms nothing

    assert client.post(link).status_code == 302
    user.refresh_from_db()
    assert user.email_verified_at is not None
    assert AuditEvent.objects.filter(event_type=EmailEvent.CONFIRMED).count() == 1

    again = client.post(link)
    assert again.status_code == 400
    assert "already used" in again.text


@pytest.mark.parametrize("damage", ["tampered", "expired"])
def test_a_tampered_or_expired_confirmation_link_is_a_clear_page_and_changes_nothing(
    client, on_commit, mailoutbox, settings, damage
):
    with on_commit():
        client.post(SIGNUP, signup_data())
    link = _link(mailoutbox[0], "confirm")
    if damage == "tampered":
        link = link[:-3] + ("A" if link[-3] != "A" else "B") + link[-2:]
    else:
        settings.EMAIL_CONFIRMATION_HOURS = 0

    response = client.post(link)

    assert response.status_code == 400
    assert "does not work" in response.text
    assert User.objects.get(login_name="new.member").email_verified_at is None


def test_an_unconfirmed_member_is_not_in_the_directory_and_is_told_with_a_resend_button(
    on_commit, mailoutbox
):
    unconfirmed = UserFactory(email_verified_at=None)
    ProfileFactory(member=unconfirmed, username="not_yet_public")
    client = Client()
    client.force_login(unconfirmed, backend="accounts.backends.LoginNameOrEmailBackend")

    assert "not_yet_public" not in Client().get(reverse("directory:list")).text
    assert Client().get(reverse("directory:detail", args=["not_yet_public"])).status_code == 404
    assert client.get(reverse("directory:detail", args=["not_yet_public"])).status_code == 200
    page = client.get(ACCOUNT)
    assert "Confirm your e-mail address" in page.text
    with on_commit():
        client.post(reverse("accounts:email_confirm_resend"))
    assert [m.to for m in mailoutbox] == [[unconfirmed.email]]


def test_an_unconfirmed_member_is_sent_no_announcement(on_commit, mailoutbox):
    from support.announcements.selectors import announcement_recipient_ids

    UserFactory(email_verified_at=None, login_name="unconfirmed.one")
    confirmed = UserFactory(login_name="confirmed.one")

    assert list(announcement_recipient_ids(kind="service")) == [confirmed.pk]


def test_an_email_change_takes_effect_only_from_the_new_address_and_the_old_can_undo_it(
    member, member_client, on_commit, mailoutbox
):
    with on_commit():
        response = member_client.post(
            ACCOUNT,
            {
                "email": "rosa.new@example.net",
                "first_name": member.first_name,
                "last_name": member.last_name,
                "zip_code": member.zip_code,
                "phone": member.phone,
                "screen_name": member.screen_name,
            },
            follow=True,
        )
    assert "We sent a link to rosa.new@example.net" in response.text
    member.refresh_from_db()
    assert member.email == "rosa.private@example.org"  # not yet
    to_new = next(m for m in mailoutbox if m.to == ["rosa.new@example.net"])
    to_old = next(m for m in mailoutbox if m.to == ["rosa.private@example.org"])
    assert "rosa.new@example.net" in to_old.body

    assert member_client.post(_link(to_new, "change")).status_code == 302
    member.refresh_from_db()
    assert member.email == "rosa.new@example.net"
    assert member_client.post(_link(to_new, "change")).status_code == 400  # once

    revert = _link(to_old, "revert")
    assert Client().get(revert).status_code == 200
    assert Client().post(revert).status_code == 302
    member.refresh_from_db()
    assert member.email == "rosa.private@example.org"
    assert member_client.get(ACCOUNT).status_code == 302  # every session ended
    assert Client().post(revert).status_code == 400  # once
    events = set(AuditEvent.objects.values_list("event_type", flat=True))
    assert {EmailEvent.CHANGE_REQUESTED, EmailEvent.CHANGED, EmailEvent.CHANGE_REVERTED} <= events


def test_the_revert_link_expires_after_the_days_allowed(
    member, member_client, on_commit, mailoutbox, settings
):
    from accounts import services
    from privacy.audit.services import Actor

    with on_commit():
        services.account_update(
            user=member,
            actor=Actor(user=member),
            data={"email": "rosa.new@example.net"},
            base_url="http://testserver",
        )
    revert = _link(next(m for m in mailoutbox if m.to == [member.email]), "revert")
    settings.EMAIL_REVERT_DAYS = 0

    assert Client().post(revert).status_code == 400
    assert member_client.get(ACCOUNT).status_code == 200


def test_changing_to_an_address_another_account_has_sends_it_nothing(
    member, other_member, on_commit, mailoutbox
):
    from accounts import services
    from privacy.audit.services import Actor

    with on_commit():
        services.account_update(
            user=member,
            actor=Actor(user=member),
            data={"email": other_member.email},
            base_url="http://testserver",
        )

    assert [m.to for m in mailoutbox] == [[member.email]]
    member.refresh_from_db()
    assert member.email == "rosa.private@example.org"


def test_a_forged_change_link_for_someone_elses_account_does_not_work(member, client):
    forged = signing.dumps(
        {"u": member.pk, "from": member.email, "to": "evil@example.net", "g": 0},
        salt="not-our-salt",
    )
    response = client.post(reverse("accounts:email_change_confirm", args=[forged]))

    assert response.status_code == 400
    member.refresh_from_db()
    assert member.email == "rosa.private@example.org"
    assert member.email_verified_at <= timezone.now()
