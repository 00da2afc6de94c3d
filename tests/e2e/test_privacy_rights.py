"""In a real browser: a member exports and downloads their data; a member asks for deletion
and cancels it; a privacy officer approves a correction in the admin and the member sees
the new value."""

import json
import re
import zipfile

from playwright.sync_api import expect

from privacy.roles import Role
from tests.accounts.factories import PASSWORD, StaffFactory, UserFactory
from tests.e2e.member_menu import open_member_menu
from tests.e2e.staff_sign_in import admin_sign_in

PASSWORD_LABEL = re.compile(r"^Password:?$")


def _sign_in(page, login):
    page.goto("/accounts/login/")
    page.get_by_label("Login name or e-mail").fill(login)
    page.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def _decline_interest_cookies(page):
    page.goto("/")
    page.get_by_role("button", name="Essential cookies only").click()
    expect(page.get_by_role("button", name="Essential cookies only")).to_have_count(0)


def test_member_exports_and_downloads_their_data(page, db, tmp_path):
    UserFactory(login_name="export.tester", email="export.tester@example.org")
    _decline_interest_cookies(page)
    _sign_in(page, "export.tester")
    open_member_menu(page).get_by_role("link", name="Privacy centre").click()
    page.get_by_role("button", name="Export my data").click()
    expect(page.get_by_test_id("request-status")).to_have_text("Completed")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download my data (zip)").click()
    path = tmp_path / "export.zip"
    download_info.value.save_as(path)
    with zipfile.ZipFile(path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        user = json.loads(archive.read("accounts.user.json"))[0]
    assert "accounts.user" in {t["name"] for t in manifest["tables"]}
    assert user["email"] == "export.tester@example.org"


def test_member_requests_deletion_and_cancels_it(page, db):
    UserFactory(login_name="leaving.tester", email="leaving.tester@example.org")
    _decline_interest_cookies(page)
    _sign_in(page, "leaving.tester")
    open_member_menu(page).get_by_role("link", name="Privacy centre").click()
    page.get_by_role("link", name="Delete my account and data").click()
    page.get_by_label("Your current password").fill("not the password")
    page.get_by_role("button", name="Delete my account").click()
    # Beside the field, and in the summary at the top, which links to the field.
    expect(page.get_by_text("not your current password")).to_have_count(2)
    page.get_by_role("link", name=re.compile("not your current password")).click()
    expect(page.get_by_label("Your current password")).to_be_focused()

    page.get_by_label("Your current password").fill(PASSWORD)
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_role("heading", name="Your account will be deleted")).to_be_visible()
    expect(page.get_by_role("link", name="Sign in")).to_have_count(2)  # signed out

    _sign_in(page, "leaving.tester")
    open_member_menu(page).get_by_role("link", name="Privacy centre").click()
    page.get_by_role("link", name=re.compile(r"Deletion of my data #\d+")).click()
    page.get_by_role("button", name="Cancel this request").click()
    expect(page.get_by_text("Your request is cancelled.")).to_be_visible()
    expect(page.get_by_test_id("request-status")).to_have_text("Cancelled")


def test_privacy_officer_approves_a_correction_and_the_member_sees_it(browser, live_server, db):
    UserFactory(login_name="typo.tester", email="typo.tester@example.org")
    StaffFactory(login_name="officer.one", roles=[Role.PRIVACY_OFFICER])
    contexts = [browser.new_context(base_url=live_server.url) for _ in range(2)]
    try:
        member, officer = (c.new_page() for c in contexts)
        for p in (member, officer):
            p.set_default_timeout(10_000)
        _sign_in(member, "typo.tester")
        member.goto("/privacy/requests/correction/")
        member.get_by_label("Login name").fill("typo.fixed")
        member.get_by_role("button", name="Send my correction request").click()
        expect(member.get_by_text("Your correction request was sent.")).to_be_visible()

        admin_sign_in(officer, "officer.one")
        officer.goto("/admin/privacy/datarequest/")
        officer.get_by_role("link", name=re.compile(r"Correction of my data #\d+")).click()
        officer.get_by_role("link", name="Review the corrections").click()
        expect(officer.locator("del")).to_have_text("typo.tester")
        expect(officer.locator("ins")).to_have_text("typo.fixed")
        officer.get_by_label("Approve").check()
        officer.get_by_role("button", name="Save decisions").click()
        expect(officer.get_by_text("The decisions were saved")).to_be_visible()

        member.goto("/accounts/")
        expect(member.get_by_text("typo.fixed")).to_be_visible()
    finally:
        for context in contexts:
            context.close()
