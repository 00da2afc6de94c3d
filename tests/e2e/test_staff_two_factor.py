"""In a real browser: a new staff member signs in with a password, is sent to set up
two-factor sign-in, adds the key to an "authenticator app" (the code is computed here from
the key the page shows as text), keeps the recovery codes, and opens the admin; later they
sign in with one of those recovery codes."""

import os
from base64 import b32decode
from pathlib import Path

from django_otp.oath import totp
from playwright.sync_api import expect

from privacy.roles import Role
from tests.accounts.factories import PASSWORD, StaffFactory
from tests.e2e.staff_sign_in import PASSWORD_LABEL

SHOTS = os.environ.get("BESTQM_SCREENSHOTS")


def _shot(page, name):
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})


def _code_from_key(text: str) -> str:
    key = text.replace(" ", "")
    key += "=" * (-len(key) % 8)
    return f"{totp(b32decode(key)):06d}"


def _password_step(page, login, code=""):
    page.goto("/admin/")
    page.get_by_label("Login name").fill(login)
    page.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
    page.get_by_label("Authentication code").fill(code)
    page.get_by_role("button", name="Log in").click()


def test_a_new_staff_member_enrols_an_app_then_signs_in_with_a_recovery_code(page, db):
    StaffFactory(login_name="nina.new", roles=[Role.SUPPORT_AGENT])

    _password_step(page, "nina.new")
    page.wait_for_url("**/admin/two-factor/enrol/")
    expect(page.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()
    expect(page.locator(".staff-otp-qr svg")).to_be_visible()
    _shot(page, "enrol")

    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_label("Authentication code").fill("000000")
    key = page.locator(".staff-otp-key").inner_text()
    code = _code_from_key(key)
    page.get_by_label("Authentication code").fill(code)
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    codes = page.locator(".staff-otp-codes code").all_inner_texts()
    assert len(codes) == 10
    _shot(page, "recovery-codes")
    page.get_by_role("link", name="Continue to the staff pages").click()
    expect(page.get_by_role("heading", name="Staff work")).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    _password_step(page, "nina.new", code="123")
    expect(page.get_by_text("That code is not right")).to_be_visible()
    _password_step(page, "nina.new", code=codes[0])
    expect(page.get_by_role("heading", name="Staff work")).to_be_visible()
