"""The Content-Security-Policy holds in a real browser: the main pages for a visitor, a
member and staff (every admin list and add page linked from the admin's index, change
pages, the activity dashboard) and the API docs load with the policy on, and Chromium
reports no violation: no inline script or style, nothing from elsewhere, no eval.

Violations are caught twice: the `securitypolicyviolation` event each page raises, and
the console errors Chromium writes for them.
"""

import re

from playwright.sync_api import expect

from privacy.roles import Role
from tests.accounts.factories import PASSWORD, ProfileFactory, StaffFactory, UserFactory
from tests.e2e.member_menu import open_member_menu
from tests.e2e.staff_sign_in import admin_sign_in
from tests.orders.factories import OrderFactory
from tests.support.factories import TicketFactory

PASSWORD_LABEL = re.compile(r"^Password:?$")
LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} at ${event.sourceFile}:${event.lineNumber}`
  );
});
"""


class Violations(list):
    def visit(self, page, path):
        response = page.goto(path)
        assert response is not None and response.status < 500, f"{path}: {response.status}"
        assert "Content-Security-Policy" in response.headers or (
            "content-security-policy" in response.headers
        ), path
        page.wait_for_load_state("load")
        self.collect(page, path)

    def collect(self, page, path):
        self.extend(f"{path}: {v}" for v in page.evaluate("window.__cspViolations || []"))


def _watch(page) -> Violations:
    violations = Violations()
    page.add_init_script(LISTEN)
    page.on(
        "console",
        lambda message: (
            violations.append(f"{page.url}: console: {message.text}")
            if "Content Security Policy" in message.text
            or "Content-Security-Policy" in message.text
            else None
        ),
    )
    return violations


def _sign_in(page, login_name):
    page.goto("/accounts/login/")
    page.get_by_label("Login name or e-mail").fill(login_name)
    page.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/accounts/")


def test_pages_load_under_the_policy_without_a_single_violation(page, db):
    member = UserFactory(login_name="csp.member", first_name="Carla", last_name="Sp")
    ProfileFactory(member=member, username="carla_sp")
    order = OrderFactory(member=member)
    ticket = TicketFactory(member=member)
    StaffFactory(login_name="csp.admin", is_superuser=True, roles=[Role.PRIVACY_OFFICER])
    violations = _watch(page)

    for path in [
        "/",
        "/directory/",
        "/directory/carla_sp/",
        "/privacy/",
        "/privacy/cookies/",
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
        "/orders/products/",
        "/support/partners/",
        "/no/such/page/",
    ]:
        violations.visit(page, path)

    # The API docs: Swagger UI builds the page from the schema with its own scripts.
    violations.visit(page, "/api/docs/")
    expect(page.locator(".swagger-ui .information-container")).to_be_visible()
    page.locator(".opblock-summary").first.click()
    expect(page.locator(".opblock-body").first).to_be_visible()
    violations.collect(page, "/api/docs/ (an operation opened)")

    _sign_in(page, "csp.member")
    for path in [
        "/accounts/",
        "/profile/",
        "/orders/",
        f"/orders/{order.pk}/",
        "/orders/products/bestqm-licence/checkout/",
        "/support/",
        f"/support/tickets/{ticket.pk}/",
        "/support/tickets/new/",
        "/support/notices/",
        "/activity/",
        "/privacy/centre/",
    ]:
        violations.visit(page, path)
    open_member_menu(page).get_by_role("button", name="Sign out").click()

    # A staff account signs in with its password alone only to set up two-factor
    # sign-in: the enrolment page (its QR code is inline SVG) is under the policy too.
    _sign_in(page, "csp.admin")
    violations.visit(page, "/admin/two-factor/enrol/")
    expect(page.get_by_text("Scan this QR code")).to_be_visible()
    violations.visit(page, "/accounts/logout/")
    page.get_by_role("main").get_by_role("button", name="Sign out").click()
    admin_sign_in(page, "csp.admin")
    violations.visit(page, "/admin/")
    admin_pages = sorted(
        set(
            page.locator("#content-main a[href^='/admin/']").evaluate_all(
                "links => links.map(a => a.getAttribute('href'))"
            )
        )
    )
    assert len(admin_pages) > 10, admin_pages
    for path in [
        *admin_pages,
        f"/admin/accounts/user/{member.pk}/change/",
        f"/admin/orders/order/{order.pk}/change/",
        f"/admin/support/ticket/{ticket.pk}/change/",
        f"/admin/support/ticket/{ticket.pk}/delete/",
        "/admin/activity/activitydashboard/",
        "/admin/password_change/",
    ]:
        violations.visit(page, path)
    # The change list's own scripts at work: select all rows, open the action menu.
    violations.visit(page, "/admin/support/ticket/")
    page.locator("#action-toggle").check()
    page.locator("select[name='action']").select_option(index=1)
    violations.collect(page, "/admin/support/ticket/ (actions)")

    assert violations == []
