"""End to end: the BestQM software reports a session, the member browses and then reads
their own usage history, and staff read the dashboard, which names no one."""

import re

from knox.models import AuthToken
from playwright.sync_api import expect

from activity.models import PageView
from activity.visits.buffer import flush_page_views, page_view_buffer
from orders.licences.services import licence_issue
from privacy.audit.services import Actor
from privacy.roles import Role
from tests.accounts.factories import PASSWORD, StaffFactory, UserFactory
from tests.e2e.member_menu import open_member_menu
from tests.e2e.staff_sign_in import admin_sign_in

PASSWORD_LABEL = re.compile(r"^Password:?$")


def _sign_in(page, login_name):
    page.goto("/accounts/login/")
    page.get_by_label("Login name or e-mail").fill(login_name)
    page.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_client_session_usage_history_and_the_staff_dashboard(browser, live_server, db, settings):
    # The buffer writes when the test says so, not when a slow machine lets its oldest view
    # wait past the batch time (then the directory request itself would have written them).
    settings.ACTIVITY_PAGE_VIEW_BATCH_SECONDS = 3600
    settings.ACTIVITY_PAGE_VIEW_BATCH_SIZE = 1000
    page_view_buffer.drain()  # views an earlier test left behind are not this test's
    member = UserFactory(login_name="cam.user", first_name="Camille", last_name="Ueda")
    licence = licence_issue(member=member, actor=Actor.system())
    _, token = AuthToken.objects.create(user=member)
    # A support agent: the dashboard is theirs, and it names no one.
    StaffFactory(login_name="staff.sam", roles=[Role.SUPPORT_AGENT])

    contexts = [browser.new_context(base_url=live_server.url) for _ in range(3)]
    try:
        software, member_page, staff_page = contexts[0], *(c.new_page() for c in contexts[1:])
        requests = []
        for page in (member_page, staff_page):
            page.set_default_timeout(10_000)
            page.on("request", lambda r: requests.append(r.url))

        # The BestQM software: open, heartbeat, end (twice: the same answer).
        auth = {"Authorization": f"Token {token}"}
        opened = software.request.post(
            "/api/v1/client/sessions/",
            headers=auth,
            data={
                "serial": licence.serial,
                "software_version": "2.4.1",
                "camera_type": "Logitech C920",
            },
        )
        assert opened.status == 201, opened.text()
        session = opened.json()["id"]
        beat = software.request.post(f"/api/v1/client/sessions/{session}/heartbeat/", headers=auth)
        assert beat.status == 200
        ended = software.request.post(f"/api/v1/client/sessions/{session}/end/", headers=auth)
        again = software.request.post(f"/api/v1/client/sessions/{session}/end/", headers=auth)
        assert ended.json() == again.json() and ended.json()["status"] == "ended"
        anonymous = software.request.post(f"/api/v1/client/sessions/{session}/end/")
        assert anonymous.status == 401

        # The member browses; the server buffers the views, written here as after a few
        # seconds.
        _sign_in(member_page, "cam.user")
        member_page.get_by_role("link", name="Directory").click()
        expect(member_page.get_by_role("heading", name="Directory")).to_be_visible()
        assert flush_page_views() >= 2
        assert PageView.objects.filter(member=member, path="/directory/").exists()

        open_member_menu(member_page).get_by_role("link", name="My activity").click()
        sessions = member_page.get_by_role("region", name="Sessions in the BestQM software")
        expect(sessions).to_contain_text("2.4.1")
        expect(sessions).to_contain_text("Logitech C920")
        expect(sessions).to_contain_text(licence.serial)
        expect(sessions).not_to_contain_text("running")
        visits = member_page.get_by_role("region", name="Your latest visits")
        expect(visits).to_contain_text("/directory/")
        expect(visits).to_contain_text("Chrome")

        # Staff read the dashboard: counts only, charts styled by the app's own CSS.
        admin_sign_in(staff_page, "staff.sam")  # password and the authenticator's code
        staff_page.goto("/admin/")
        staff_page.get_by_role("link", name="Activity dashboard").click()
        expect(staff_page.get_by_role("heading", name="Page views")).to_be_visible()
        versions = staff_page.locator("#chart-versions")
        expect(versions.locator("svg text").first).to_have_text("2.4.1")
        versions.get_by_text("Numbers").click()
        expect(versions.get_by_role("row")).to_have_text([re.compile(r"2\.4\.1\s*1 \(100 %\)")])
        fill = staff_page.locator(".chart-bar").first.evaluate("bar => getComputedStyle(bar).fill")
        assert fill not in ("", "rgb(0, 0, 0)"), "the dashboard stylesheet was not applied"
        main = staff_page.locator("#content-main")
        expect(main).not_to_contain_text("cam.user")
        expect(main).not_to_contain_text("127.0.0.1")
        staff_page.get_by_role("link", name="Per week").click()
        expect(staff_page.locator("#chart-sessions")).to_contain_text("Week of")
    finally:
        for context in contexts:
            context.close()

    foreign = [
        u for u in requests if not u.startswith(live_server.url) and not u.startswith("data:")
    ]
    assert not foreign, foreign
