import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from privacy.audit.models import AuditEvent

LOGIN = reverse("accounts:login")
LOGOUT = reverse("accounts:logout")
ACCOUNT = reverse("accounts:account")


def sign_in(client, username, password, ip="203.0.113.7"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "login", ["rosa.member", "ROSA.Member", "rosa.private@example.org", "Rosa.Private@EXAMPLE.org"]
)
def test_member_signs_in_with_login_name_or_email(client, member, password, login):
    response = sign_in(client, login, password)

    assert response.status_code == 302
    assert response["Location"] == ACCOUNT
    assert client.get(ACCOUNT).status_code == 200
    assert AuditEvent.objects.filter(event_type=AuditEvent.EventType.SIGNED_IN).count() == 1


@pytest.mark.django_db
def test_wrong_password_shows_an_error_and_does_not_sign_in(client, member):
    response = sign_in(client, "rosa.member", "not-the-password")

    assert response.status_code == 200
    assert "do not match an account" in response.text
    assert client.get(ACCOUNT).status_code == 302


@pytest.mark.django_db
def test_lockout_after_repeated_failures_refuses_even_the_right_password(client, member, password):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "rosa.member", "wrong-guess")

    response = sign_in(client, "rosa.member", password)

    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.text
    assert "even with the right password" in response.text
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(event_type=AuditEvent.EventType.LOCKED_OUT).exists()


@pytest.mark.django_db
def test_lockout_counts_login_name_and_email_together(client, member, password):
    """Switching from login name to e-mail does not buy an attacker more guesses."""
    for i in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "rosa.member" if i % 2 else "Rosa.Private@example.org", "wrong-guess")
    assert sign_in(client, "rosa.member", password).status_code == 429
    assert sign_in(client, "rosa.private@example.org", password).status_code == 429


@pytest.mark.django_db
def test_lockout_is_keyed_on_login_name_and_address(member, password):
    """An attacker elsewhere cannot lock the member out of their own network."""
    attacker = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(attacker, "rosa.member", "wrong-guess", ip="198.51.100.66")
    assert sign_in(attacker, "rosa.member", password, ip="198.51.100.66").status_code == 429

    owner = Client()
    assert sign_in(owner, "rosa.member", password, ip="203.0.113.7").status_code == 302


@pytest.mark.django_db
def test_session_cookie_ends_with_the_browser_and_is_http_only(client, member, password):
    response = sign_in(client, "rosa.member", password)

    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["expires"] == ""
    assert cookie["max-age"] == ""
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


@pytest.mark.django_db
def test_sign_out_ends_the_session_and_is_audited(member_client):
    response = member_client.post(LOGOUT)

    assert response.status_code == 302
    assert member_client.get(ACCOUNT).status_code == 302
    assert AuditEvent.objects.filter(event_type=AuditEvent.EventType.SIGNED_OUT).exists()


@pytest.mark.django_db
def test_tampered_session_cookie_is_treated_as_signed_out(member_client):
    member_client.cookies[settings.SESSION_COOKIE_NAME] = "forged-session-key"
    assert member_client.get(ACCOUNT).status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("path", [LOGIN, reverse("admin:login")])
def test_a_login_too_long_for_any_account_is_a_form_error_and_counts_for_the_address(
    client, path, settings
):
    """256+ characters used to reach django-axes' 255-character column: a 500."""
    settings.SIGNIN_ADDRESS_FAILURE_LIMIT = 2
    long_login = "x" * 300

    for _ in range(2):
        response = client.post(
            path, {"username": long_login, "password": "whatever"}, REMOTE_ADDR="198.51.100.4"
        )
        assert response.status_code == 200
        assert "at most 254 characters" in response.text

    locked = client.post(
        path, {"username": "someone", "password": "whatever"}, REMOTE_ADDR="198.51.100.4"
    )
    assert locked.status_code == 429


@pytest.mark.django_db
def test_opening_the_sign_out_address_shows_a_sign_out_button_and_signs_no_one_out(
    member_client,
):
    page = member_client.get(LOGOUT)

    assert page.status_code == 200
    assert '<button type="submit">Sign out</button>' in page.text
    assert member_client.get(ACCOUNT).status_code == 200
    member_client.post(LOGOUT)
    assert member_client.get(ACCOUNT).status_code == 302
