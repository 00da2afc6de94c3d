"""Re-entering the password to confirm a step counts like a sign-in: a stolen session or
token that guesses is locked out after AXES_FAILURE_LIMIT wrong tries, even if it then
guesses right, and nothing changes."""

import pytest
from django.conf import settings
from django.urls import reverse

from privacy.requests.models import DataRequest
from tests.accounts.factories import PASSWORD

pytestmark = pytest.mark.django_db
NEW = "an-entirely-new-passphrase-88"


def _change(client, old):
    return client.post(
        reverse("accounts:password_change"),
        {"old_password": old, "new_password1": NEW, "new_password2": NEW},
    )


def test_wrong_current_passwords_in_the_password_change_lock_it(member, member_client):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        assert _change(member_client, "guess-guess-guess").status_code in (200, 429)

    response = _change(member_client, PASSWORD)

    assert response.status_code == 429
    member.refresh_from_db()
    assert member.check_password(PASSWORD)


def test_wrong_passwords_confirming_a_deletion_lock_it(member, member_client):
    url = reverse("privacy:deletion_request")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        member_client.post(url, {"password": "guess-guess-guess", "confirm": "on"})

    response = member_client.post(url, {"password": PASSWORD, "confirm": "on"})

    assert response.status_code == 429
    assert not DataRequest.objects.filter(member=member).exists()


def test_wrong_passwords_in_an_api_deletion_request_lock_it_in_the_error_shape(member, api_client):
    from knox.models import AuthToken

    _, secret = AuthToken.objects.create(user=member)
    headers = {"Authorization": f"Token {secret}"}
    url = "/api/v1/me/data-requests/"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        api_client.post(
            url, {"kind": "deletion", "password": "guess"}, format="json", headers=headers
        )

    response = api_client.post(
        url, {"kind": "deletion", "password": PASSWORD}, format="json", headers=headers
    )

    assert response.status_code == 429
    assert response.json()["error"]["code"] == "locked_out"
    assert not DataRequest.objects.filter(member=member).exists()
