import re

from django.core import mail
from playwright.sync_api import expect

from accounts.models import User

PASSWORD_LABEL = re.compile(r"^Password:?$")


def test_visitor_signs_up_signs_out_signs_in_and_edits_private_details(page, live_server, db):
    """The newcomer's path, in a real browser; no request may leave the site."""
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Keep your privacy")
    page.get_by_role("link", name="Sign up").first.click()

    page.get_by_label("Login name").fill("browser.bea")
    page.get_by_label("E-mail address").fill("bea.browser@example.org")
    page.get_by_label("First name").fill("Beatrix")
    page.get_by_label("Last name").fill("Lindqvist")
    page.get_by_label("ZIP code").fill("9410")  # one digit short: the form must say so
    page.get_by_label(PASSWORD_LABEL).fill("copper-kettle-orchard-31")
    page.get_by_label("Password again").fill("copper-kettle-orchard-31")
    page.get_by_role("button", name="Create account").click()

    # In the summary at the top (a link to the field) and beside the field.
    expect(page.get_by_role("link", name=re.compile("Enter a 5-digit ZIP code"))).to_be_visible()
    expect(page.get_by_text("Enter a 5-digit ZIP code")).to_have_count(2)
    assert not User.objects.filter(login_name="browser.bea").exists()

    page.get_by_label("ZIP code").fill("94107")
    page.get_by_label(PASSWORD_LABEL).fill("copper-kettle-orchard-31")
    page.get_by_label("Password again").fill("copper-kettle-orchard-31")
    page.get_by_role("button", name="Create account").click()

    # Not signed in yet: the same page whether or not the address had an account.
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()
    confirmation = mail.outbox[-1]
    assert confirmation.to == ["bea.browser@example.org"]
    link = re.search(r"https?://\S+/accounts/email/confirm/\S+/", confirmation.body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirm my e-mail address").click()
    expect(page.get_by_text("Your e-mail address is confirmed")).to_be_visible()
    assert User.objects.get(login_name="browser.bea").email_verified_at is not None

    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name="Sign in").click()
    page.get_by_label("Login name or e-mail").fill("BEA.BROWSER@example.org")
    page.get_by_label(PASSWORD_LABEL).fill("copper-kettle-orchard-31")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/accounts/$"))

    page.get_by_label("ZIP code").fill("10001")
    page.get_by_label("Screen name").fill("Bea")
    page.get_by_role("button", name="Save details").click()

    expect(page.get_by_text("Your private details were saved.")).to_be_visible()
    page.reload()
    expect(page.get_by_label("ZIP code")).to_have_value("10001")
    user = User.objects.get(login_name="browser.bea")
    assert (user.zip_code, user.screen_name) == ("10001", "Bea")

    # The session cookie dies with the browser: it has no expiry date.
    session = next(c for c in page.context.cookies() if c["name"] == "sessionid")
    assert session["expires"] == -1
    assert session["httpOnly"] is True

    assert page.requests, "the request log recorded the visit"
    assert any("/static/css/bestqm.css" in url for url in page.requests)
