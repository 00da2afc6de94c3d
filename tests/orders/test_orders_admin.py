"""Orders in the admin: billing agents see the billing contact, the masked card and the
member's phone, and refund; support agents see that an order exists, not who paid or how,
and cannot refund. Every opening is audited."""

import pytest
from django.urls import reverse

from orders.models import Order, PhoneContact
from privacy.audit.models import AuditEvent
from privacy.roles import Role
from tests.orders.conftest import APPROVE
from tests.orders.factories import OrderFactory

pytestmark = pytest.mark.django_db

BILLING_VALUES = ("Rosalind Quintero-Vale", "90210", "billing.rosa@example.org")


@pytest.fixture
def paid(member, licence_product, pay, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        order, _, _ = pay(licence_product, APPROVE)
    order.refresh_from_db()
    return order


def change_url(order):
    return reverse("admin:orders_order_change", args=[order.pk])


def refund_url(order):
    return reverse("admin:orders_order_refund", args=[order.pk])


def test_a_billing_agent_sees_the_billing_contact_the_masked_card_and_the_phone(staff_client, paid):
    page = staff_client(Role.BILLING_AGENT).get(change_url(paid))

    assert page.status_code == 200
    for value in BILLING_VALUES:
        assert value in page.text
    assert "Visa •••• 4242" in page.text
    assert "+12025550143" in page.text
    assert paid.licences.get().serial in page.text
    assert APPROVE not in page.text and paid.payments.get().card_token not in page.text
    assert "Refund this order" in page.text


def test_a_support_agent_sees_the_order_but_not_who_paid_or_how(staff_client, paid):
    page = staff_client(Role.SUPPORT_AGENT).get(change_url(paid))

    assert page.status_code == 200
    assert "Fulfilled" in page.text
    assert "Hidden for your role" in page.text
    for value in (*BILLING_VALUES, "4242", "+12025550143", paid.licences.get().serial):
        assert value not in page.text
    assert "Refund this order" not in page.text


def test_the_order_list_shows_no_billing_value_and_support_cannot_search_by_one(staff_client, paid):
    url = reverse("admin:orders_order_changelist")
    billing = staff_client(Role.BILLING_AGENT)
    found = billing.get(url, {"q": "billing.rosa@example.org"})
    assert f"Order #{paid.pk}" in found.text
    listing = billing.get(url).text
    for value in BILLING_VALUES:
        assert value not in listing

    support = staff_client(Role.SUPPORT_AGENT)
    assert f"Order #{paid.pk}" in support.get(url).text
    assert f"Order #{paid.pk}" not in support.get(url, {"q": "billing.rosa@example.org"}).text
    assert support.get(url, {"q": "not-a-number"}).status_code == 200


def test_opening_an_order_is_recorded_for_the_member_to_see(staff_client, paid, member):
    staff_client(Role.BILLING_AGENT).get(change_url(paid))

    viewed = AuditEvent.objects.filter(event_type="staff.viewed_private", actor_kind="staff")
    fields = set().union(*(set(e.fields) for e in viewed))
    assert {"billing_name", "billing_zip", "billing_email", "card_last4", "phone", "serial"} <= (
        fields
    )


@pytest.mark.parametrize("role", [Role.SUPPORT_AGENT, Role.PRIVACY_OFFICER])
def test_a_refund_by_anyone_but_billing_is_forbidden(staff_client, paid, role):
    client = staff_client(role)

    assert client.get(refund_url(paid)).status_code == 403
    assert client.post(refund_url(paid)).status_code == 403
    client.post(
        reverse("admin:orders_order_changelist"),
        {"action": "refund_orders", "_selected_action": [paid.pk]},
    )
    paid.refresh_from_db()
    assert paid.status == Order.Status.FULFILLED


def test_a_billing_agent_confirms_a_refund_and_the_serial_stops_working(staff_client, paid):
    client = staff_client(Role.BILLING_AGENT)
    confirm = client.get(refund_url(paid))
    assert confirm.status_code == 200
    assert "49.00 USD" in confirm.text and "Visa •••• 4242" in confirm.text

    done = client.post(refund_url(paid), follow=True)

    assert f"Order #{paid.pk} was refunded" in done.text
    paid.refresh_from_db()
    assert paid.status == Order.Status.REFUNDED
    assert paid.licences.get().revoked_at is not None
    again = client.post(refund_url(paid), follow=True)
    assert "Only a paid or fulfilled order can be refunded" in again.text


def test_the_refund_action_reports_each_order_it_could_not_refund(staff_client, paid):
    pending = OrderFactory()
    client = staff_client(Role.BILLING_AGENT)

    response = client.post(
        reverse("admin:orders_order_changelist"),
        {"action": "refund_orders", "_selected_action": [paid.pk, pending.pk]},
        follow=True,
    )

    assert "Refunded 1 order(s)." in response.text
    assert f"Order #{pending.pk}: Only a paid or fulfilled order can be refunded" in response.text
    pending.refresh_from_db()
    assert pending.status == Order.Status.PENDING


def _change_form(client, order, **rows):
    """The order's change form as the browser would send it, with `rows` filled into the
    add-a-phone-call inline."""
    page = client.get(change_url(order))
    data = {}
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        for name, field in formset.management_form.initial.items():
            data[f"{formset.prefix}-{name}"] = field
        if formset.model is PhoneContact and inline.has_add_permission:
            for name, value in rows.items():
                data[f"{formset.prefix}-0-{name}"] = value
    return data


def test_a_billing_agent_logs_a_phone_call_on_the_order(staff_client, paid):
    client = staff_client(Role.BILLING_AGENT)

    response = client.post(
        change_url(paid),
        _change_form(client, paid, outcome="voicemail", note="Asked them to retry."),
    )

    assert response.status_code == 302
    contact = paid.phone_contacts.get()
    assert contact.outcome == "voicemail" and contact.staff == client.staff
    assert "Asked them to retry." in client.get(change_url(paid)).text
    paid.refresh_from_db()
    assert paid.status == Order.Status.FULFILLED  # the order itself is not edited here


def test_a_note_with_a_card_number_is_refused(staff_client, paid):
    client = staff_client(Role.BILLING_AGENT)

    response = client.post(
        change_url(paid),
        _change_form(client, paid, outcome="reached", note="card 4242 4242 4242 4242"),
    )

    assert response.status_code == 200
    assert "Never write card details in a note." in response.text
    assert not paid.phone_contacts.exists()


def test_support_can_neither_change_an_order_nor_log_calls(staff_client, paid):
    client = staff_client(Role.SUPPORT_AGENT)
    assert client.post(change_url(paid), {}).status_code == 403
    assert not paid.phone_contacts.exists()


def test_nobody_adds_or_deletes_orders_in_the_admin(staff_client, paid):
    client = staff_client(superuser=True)
    assert client.get(reverse("admin:orders_order_add")).status_code == 403
    assert client.post(reverse("admin:orders_order_delete", args=[paid.pk])).status_code == 403
