"""`Cache-Control: no-store` on every answer that can carry private data: anything a
signed-in member or staff member is shown, every /api/v1/me/ answer, the admin, the account
pages, the privacy centre, downloads; public pages for visitors stay cacheable."""

import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from privacy.requests.models import DataRequest

pytestmark = pytest.mark.django_db


def _no_store(response) -> bool:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return "no-store" in directives and "public" not in directives


@pytest.fixture(autouse=True)
def _run_after_commit(monkeypatch):
    monkeypatch.setattr(
        "django.db.transaction.on_commit", lambda func, using=None, robust=False: func()
    )


@pytest.mark.parametrize(
    "path", ["/", "/directory/", "/privacy/", "/orders/products/", "/api/v1/directory/"]
)
def test_every_page_a_member_is_shown_is_no_store(member_client, path):
    response = member_client.get(path)

    assert response.status_code == 200
    assert _no_store(response)


@pytest.mark.parametrize("path", ["/", "/privacy/", "/orders/products/", "/api/v1/directory/"])
def test_public_pages_for_visitors_stay_cacheable(client, path):
    response = client.get(path)

    assert response.status_code == 200
    assert not _no_store(response)


def test_the_members_api_is_no_store_with_a_token_and_even_when_refused(member_client, member):
    created = member_client.post(reverse("accounts:api_token_create"))
    secret = re.search(r'id="token-secret">([0-9a-f]+)<', created.text).group(1)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {secret}")

    for path in ("/api/v1/me/account/", "/api/v1/me/settings/", "/api/v1/me/orders/"):
        response = api.get(path)
        assert response.status_code == 200, path
        assert _no_store(response), path
    refused = APIClient().get("/api/v1/me/account/")
    assert refused.status_code == 401 and _no_store(refused)


def test_the_privacy_centre_and_an_export_download_are_no_store(member_client):
    centre = member_client.get(reverse("privacy:centre"))
    member_client.post(reverse("privacy:export_request"))
    export = DataRequest.objects.get(kind=DataRequest.Kind.EXPORT)
    download = member_client.get(reverse("privacy:export_download", args=[export.pk]))

    assert centre.status_code == 200 and _no_store(centre)
    assert download.status_code == 200 and _no_store(download)


def test_the_admin_is_no_store_even_its_sign_in_page(client, staff_client):
    sign_in = client.get("/admin/login/")
    index = staff_client(superuser=True).get("/admin/")

    assert sign_in.status_code == 200 and _no_store(sign_in)
    assert index.status_code == 200 and _no_store(index)
