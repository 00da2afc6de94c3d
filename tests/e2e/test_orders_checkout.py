"""A member buys a BestQM licence in a real browser: an approving sandbox card shows the
serial number; a declining card shows a clear error, leaves no paid order, and the order
can be paid on a second try."""

import re
from datetime import date

from playwright.sync_api import expect

from orders.models import Licence, Order
from tests.accounts.factories import PASSWORD, UserFactory
from tests.e2e.member_menu import open_member_menu
from tests.orders.factories import ProductFactory

EXPIRY = f"04/{(date.today().year + 2) % 100:02d}"


def _sign_in(page):
    page.goto("/accounts/login/")
    page.get_by_label("Login name or e-mail").fill("licence.buyer")
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def _pay(page, number, code="737"):
    page.get_by_label("Card number").fill(number)
    page.get_by_label("Expiry date (MM/YY)").fill(EXPIRY)
    page.get_by_label("Security code").fill(code)
    page.get_by_role("button", name=re.compile(r"^Pay ")).click()


def _buy(page, number):
    page.get_by_role("link", name="Products").click()
    page.get_by_role("link", name="Buy BestQM licence, browser edition").click()
    expect(page.get_by_label(re.compile(r"^Name:?$"))).to_have_value("Lena Byers")
    _pay(page, number)


def test_a_member_buys_a_licence_and_a_declined_card_can_be_retried(page, db):
    member = UserFactory(
        login_name="licence.buyer",
        email="licence.buyer@example.org",
        first_name="Lena",
        last_name="Byers",
        zip_code="30301",
    )
    ProductFactory(name="BestQM licence, browser edition", slug="browser-licence")
    _sign_in(page)

    _buy(page, "4242 4242 4242 4242")
    expect(page.get_by_text("Thank you: your payment was approved.")).to_be_visible()
    serial = Licence.objects.get(member=member).serial
    expect(page.locator("code.serial")).to_have_text(serial)
    expect(page.locator(".order-status")).to_have_text("Fulfilled")
    expect(page.get_by_text("Visa •••• 4242").first).to_be_visible()

    _buy(page, "4000 0000 0000 0002")
    expect(page.get_by_text("Your card was declined by its issuer.")).to_be_visible()
    expect(page.locator(".order-status")).to_have_text("Payment failed")
    declined = Order.objects.filter(member=member).order_by("-created_at").first()
    assert declined.status == Order.Status.PAYMENT_FAILED and declined.paid_at is None
    assert not Licence.objects.filter(order=declined).exists()
    assert Order.objects.filter(member=member, paid_at__isnull=False).count() == 1

    expect(page.get_by_role("heading", name="Try the payment again")).to_be_visible()
    _pay(page, "4242 4242 4242 4242")
    expect(page.get_by_text("Thank you: your payment was approved.")).to_be_visible()
    declined.refresh_from_db()
    assert declined.status == Order.Status.FULFILLED
    expect(page.locator("code.serial")).to_have_text(Licence.objects.get(order=declined).serial)

    open_member_menu(page).get_by_role("link", name="My orders", exact=True).click()
    expect(page.locator("table.simple tbody tr")).to_have_count(2)
