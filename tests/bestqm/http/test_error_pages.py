"""Error answers with DEBUG off (as in production): a generic page, or the API's error shape
on API paths, never a stack trace or a private value, and the same security headers as
every other answer."""

import logging

import pytest
from django.test import Client

from tests.bestqm.failing_urls import LEAKED

pytestmark = pytest.mark.django_db

TRACE_MARKERS = ("Traceback", "RuntimeError", "failing_urls", 'File "', "settings.py")


@pytest.fixture
def failing_site(settings):
    settings.ROOT_URLCONF = "tests.bestqm.failing_urls"
    # As a browser meets it: the exception becomes the 500 answer, not a test failure.
    return Client(raise_request_exception=False)


def _shows_nothing_private(response):
    text = response.content.decode()
    for private in (*LEAKED.split(), *TRACE_MARKERS):
        assert private not in text, private
    assert response["Content-Security-Policy"]


def test_a_failing_page_shows_the_generic_500_page(failing_site, caplog):
    caplog.set_level(logging.ERROR, logger="django.request")
    response = failing_site.get("/failing/page/")

    assert response.status_code == 500
    assert "Something went wrong" in response.text
    _shows_nothing_private(response)
    assert any(r.levelname == "ERROR" for r in caplog.records)  # the operator still learns


def test_a_failing_page_hides_its_error_from_a_signed_in_member_too(failing_site, member):
    failing_site.force_login(member, backend="accounts.backends.LoginNameOrEmailBackend")
    response = failing_site.get("/failing/page/")

    assert response.status_code == 500
    _shows_nothing_private(response)
    assert "no-store" in response["Cache-Control"]


def test_a_failing_api_view_answers_the_api_error_shape(failing_site):
    response = failing_site.get("/api/v1/failing/")

    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "error": {
            "code": "server_error",
            "message": "An error occurred on our side. Please try again later.",
        }
    }
    _shows_nothing_private(response)


def test_an_unknown_api_path_is_a_404_in_the_api_error_shape(client):
    response = client.get("/api/v1/no-such-thing/")

    assert response.status_code == 404
    assert response.json() == {"error": {"code": "not_found", "message": "Not found."}}


def test_an_unknown_page_is_the_generic_404_page(client):
    response = client.get("/no/such/page/?email=rosa.private@example.org")

    assert response.status_code == 404
    assert "Page not found" in response.text
    assert "rosa.private" not in response.text and "URLconf" not in response.text


def test_a_forged_host_is_the_generic_400_page(client):
    response = client.get("/", headers={"Host": "evil.example"})

    assert response.status_code == 400
    assert "Bad request" in response.text
    assert "evil.example" not in response.text and "ALLOWED_HOSTS" not in response.text


def test_a_forged_host_on_the_api_is_a_400_in_the_api_error_shape(client):
    response = client.get("/api/v1/directory/", headers={"Host": "evil.example"})

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_request"


def test_a_form_without_its_csrf_token_is_a_plain_403_page(member):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(member, backend="accounts.backends.LoginNameOrEmailBackend")

    response = browser.post("/accounts/settings/", {"theme": "dark"})

    assert response.status_code == 403
    assert "This form has expired" in response.text
    assert "CSRF" not in response.text and "<style" not in response.text
    member.refresh_from_db()
    assert member.theme != "dark"


def test_a_refusal_is_the_generic_403_page_without_its_reason(failing_site):
    page = failing_site.get("/refusing/page/")
    api = failing_site.get("/api/v1/refusing/")

    assert page.status_code == 403 and "Not allowed" in page.text
    _shows_nothing_private(page)
    assert api.status_code == 403
    assert api.json()["error"]["code"] == "permission_denied"
    _shows_nothing_private(api)


def test_a_page_that_cannot_reach_the_database_asks_to_try_again(failing_site, caplog):
    caplog.set_level(logging.ERROR, logger="django.request")
    response = failing_site.get("/unavailable/page/")

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "Back in a moment" in response.text
    _shows_nothing_private(response)
    assert any(r.levelname == "ERROR" for r in caplog.records)  # the operator still learns


def test_an_api_call_that_cannot_reach_the_database_is_a_503_in_the_api_shape(failing_site):
    response = failing_site.get("/api/v1/unavailable/")

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json()["error"]["code"] == "service_unavailable"
    _shows_nothing_private(response)


def test_any_other_failure_is_still_a_500_not_a_retry(failing_site):
    response = failing_site.get("/failing/page/")

    assert response.status_code == 500
    assert "Retry-After" not in response
