import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from privacy.audit.models import AuditEvent

ACCOUNT = reverse("accounts:account")
SETTINGS = reverse("accounts:settings")


def details(member, **overrides):
    data = {
        "email": member.email,
        "first_name": member.first_name,
        "last_name": member.last_name,
        "zip_code": member.zip_code,
        "phone": str(member.phone),
        "screen_name": member.screen_name,
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_account_page_needs_sign_in(client):
    response = client.get(ACCOUNT)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_account_page_shows_own_private_details_and_is_not_cached(member_client, member):
    response = member_client.get(ACCOUNT)

    assert response.status_code == 200
    for value in ("rosa.member", "rosa.private@example.org", "Rosalind", "90210"):
        assert value in response.text
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_member_edits_private_details(member_client, member):
    response = member_client.post(
        ACCOUNT, details(member, zip_code="10001", screen_name="Roz"), follow=True
    )

    assert "Your private details were saved." in response.text
    member.refresh_from_db()
    assert (member.zip_code, member.screen_name) == ("10001", "Roz")
    event = AuditEvent.objects.get(event_type=AuditEvent.EventType.ACCOUNT_UPDATED)
    assert event.fields == ["screen_name", "zip_code"]
    assert event.actor_kind == AuditEvent.ActorKind.MEMBER


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"zip_code": "1234"}, "Enter a 5-digit ZIP code"),
        # An address another account has is no error any more: the change is only ever
        # confirmed from the new address, and such an address is sent nothing
        # (tests/accounts/test_email_verification.py).
        ({"phone": "12"}, "Enter a valid phone number"),
        ({"last_name": ""}, "This field is required."),
    ],
)
def test_bad_details_show_an_error_and_change_nothing(
    member_client, member, other_member, overrides, message
):
    response = member_client.post(ACCOUNT, details(member, **overrides))

    assert response.status_code == 400
    assert message in response.text
    fresh = User.objects.get(pk=member.pk)
    assert (fresh.email, fresh.zip_code, fresh.last_name) == (
        member.email,
        member.zip_code,
        member.last_name,
    )
    assert not AuditEvent.objects.filter(event_type=AuditEvent.EventType.ACCOUNT_UPDATED).exists()


@pytest.mark.django_db
def test_login_name_cannot_be_changed_from_the_account_page(member_client, member):
    member_client.post(ACCOUNT, {**details(member), "login_name": "hijacked"})
    member.refresh_from_db()
    assert member.login_name == "rosa.member"


@pytest.mark.django_db
def test_member_changes_settings_and_they_take_effect(member_client, member):
    response = member_client.post(
        SETTINGS,
        {
            "theme": "dark",
            "text_size": "large",
            "time_zone": "Europe/Lisbon",
            "newsletter_opt_in": "on",
        },
        follow=True,
    )

    assert "Your settings were saved." in response.text
    member.refresh_from_db()
    assert (member.theme, member.text_size, member.time_zone, member.newsletter_opt_in) == (
        "dark",
        "large",
        "Europe/Lisbon",
        True,
    )
    assert 'data-theme="dark"' in response.text
    assert 'data-text-size="large"' in response.text
    assert AuditEvent.objects.get(event_type=AuditEvent.EventType.SETTINGS_UPDATED).fields == [
        "newsletter_opt_in",
        "text_size",
        "theme",
        "time_zone",
    ]


@pytest.mark.django_db
def test_unknown_time_zone_is_refused(member_client, member):
    response = member_client.post(
        SETTINGS, {"theme": "dark", "text_size": "normal", "time_zone": "Mars/Olympus_Mons"}
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.text
    member.refresh_from_db()
    assert member.theme == "system"


@pytest.mark.django_db
def test_password_change_needs_the_old_password(member_client, member, password):
    url = reverse("accounts:password_change")
    wrong = member_client.post(
        url,
        {
            "old_password": "nope",
            "new_password1": "fresh-orchid-meadow-8",
            "new_password2": "fresh-orchid-meadow-8",
        },
    )
    assert "Your old password was entered incorrectly" in wrong.text

    weak = member_client.post(
        url,
        {"old_password": password, "new_password1": "12345678901", "new_password2": "12345678901"},
    )
    assert "This password is entirely numeric." in weak.text
    member.refresh_from_db()
    assert member.check_password(password)

    ok = member_client.post(
        url,
        {
            "old_password": password,
            "new_password1": "fresh-orchid-meadow-8",
            "new_password2": "fresh-orchid-meadow-8",
        },
    )
    assert ok.status_code == 302
    member.refresh_from_db()
    assert member.check_password("fresh-orchid-meadow-8")
    assert member_client.get(ACCOUNT).status_code == 200  # still signed in
    assert AuditEvent.objects.filter(event_type=AuditEvent.EventType.PASSWORD_CHANGED).count() == 1


@pytest.mark.django_db(transaction=True)
def test_password_reset_by_email_end_to_end(client, member):
    """The reset mail is sent by a background task after the request commits."""
    response = client.post(
        reverse("accounts:password_reset"), {"email": "ROSA.PRIVATE@example.org"}
    )
    assert response.status_code == 302

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["rosa.private@example.org"]
    link = next(line for line in message.body.splitlines() if "/accounts/password/reset/" in line)
    path = link.split("testserver", 1)[1]

    form_page = client.get(path, follow=True)
    assert "Choose a new password" in form_page.text
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "granite-sparrow-river-5", "new_password2": "granite-sparrow-river-5"},
    )
    assert done.status_code == 302
    member.refresh_from_db()
    assert member.check_password("granite-sparrow-river-5")
    assert AuditEvent.objects.filter(event_type=AuditEvent.EventType.PASSWORD_RESET).exists()

    reused = client.get(path, follow=True)
    assert "invalid or has already been used" in reused.text


@pytest.mark.django_db(transaction=True)
def test_password_reset_for_unknown_address_looks_the_same_and_sends_nothing(client, member):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox == []
