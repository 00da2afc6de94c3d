import re

from playwright.sync_api import expect

from accounts.models import PublicProfile
from tests.accounts.factories import PASSWORD, UserFactory
from tests.e2e.member_menu import open_member_menu

PASSWORD_LABEL = re.compile(r"^Password:?$")


def test_member_controls_who_sees_each_field_and_removes_them(browser, live_server, db):
    UserFactory(
        login_name="vis.tester",
        email="vis.tester@example.org",
        first_name="Vera",
        last_name="Ilves",
    )
    contexts = [browser.new_context(base_url=live_server.url) for _ in range(2)]
    try:
        _walk_through(*(c.new_page() for c in contexts), live_server)
    finally:
        for context in contexts:
            context.close()


def _walk_through(member, visitor, live_server):
    requests = []
    for page in (member, visitor):
        page.set_default_timeout(10_000)
        page.on("request", lambda r: requests.append(r.url))

    member.goto("/accounts/login/")
    member.get_by_label("Login name or e-mail").fill("vis.tester")
    member.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
    member.get_by_role("button", name="Sign in").click()
    open_member_menu(member).get_by_role("link", name="My profile").click()

    member.get_by_label("Username").fill("lantern_fish")
    member.get_by_label(re.compile(r"^Gender:?$")).select_option("non_binary")
    member.get_by_label("Who sees your gender").select_option("everyone")
    member.get_by_label("Looking for").select_option("friendship")
    member.get_by_label("About my lifestyle").fill("Kayaking at dawn")
    member.locator("#id_lifestyle_visibility").select_option("members")
    member.get_by_label("City").fill("Duluth")
    member.locator("#id_location_visibility").select_option("only_me")
    member.get_by_role("button", name="Create profile").click()
    expect(member.get_by_text("Your public profile was saved.")).to_be_visible()

    as_visitor = member.get_by_role("region", name="As a visitor sees it")
    expect(as_visitor).to_contain_text("Non-binary")
    expect(as_visitor).not_to_contain_text("Kayaking")
    expect(member.get_by_role("region", name="As a member sees it")).to_contain_text("Kayaking")

    visitor.goto("/directory/")
    card = visitor.locator(".directory li", has_text="lantern_fish")
    expect(card).to_contain_text("Non-binary")
    expect(card).not_to_contain_text("Kayaking")
    expect(card).not_to_contain_text("Duluth")

    member.get_by_role("button", name="Remove gender").click()
    expect(member.get_by_text("It no longer appears anywhere.")).to_be_visible()
    visitor.goto("/directory/lantern_fish/")
    expect(visitor.get_by_role("heading", name="lantern_fish")).to_be_visible()
    expect(visitor.locator("main")).not_to_contain_text("Non-binary")

    member.get_by_role("link", name="Remove my public profile").click()
    member.get_by_role("button", name="Yes, remove my public profile").click()
    expect(member.get_by_text("Your public profile was removed.")).to_be_visible()
    assert not PublicProfile.objects.filter(username="lantern_fish").exists()

    response = visitor.goto("/directory/lantern_fish/")
    assert response.status == 404
    visitor.goto("/directory/")
    expect(visitor.locator("main")).not_to_contain_text("lantern_fish")

    foreign = [
        u for u in requests if not u.startswith(live_server.url) and not u.startswith("data:")
    ]
    assert not foreign, foreign
