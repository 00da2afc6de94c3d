import pytest
from django.urls import reverse
from knox.models import AuthToken
from rest_framework.test import APIClient

from accounts.models import User
from privacy.audit.models import AuditEvent

ACCOUNT = "/api/v1/me/account/"
SETTINGS = "/api/v1/me/settings/"


def test_paths_are_the_ones_clients_rely_on():
    assert reverse("v1:me-account") == ACCOUNT
    assert reverse("v1:me-settings") == SETTINGS


@pytest.mark.django_db
@pytest.mark.parametrize("url", [ACCOUNT, SETTINGS])
def test_anonymous_caller_gets_the_standard_error(api_client, url):
    response = api_client.get(url)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["error"]["code"] == "not_authenticated"


@pytest.mark.django_db
def test_member_reads_own_account_with_a_token(member):
    _, secret = AuthToken.objects.create(user=member)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")

    body = client.get(ACCOUNT).json()

    assert body == {
        "login_name": "rosa.member",
        "email": "rosa.private@example.org",
        "first_name": "Rosalind",
        "last_name": "Quintero-Vale",
        "zip_code": "90210",
        "phone": "+12025550143",
        "screen_name": "Rosa",
    }


@pytest.mark.django_db
def test_revoked_or_wrong_token_is_refused(member):
    instance, secret = AuthToken.objects.create(user=member)
    instance.delete()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")

    response = client.get(ACCOUNT)

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"


@pytest.mark.django_db
def test_member_patches_own_account(member_api, member):
    response = member_api.patch(ACCOUNT, {"zip_code": "73301", "screen_name": "R."}, format="json")

    assert response.status_code == 200
    assert response.json()["zip_code"] == "73301"
    member.refresh_from_db()
    assert (member.zip_code, member.screen_name) == ("73301", "R.")
    assert AuditEvent.objects.get(event_type=AuditEvent.EventType.ACCOUNT_UPDATED).fields == [
        "screen_name",
        "zip_code",
    ]


@pytest.mark.django_db
def test_unknown_fields_are_refused_by_name_and_nothing_changes(member_api, member):
    response = member_api.patch(
        ACCOUNT, {"zip_code": "73301", "favourite_colour": "red", "is_staff": True}, format="json"
    )

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert error["fields"] == {
        "favourite_colour": ["Unknown field."],
        "is_staff": ["Unknown field."],
    }
    member.refresh_from_db()
    assert member.zip_code == "90210"
    assert member.is_staff is False


@pytest.mark.django_db
def test_login_name_is_read_only_through_the_api(member_api, member):
    response = member_api.patch(ACCOUNT, {"login_name": "someone.else"}, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "login_name": ["This field cannot be changed here."]
    }
    member.refresh_from_db()
    assert member.login_name == "rosa.member"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"zip_code": "123"}, "zip_code", "Enter a 5-digit ZIP code"),
        ({"email": "nope"}, "email", "Enter a valid email address."),
        ({"phone": "+1"}, "phone", "Enter a valid phone number"),
        ({"first_name": ""}, "first_name", "This field may not be blank."),
    ],
)
def test_invalid_values_answer_400_and_change_nothing(
    member_api, member, other_member, payload, field, message
):
    response = member_api.patch(ACCOUNT, payload, format="json")

    assert response.status_code == 400
    messages = response.json()["error"]["fields"][field]
    assert any(message in m for m in messages), messages
    assert User.objects.get(pk=member.pk).email == "rosa.private@example.org"
    assert not AuditEvent.objects.filter(event_type=AuditEvent.EventType.ACCOUNT_UPDATED).exists()


@pytest.mark.django_db
def test_malformed_json_gets_the_standard_error(member_api):
    response = member_api.generic("PATCH", ACCOUNT, "{not json", content_type="application/json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "malformed_request"


@pytest.mark.django_db
def test_a_json_array_is_refused(member_api):
    response = member_api.patch(ACCOUNT, ["zip_code"], format="json")
    assert response.status_code == 400


@pytest.mark.django_db
def test_member_reads_and_patches_settings(member_api, member):
    assert member_api.get(SETTINGS).json() == {
        "theme": "system",
        "text_size": "normal",
        "time_zone": "UTC",
        "newsletter_opt_in": False,
    }

    response = member_api.patch(
        SETTINGS, {"theme": "light", "time_zone": "Asia/Tokyo"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["time_zone"] == "Asia/Tokyo"
    member.refresh_from_db()
    assert (member.theme, member.time_zone) == ("light", "Asia/Tokyo")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "payload",
    [
        {"theme": "neon"},
        {"time_zone": "Nowhere/Land"},
        {"newsletter_opt_in": "perhaps"},
        {"email": "x@example.org"},
    ],
)
def test_bad_settings_are_refused(member_api, member, payload):
    response = member_api.patch(SETTINGS, payload, format="json")

    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == set(payload)
    member.refresh_from_db()
    assert (member.theme, member.time_zone, member.email) == (
        "system",
        "UTC",
        "rosa.private@example.org",
    )


@pytest.mark.django_db
def test_no_response_carries_the_password_hash(member_api, member):
    for url in (ACCOUNT, SETTINGS):
        text = member_api.get(url).content.decode()
        assert "argon2" not in text
        assert "password" not in text
