"""Every page a visitor or member sees, and the main admin pages: the one table the layout
and accessibility tests (test_layout_and_accessibility.py) walk.

To add a page, add a row: who sees it ("visitor", "member" or "staff", the superuser) and
its path, a string or a function of the World (tests/bestqm/access_world.py) that the
test builds once. Visitor and member rows get the layout check at every width and axe;
staff rows (the admin) get axe.
"""

from collections.abc import Callable
from dataclasses import dataclass

from support.outbound.links import outbound_path
from tests.bestqm.access_world import World

VISITOR, MEMBER, STAFF = "visitor", "member", "staff"
WIDTHS = (1280, 1024, 768, 390)


@dataclass(frozen=True)
class Page:
    who: str
    path: str | Callable[[World], str]

    def url(self, world: World) -> str:
        return self.path(world) if callable(self.path) else self.path


PAGES = [
    # A visitor, before any cookie choice: the cookie bar is on these pages.
    Page(VISITOR, "/"),
    Page(VISITOR, "/directory/"),
    Page(VISITOR, "/directory/?country=US"),
    Page(VISITOR, lambda w: f"/directory/{w.other_username}/"),
    Page(VISITOR, "/orders/products/"),
    Page(VISITOR, "/support/partners/"),
    Page(VISITOR, "/accounts/signup/"),
    Page(VISITOR, "/accounts/login/"),
    Page(VISITOR, "/accounts/password/reset/"),
    Page(VISITOR, "/accounts/password/reset/sent/"),
    Page(VISITOR, "/accounts/signup/sent/"),
    Page(VISITOR, "/accounts/email/confirm/not-a-real-link/"),
    Page(VISITOR, "/privacy/"),
    Page(VISITOR, "/privacy/cookies/"),
    Page(VISITOR, "/transparency/"),
    Page(VISITOR, lambda w: f"/support/unsubscribe/{w.unsubscribe_token}/"),
    Page(VISITOR, lambda w: outbound_path("https://cameraclub.example/")),
    Page(VISITOR, "/no-such-page/"),
    # The member (Rosa), signed in, cookie choice made.
    Page(MEMBER, "/"),
    Page(MEMBER, "/directory/"),
    Page(MEMBER, lambda w: f"/directory/{w.profile_username}/"),
    Page(MEMBER, "/profile/"),
    Page(MEMBER, "/profile/remove/"),
    Page(MEMBER, "/accounts/"),
    Page(MEMBER, "/accounts/password/"),
    Page(MEMBER, "/accounts/logout/"),
    Page(MEMBER, "/orders/products/"),
    Page(MEMBER, lambda w: f"/orders/products/{w.product.slug}/checkout/"),
    Page(MEMBER, "/orders/"),
    Page(MEMBER, lambda w: f"/orders/{w.paid_order.pk}/"),
    Page(MEMBER, lambda w: f"/orders/{w.open_order.pk}/"),
    Page(MEMBER, "/support/"),
    Page(MEMBER, "/support/tickets/new/"),
    Page(MEMBER, lambda w: f"/support/tickets/{w.ticket.pk}/"),
    Page(MEMBER, "/support/notices/"),
    Page(MEMBER, "/support/partners/"),
    Page(MEMBER, lambda w: f"/support/partners/{w.partner.slug}/share/"),
    Page(MEMBER, "/activity/"),
    Page(MEMBER, "/privacy/centre/"),
    Page(MEMBER, "/privacy/requests/correction/"),
    Page(MEMBER, "/privacy/requests/deletion/"),
    Page(MEMBER, lambda w: f"/privacy/requests/{w.export.pk}/"),
    Page(MEMBER, "/privacy/cookies/"),
    Page(MEMBER, "/privacy/"),
    Page(MEMBER, "/transparency/"),
    # Staff: the admin's main pages.
    Page(STAFF, "/admin/"),
    Page(STAFF, "/admin/accounts/user/"),
    Page(STAFF, lambda w: f"/admin/accounts/user/{w.member.pk}/change/"),
    Page(STAFF, "/admin/orders/order/"),
    Page(STAFF, lambda w: f"/admin/orders/order/{w.paid_order.pk}/change/"),
    Page(STAFF, "/admin/support/ticket/"),
    Page(STAFF, lambda w: f"/admin/support/ticket/{w.ticket.pk}/change/"),
    Page(STAFF, "/admin/privacy/datarequest/"),
    Page(STAFF, "/admin/privacy/legalrequest/"),
    Page(STAFF, lambda w: f"/admin/privacy/legalrequest/{w.legal_case.pk}/change/"),
    Page(STAFF, "/admin/activity/activitydashboard/"),
    Page(STAFF, "/admin/outbox/outboxmessage/"),
]
