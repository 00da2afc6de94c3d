import re

import pytest
from django.urls import reverse
from knox.models import AuthToken
from rest_framework.test import APIClient

from privacy.audit.models import AuditEvent


@pytest.mark.django_db
def test_member_creates_a_token_sees_it_once_and_it_works(member_client, member):
    response = member_client.post(reverse("accounts:api_token_create"))

    assert response.status_code == 201
    assert "no-store" in response["Cache-Control"]
    secret = re.search(r'id="token-secret">([0-9a-f]+)<', response.text).group(1)
    token = AuthToken.objects.get(user=member)
    assert secret not in token.digest  # only a digest is stored
    assert secret not in member_client.get(reverse("accounts:account")).text

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    assert api.get("/api/v1/me/account/").json()["login_name"] == member.login_name
    assert AuditEvent.objects.filter(event_type=AuditEvent.EventType.API_TOKEN_CREATED).exists()


@pytest.mark.django_db
def test_revoked_token_stops_working(member_client, member):
    created = member_client.post(reverse("accounts:api_token_create"))
    secret = re.search(r'id="token-secret">([0-9a-f]+)<', created.text).group(1)
    token = AuthToken.objects.get(user=member)

    member_client.post(reverse("accounts:api_token_revoke", args=[token.token_key]))

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    assert api.get("/api/v1/me/account/").status_code == 401
    assert AuditEvent.objects.filter(event_type=AuditEvent.EventType.API_TOKEN_REVOKED).exists()


@pytest.mark.django_db
def test_member_cannot_revoke_another_members_token(member_client, other_member):
    AuthToken.objects.create(user=other_member)
    key = AuthToken.objects.get(user=other_member).token_key

    response = member_client.post(reverse("accounts:api_token_revoke", args=[key]))

    assert response.status_code == 404
    assert AuthToken.objects.filter(user=other_member).exists()
