"""Members and staff read fields by their labels, never by their column names: a sweep of
the pages a member reads about their data, the admin pages staff review it on, and every
e-mail the flow sends, after a member with an order asked for a correction of a billing
field, had it decided, and exported their data. No `billing_zip`, `card_exp_month` or
`session_generation`, nor any other declared field's name, appears in text a person reads
(attribute values such as a form field's `name` are for programs, and are not read)."""

import re
import uuid
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.urls import reverse

from orders.payment_gateway import CardDetails
from orders.payments import order_checkout
from privacy.audit.models import AuditEvent
from privacy.audit.services import Actor
from privacy.registry import registry
from privacy.requests.models import DataRequest
from privacy.roles import Role
from tests.orders.factories import ProductFactory

pytestmark = pytest.mark.django_db


def _machine_names() -> set[str]:
    names = set()
    for model in apps.get_models():
        if registry.declaration(model) is None:
            continue
        names |= {f.name for f in model._meta.concrete_fields if "_" in f.name}
    return names


class _ReadText(HTMLParser):
    """The text a person reads: element text and the attributes read aloud or shown."""

    def __init__(self, html: str):
        super().__init__()
        self.parts, self._skip = [], 0
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if name in ("title", "alt", "aria-label", "placeholder") and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)

    @property
    def text(self) -> str:
        return " ".join(self.parts)


def _names_in(text: str, names: set[str]) -> set[str]:
    return {n for n in names if re.search(rf"(?<![\w./-]){re.escape(n)}(?![\w/-])", text)}


@pytest.fixture
def story(member, member_client, staff_client, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        order, _, _ = order_checkout(
            member=member,
            actor=Actor(user=member),
            product=ProductFactory(),
            checkout_key=uuid.uuid4(),
            billing={
                "billing_name": "Rosa Q",
                "billing_zip": "90210",
                "billing_email": "rosa.bills@example.org",
            },
            card=CardDetails(
                number="4242424242424242", exp_month=4, exp_year=2031, security_code="123"
            ),
            keep_card=True,
            domain="testserver",
            use_https=False,
        )
    assert order.payments.get().card_exp_month == 4
    with django_capture_on_commit_callbacks(execute=True):
        asked = member_client.post(
            reverse("privacy:correction_request"),
            {f"orders.order__{order.pk}__billing_zip": "90211"},
        )
    assert asked.status_code == 302, asked.content
    correction = DataRequest.objects.get(member=member, kind="correction")
    officer = staff_client(Role.PRIVACY_OFFICER)
    review = reverse("admin:privacy_datarequest_review", args=[correction.pk])
    pages = {"review": officer.get(review).text}
    item = correction.items.get()
    with django_capture_on_commit_callbacks(execute=True):
        decided = officer.post(review, {f"decision-{item.pk}": "approve"}, follow=True)
    pages["review, decided"] = decided.text
    with django_capture_on_commit_callbacks(execute=True):
        exported = member_client.post(reverse("privacy:export_request"), follow=True)
    pages["export asked"] = exported.text
    for name, url in {
        "privacy centre": reverse("privacy:centre"),
        "correction form": reverse("privacy:correction_request"),
        "account": reverse("accounts:account"),
        "order": reverse("orders:detail", args=[order.pk]),
        "request": reverse("privacy:request", args=[correction.pk]),
    }.items():
        pages[name] = member_client.get(url).text
    for name, url in {
        "admin request": reverse("admin:privacy_datarequest_change", args=[correction.pk]),
        "admin requests": reverse("admin:privacy_datarequest_changelist"),
        "admin order": reverse("admin:orders_order_change", args=[order.pk]),
        "admin member": reverse("admin:accounts_user_change", args=[member.pk]),
        "admin audit": reverse("admin:privacy_auditevent_changelist"),
        "admin audit event": reverse(
            "admin:privacy_auditevent_change",
            args=[
                AuditEvent.objects.filter(object_type="orders.order").exclude(fields=[]).first().pk
            ],
        ),
    }.items():
        response = officer.get(url)
        assert response.status_code == 200, name
        pages[name] = response.text
    return pages, list(mailoutbox)


def test_no_page_or_mail_of_the_story_shows_a_column_name(story):
    pages, mails = story
    names = _machine_names()
    assert {"billing_zip", "card_exp_month", "session_generation"} <= names
    found = {name: _names_in(_ReadText(html).text, names) for name, html in pages.items()}
    shown = {name: sorted(seen) for name, seen in found.items() if seen}
    assert not shown, repr(shown)
    assert mails
    for mail in mails:
        assert _names_in(f"{mail.subject}\n{mail.body}", names) == set(), mail.subject
    assert "Billing ZIP code" in _ReadText(pages["review"]).text
