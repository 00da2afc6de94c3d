import pytest
from django.urls import reverse

from accounts.models import User
from privacy.audit.models import AuditEvent

URL = reverse("accounts:signup")


def signup_data(**overrides):
    data = {
        "login_name": "new.member",
        "email": "New.Member@Example.org",
        "first_name": "Nadia",
        "last_name": "Okonkwo",
        "zip_code": "02139",
        "phone": "",
        "screen_name": "",
        "password": "violet-harbour-lantern-42",
        "password_confirm": "violet-harbour-lantern-42",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_signup_creates_an_unconfirmed_private_account_and_asks_to_check_the_inbox(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    """A visitor who signs up is told to check their inbox (not signed in: the answer
    must be the same for an address that already has an account)."""
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, signup_data(), follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("accounts:signup_sent")
    assert "Check your inbox" in response.text
    user = User.objects.get(login_name="new.member")
    assert user.email == "New.Member@example.org"  # domain normalised, local part kept
    assert user.password.startswith("argon2$")
    assert user.check_password("violet-harbour-lantern-42")
    assert user.email_verified_at is None
    assert "_auth_user_id" not in client.session
    assert [m.to for m in mailoutbox] == [["New.Member@example.org"]]
    assert "/accounts/email/confirm/" in mailoutbox[0].body


@pytest.mark.django_db
def test_signup_is_audited_with_field_names_never_values(client):
    client.post(URL, signup_data())

    event = AuditEvent.objects.get(event_type=AuditEvent.EventType.ACCOUNT_CREATED)
    assert {"login_name", "email", "zip_code"} <= set(event.fields)
    stored = repr(list(AuditEvent.objects.values()))
    for value in ("new.member", "Example.org", "Nadia", "Okonkwo", "02139"):
        assert value not in stored


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"login_name": "ROSA.MEMBER"},
            "login_name",
            "A member with this login name already exists.",
        ),
        ({"zip_code": "9021"}, "zip_code", "Enter a 5-digit ZIP code"),
        ({"zip_code": "ABCDE"}, "zip_code", "Enter a 5-digit ZIP code"),
        ({"login_name": "rosa@home"}, "login_name", "Enter a valid login name"),
        (
            {"password": "password123", "password_confirm": "password123"},
            "password",
            "This password is too common.",
        ),
        (
            {"password": "short", "password_confirm": "short"},
            "password",
            "This password is too short.",
        ),
        (
            {"password": "Okonkwo-Nadia", "password_confirm": "Okonkwo-Nadia"},
            "password",
            "The password is too similar to the last name.",
        ),
        (
            {"password_confirm": "something-else-entirely-9"},
            "password_confirm",
            "The two passwords differ.",
        ),
        ({"email": "not-an-address"}, "email", "Enter a valid email address."),
        ({"first_name": ""}, "first_name", "This field is required."),
    ],
)
def test_bad_signup_shows_the_error_and_creates_nothing(client, member, overrides, field, message):
    before = User.objects.count()

    response = client.post(URL, signup_data(**overrides))

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert any(message in e for e in errors[field]), errors[field]
    assert message in response.text.replace("&#x27;", "'")
    assert User.objects.count() == before
    assert not AuditEvent.objects.filter(event_type=AuditEvent.EventType.ACCOUNT_CREATED).exists()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_signup_page_labels_every_input(client):
    html = client.get(URL).text
    import re

    ids = re.findall(r'<input[^>]+id="(id_[a-z_0-9]+)"', html)
    assert ids, "the form has inputs"
    for input_id in ids:
        assert f'for="{input_id}"' in html, f"{input_id} has no label"


@pytest.mark.django_db
def test_signup_shows_every_problem_at_once_with_a_summary_linking_to_each_field(client):
    """A missing field, a password too like the name and a mismatched confirmation are
    all reported on the first try, and the summary at the top links to each field."""
    response = client.post(
        URL,
        signup_data(first_name="", password="nadia-okonkwo", password_confirm="something-else"),
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"first_name", "password", "password_confirm"} <= set(errors), errors
    html = response.text
    summary = html[
        html.index("data-error-summary") : html.index("</div>", html.index("data-error-summary"))
    ]
    for field in ("first_name", "password", "password_confirm"):
        assert f'href="#id_{field}"' in summary, field
    assert html.index("data-error-summary") < html.index('id="id_login_name"')
    assert not User.objects.filter(login_name="new.member").exists()
