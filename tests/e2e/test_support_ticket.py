import re

from django.core import mail
from playwright.sync_api import expect

from privacy.roles import Role
from support.models import Ticket
from tests.accounts.factories import PASSWORD, StaffFactory, UserFactory
from tests.e2e.member_menu import open_member_menu
from tests.e2e.staff_sign_in import admin_sign_in

PASSWORD_LABEL = re.compile(r"^Password:?$")
NOTE = "Checked billing: the serial was revoked by mistake."
REPLY = "We issued you a new serial; it is on your account page."


def test_member_opens_a_ticket_and_sees_the_agents_reply_but_never_the_note(
    browser, live_server, db
):
    """The support loop in real browsers: the member asks, an agent answers in the admin
    with an internal note and a public reply, the member reads the reply only."""
    UserFactory(login_name="tess.ticket", email="tess@example.org", first_name="Tess")
    StaffFactory(login_name="sam.support", roles=[Role.SUPPORT_AGENT], first_name="Sam")
    contexts = [browser.new_context(base_url=live_server.url) for _ in range(2)]
    try:
        member, agent = (c.new_page() for c in contexts)
        requests = []
        for page in (member, agent):
            page.set_default_timeout(10_000)
            page.on("request", lambda r: requests.append(r.url))
        _walk_through(member, agent)
        foreign = [u for u in requests if not u.startswith(live_server.url)]
        assert not [u for u in foreign if not u.startswith("data:")], foreign
    finally:
        for context in contexts:
            context.close()


def _walk_through(member, agent):
    member.goto("/accounts/login/")
    member.get_by_label("Login name or e-mail").fill("tess.ticket")
    member.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
    member.get_by_role("button", name="Sign in").click()
    open_member_menu(member).get_by_role("link", name="Support").click()
    member.get_by_role("link", name="Open a ticket").click()

    member.get_by_role("button", name="Send to support").click()  # empty: refused
    expect(member.get_by_text("Write a message: it cannot be empty.")).to_have_count(2)
    assert not Ticket.objects.exists()

    member.get_by_label("Subject").fill("My serial is refused")
    member.get_by_label("Your message").fill("The client says my serial is not valid.")
    member.get_by_role("button", name="Send to support").click()
    expect(member.get_by_text("Your ticket was sent.")).to_be_visible()
    ticket = Ticket.objects.get()
    assert [m.subject for m in mail.outbox] == [f"[BestQM support] New ticket #{ticket.pk}"]

    admin_sign_in(agent, "sam.support")  # password and the authenticator's code
    agent.goto(f"/admin/support/ticket/{ticket.pk}/change/")
    expect(agent.get_by_text("The client says my serial is not valid.")).to_be_visible()
    agent.get_by_role("textbox", name="Internal note").fill(NOTE)
    agent.get_by_role("textbox", name="Reply to the member").fill(REPLY)
    agent.get_by_role("button", name="Save and continue editing").click()
    expect(agent.get_by_text(NOTE)).to_be_visible()
    expect(agent.locator(".field-status")).to_contain_text("Answered")

    member.reload()
    conversation = member.get_by_role("region", name="Conversation")
    expect(conversation).to_contain_text(REPLY)
    expect(conversation.get_by_role("article", name="BestQM support wrote")).to_contain_text(REPLY)
    expect(member.locator("main")).not_to_contain_text(NOTE)
    expect(member.locator("main")).to_contain_text("Answered — your turn")
    assert mail.outbox[-1].to == ["tess@example.org"]
    assert REPLY not in mail.outbox[-1].body and NOTE not in mail.outbox[-1].body

    member.get_by_label("Your reply").fill("Thank you, it works now.")
    member.get_by_role("button", name="Send").click()
    expect(member.get_by_text("Your message was added to the ticket.")).to_be_visible()
    member.get_by_role("button", name="Close this ticket").click()
    expect(member.get_by_role("button", name="Reopen this ticket")).to_be_visible()
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.CLOSED
