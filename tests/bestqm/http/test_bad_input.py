"""Bad input gets a clear refusal and changes nothing: bodies too large, too many fields,
malformed JSON, a burst of failed sign-ins from one address, a tampered session cookie."""

import json

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import User

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
ACCOUNT = reverse("accounts:account")
SETTINGS = reverse("accounts:settings")
API_ACCOUNT = "/api/v1/me/account/"


def _signed_in_api(member) -> APIClient:
    api = APIClient()
    api.force_login(member, backend="accounts.backends.LoginNameOrEmailBackend")
    return api


# --- Too large ------------------------------------------------------------------------


def test_an_api_body_over_the_limit_is_a_413_and_changes_nothing(member):
    body = json.dumps({"screen_name": "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE})

    response = _signed_in_api(member).patch(API_ACCOUNT, body, content_type="application/json")

    assert response.status_code == 413
    assert response.json() == {
        "error": {"code": "request_too_large", "message": "The request is too large."}
    }
    member.refresh_from_db()
    assert member.screen_name == "Rosa"


def test_a_form_over_the_limit_is_the_413_page_and_changes_nothing(member_client, member):
    response = member_client.post(
        SETTINGS, {"theme": "dark", "padding": "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE}
    )

    assert response.status_code == 413
    assert "Request too large" in response.text and "Nothing was saved" in response.text
    member.refresh_from_db()
    assert member.theme != "dark"


def test_the_limit_comes_from_the_settings(member, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 64
    api = _signed_in_api(member)

    small = api.patch(API_ACCOUNT, {"screen_name": "Ro"}, format="json")
    large = api.patch(API_ACCOUNT, {"screen_name": "R" * 80}, format="json")

    assert small.status_code == 200
    assert large.status_code == 413
    member.refresh_from_db()
    assert member.screen_name == "Ro"


def test_too_many_form_fields_is_a_413_and_changes_nothing(member_client, member):
    fields = {f"field{i}": "1" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}

    response = member_client.post(SETTINGS, {"theme": "dark", **fields})

    assert response.status_code == 413
    member.refresh_from_db()
    assert member.theme != "dark"


# --- Malformed JSON -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        b'{"screen_name": ',  # cut off
        b"{'screen_name': 'single quotes'}",
        b'{"screen_name": "Ro"} trailing',
        b'\xff\xfe{"screen_name": "Ro"}',  # not UTF-8
        b'{"screen_name": NaN}',
        b"[" * 100_000,  # nested deeper than the parser can go
    ],
    ids=["truncated", "single-quotes", "trailing", "not-utf8", "nan", "too-deep"],
)
def test_malformed_json_is_a_400_in_the_error_shape_and_changes_nothing(member, body):
    response = _signed_in_api(member).patch(API_ACCOUNT, body, content_type="application/json")

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "malformed_request"
    assert error["message"].startswith("JSON parse error")
    member.refresh_from_db()
    assert member.screen_name == "Rosa"


def test_json_that_is_not_an_object_is_a_400_naming_the_problem(member):
    response = _signed_in_api(member).patch(API_ACCOUNT, "[1, 2]", content_type="application/json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "validation_error"


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/v1/me/settings/", b'{"theme": "\\udcff"}'),
        ("/api/v1/me/profile/", b'{"gender": "\\udcff"}'),
        ("/api/v1/me/profile/", b'{"country": "\\ud800x"}'),
        ("/api/v1/me/data-requests/", b'{"kind": "\\udcff"}'),
        ("/api/v1/me/settings/", b'{"\\udcff": "dark"}'),
    ],
    ids=["theme", "gender", "country", "data-request-kind", "a-key"],
)
def test_a_lone_surrogate_in_json_is_a_400_and_changes_nothing(member, path, body):
    """JSON may escape half a UTF-16 pair, which is no character: it used to reach the
    error message that echoes the value, and fail to encode there (a 500)."""
    method = "post" if path.endswith("data-requests/") else "patch"
    response = getattr(_signed_in_api(member), method)(path, body, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "malformed_request"
    assert "lone surrogate" in response.json()["error"]["message"]
    assert not member.data_requests.exists()


# --- A burst of failed sign-ins from one address ---------------------------------------------


def _sign_in(client, username, password, ip):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_a_burst_of_failed_sign_ins_over_many_names_locks_that_address_out(
    member, password, settings
):
    # Above axes' per-name limit, below the default, to keep the test quick (every failed
    # attempt costs a full password hash).
    settings.SIGNIN_ADDRESS_FAILURE_LIMIT = settings.AXES_FAILURE_LIMIT + 3
    attacker = Client()
    attempts = [
        _sign_in(attacker, f"guess.{n}", "Summer2026!", "198.51.100.23")
        for n in range(settings.SIGNIN_ADDRESS_FAILURE_LIMIT)
    ]
    # Each name was tried once: the per-name lockout (django-axes) never tripped.
    assert {r.status_code for r in attempts} == {200}

    locked = _sign_in(attacker, member.login_name, password, "198.51.100.23")
    admin_locked = attacker.post(
        "/admin/login/",
        {"username": member.login_name, "password": password},
        REMOTE_ADDR="198.51.100.23",
    )
    elsewhere = _sign_in(Client(), member.login_name, password, "203.0.113.7")

    assert locked.status_code == 429
    assert "Too many failed sign-in attempts from your network" in locked.text
    assert "_auth_user_id" not in attacker.session
    assert admin_locked.status_code == 429
    assert elsewhere.status_code == 302  # the member, from their own network


def test_failures_below_the_address_limit_do_not_lock_it(member, password, settings):
    settings.SIGNIN_ADDRESS_FAILURE_LIMIT = 3
    client = Client()
    for n in range(2):
        _sign_in(client, f"typo.{n}", "wrong", "198.51.100.24")

    assert _sign_in(client, member.login_name, password, "198.51.100.24").status_code == 302


def test_the_address_lockout_ends_after_the_cooloff(member, password, settings):
    from django.core.cache import cache

    settings.SIGNIN_ADDRESS_FAILURE_LIMIT = 2
    client = Client()
    for n in range(2):
        _sign_in(client, f"typo.{n}", "wrong", "198.51.100.25")
    assert _sign_in(client, member.login_name, password, "198.51.100.25").status_code == 429

    cache.clear()  # what the cool-off's expiry does to the counter

    assert _sign_in(client, member.login_name, password, "198.51.100.25").status_code == 302


def test_the_cache_holds_no_raw_address(member, settings):
    from django.core.cache import cache

    _sign_in(Client(), "typo", "wrong", "198.51.100.26")

    keys = [key for key in cache._cache if "signin-failures" in key]
    assert len(keys) == 1 and "198.51.100.26" not in keys[0]


# --- Tampered session cookie --------------------------------------------------------------------


def test_a_tampered_session_cookie_is_treated_as_signed_out(member, password):
    browser = Client()
    assert _sign_in(browser, member.login_name, password, "203.0.113.7").status_code == 302
    genuine = browser.cookies[settings.SESSION_COOKIE_NAME].value
    assert browser.get(ACCOUNT).status_code == 200

    tampered = genuine[:-1] + ("a" if genuine[-1] != "a" else "b")
    browser.cookies[settings.SESSION_COOKIE_NAME] = tampered
    page = browser.get(ACCOUNT)
    api = APIClient()
    api.cookies[settings.SESSION_COOKIE_NAME] = tampered
    api_answer = api.get(API_ACCOUNT)

    assert page.status_code == 302 and page["Location"].startswith(reverse("accounts:login"))
    assert api_answer.status_code in (401, 403)
    assert "rosa" not in api_answer.content.decode().lower()
    browser.cookies[settings.SESSION_COOKIE_NAME] = genuine
    assert browser.get(ACCOUNT).status_code == 200  # the real session was not harmed
    assert User.objects.filter(pk=member.pk, is_active=True).exists()
