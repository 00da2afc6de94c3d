"""What every answer tells the browser: the Content-Security-Policy, HSTS, no sniffing, no
referrer to other sites, no framing; HTTPS enforced; cookies only over HTTPS and out of
scripts' reach. And `manage.py check --deploy` passing with production settings."""

import pytest
from django.conf import settings as django_settings
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from tests.bestqm.production import run

pytestmark = pytest.mark.django_db

PAGES = ["/", "/directory/", "/privacy/", "/accounts/login/", "/api/docs/", "/no/such/page/"]


def _directives(header: str) -> dict[str, list[str]]:
    parts = [part.split() for part in header.split(";") if part.strip()]
    return {name: values for name, *values in parts}


@pytest.mark.parametrize("path", PAGES)
def test_every_page_carries_a_strict_content_security_policy(client, path):
    response = client.get(path)

    policy = _directives(response["Content-Security-Policy"])
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    header = response["Content-Security-Policy"]
    assert "unsafe-inline" not in header and "unsafe-eval" not in header
    assert "http:" not in header and "https:" not in header and "*" not in header


def test_api_answers_and_the_admin_carry_it_too(client, staff_client):
    assert "frame-ancestors 'none'" in client.get("/api/v1/directory/")["Content-Security-Policy"]
    admin_client = staff_client(superuser=True)
    assert "frame-ancestors 'none'" in admin_client.get("/admin/")["Content-Security-Policy"]


def test_pages_forbid_sniffing_framing_and_leaking_the_referrer(client):
    response = client.get("/privacy/")

    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_https_answers_carry_hsts_for_a_year_with_subdomains(client):
    response = client.get("/privacy/", secure=True)

    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_plain_http_is_redirected_to_https_except_the_health_check(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    client = Client()

    plain = client.get("/privacy/?q=1")
    proxied = client.get("/privacy/", headers={"X-Forwarded-Proto": "https"})
    health = client.get("/healthz")

    assert plain.status_code == 301
    assert plain["Location"] == "https://testserver/privacy/?q=1"
    assert proxied.status_code == 200
    assert health.status_code == 200


def test_csrf_cookie_and_session_cookie_are_secure_and_http_only(client, member, password):
    login = client.get(reverse("accounts:login"))
    csrf = login.cookies[django_settings.CSRF_COOKIE_NAME]
    assert csrf["secure"] is True and csrf["httponly"] is True

    signed_in = client.post(
        reverse("accounts:login"), {"username": member.login_name, "password": password}
    )
    session = signed_in.cookies[django_settings.SESSION_COOKIE_NAME]
    assert signed_in.status_code == 302
    assert session["secure"] is True and session["httponly"] is True


def test_no_admin_page_writes_the_inline_style_of_a_change_list_without_actions():
    """Django's change list adds a <style> block only for a ModelAdmin that hides both
    action bars, which the CSP would refuse; none of ours does."""
    hiding = [
        type(model_admin).__name__
        for model_admin in admin.site._registry.values()
        if not model_admin.actions_on_top and not model_admin.actions_on_bottom
    ]
    assert hiding == []


# --- check --deploy -------------------------------------------------------------------------

PRODUCTION = {
    # A card processor that moves money (orders.W001 warns about the sandbox); the test
    # double stands in for the real one a deployment names.
    "PAYMENT_PROCESSOR": "tests.orders.conftest.RecordingProcessor",
    # A real mail transport (accounts.E001 refuses the console backend).
    "EMAIL_URL": "smtp+tls://bestqm:secret@mail.example:587",
}


def test_check_deploy_passes_with_production_settings():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("override", "warning"),
    [
        ({"SECURE_SSL_REDIRECT": "false"}, "security.W008"),
        ({"SECURE_HSTS_SECONDS": "0"}, "security.W004"),
        ({"SESSION_COOKIE_SECURE": "false"}, "security.W012"),
        ({"PAYMENT_PROCESSOR": None}, "orders.W001"),
    ],
)
def test_check_deploy_fails_when_a_protection_is_turned_off(override, warning):
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **{**PRODUCTION, **override}
    )

    assert result.returncode != 0
    assert warning in result.stderr
