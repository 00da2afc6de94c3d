"""The order workflow: pending → paid → fulfilled, payment failed → retry, cancelled,
refunded by a billing agent. Each move is one service, checked against the transition
table, stamped and audited; an invalid move raises a stable code and changes nothing."""

import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from orders import payments, services
from orders.errors import OrderWorkflowError
from orders.models import Licence, Order, Payment
from orders.selectors import licence_valid_for, membership_until
from privacy.audit.models import AuditEvent
from privacy.audit.services import Actor
from privacy.roles import Role
from tests.accounts.factories import StaffFactory
from tests.orders.conftest import APPROVE, DECLINE, card
from tests.orders.factories import MembershipFactory, OrderFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def billing_agent():
    return Actor(user=StaffFactory(roles=[Role.BILLING_AGENT]), ip="198.51.100.4")


def test_the_transition_table_answers_every_can_question():
    order = Order(status=Order.Status.PENDING)
    assert order.can_pay() and order.can_cancel()
    assert not order.can_fulfil() and not order.can_refund()
    order.status = Order.Status.PAYMENT_FAILED
    assert order.can_pay() and order.can_cancel()
    order.status = Order.Status.PAID
    assert order.can_fulfil() and order.can_refund()
    assert not order.can_pay() and not order.can_cancel()
    order.status = Order.Status.FULFILLED
    assert order.can_refund() and not order.can_fulfil() and not order.can_cancel()
    for final in (Order.Status.CANCELLED, Order.Status.REFUNDED):
        order.status = final
        assert not any(
            [order.can_pay(), order.can_fulfil(), order.can_cancel(), order.can_refund()]
        )


def test_paying_then_fulfilling_stamps_each_step_and_audits_it_without_values(
    member, licence_product, pay, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        order, payment, first = pay(licence_product)

    order.refresh_from_db()
    assert first and payment.approved
    assert order.status == Order.Status.FULFILLED
    assert order.paid_at and order.fulfilled_at and order.paid_at <= order.fulfilled_at
    assert order.created_at <= order.paid_at
    events = {e.event_type: e for e in AuditEvent.objects.all()}
    assert {"order.placed", "order.paid", "order.fulfilled", "licence.issued"} <= set(events)
    assert events["order.placed"].fields == ["billing_email", "billing_name", "billing_zip"]
    assert events["order.placed"].ip_address == "203.0.113.7"
    rows = str(list(AuditEvent.objects.values_list()))
    for value in ("Rosalind", "90210", "billing.rosa", "4242", payment.reference):
        assert value not in rows


def test_without_a_commit_nothing_is_fulfilled(member, licence_product, pay):
    """Fulfilment runs after the payment commits, never inside it."""
    order, _, _ = pay(licence_product)
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert not Licence.objects.exists()


def test_fulfilment_is_done_once_even_if_asked_twice(member, licence_product, pay):
    from orders.tasks import fulfil_order

    order, _, _ = pay(licence_product)
    fulfil_order(order.pk)
    fulfil_order(order.pk)

    assert Licence.objects.filter(order=order).count() == 1
    with pytest.raises(OrderWorkflowError) as refused:
        services.order_fulfil(order=order, actor=Actor.system())
    assert refused.value.code == "order_not_fulfillable"


@pytest.mark.parametrize(
    ("status", "service", "code"),
    [
        (Order.Status.CANCELLED, "order_cancel", "order_not_cancellable"),
        (Order.Status.PAID, "order_cancel", "order_not_cancellable"),
        (Order.Status.PENDING, "order_fulfil", "order_not_fulfillable"),
        (Order.Status.PENDING, "order_refund", "order_not_refundable"),
        (Order.Status.CANCELLED, "order_refund", "order_not_refundable"),
    ],
)
def test_an_invalid_move_raises_its_stable_code_and_changes_nothing(
    status, service, code, billing_agent
):
    order = OrderFactory(status=status)
    before = AuditEvent.objects.count()

    with pytest.raises(OrderWorkflowError) as refused:
        getattr(services, service)(order=order, actor=billing_agent)

    assert refused.value.code == code
    order.refresh_from_db()
    assert order.status == status
    assert AuditEvent.objects.count() == before


def test_a_cancelled_order_cannot_be_paid_and_nothing_is_charged(member, recording_processor):
    order = OrderFactory(member=member)
    services.order_cancel(order=order, actor=Actor(user=member))

    with pytest.raises(OrderWorkflowError) as refused:
        payments.order_pay(
            order=order,
            actor=Actor(user=member),
            attempt_key=uuid.uuid4(),
            card=card(),
            domain="testserver",
            use_https=True,
        )

    assert refused.value.code == "order_not_payable"
    assert recording_processor.calls == []
    assert not Payment.objects.exists()


def test_a_declined_payment_can_be_retried_and_each_attempt_is_kept(
    member, licence_product, pay, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        order, declined, _ = pay(licence_product, DECLINE)
    assert not declined.approved
    order.refresh_from_db()
    assert order.status == Order.Status.PAYMENT_FAILED

    with django_capture_on_commit_callbacks(execute=True):
        again = payments.order_pay(
            order=order,
            actor=Actor(user=member),
            attempt_key=uuid.uuid4(),
            card=card(DECLINE),
            domain="testserver",
            use_https=True,
        )
        approved = payments.order_pay(
            order=order,
            actor=Actor(user=member),
            attempt_key=uuid.uuid4(),
            card=card(APPROVE),
            domain="testserver",
            use_https=True,
        )

    assert not again.approved and approved.approved
    order.refresh_from_db()
    assert order.status == Order.Status.FULFILLED
    assert order.payments.count() == 3


def test_the_card_is_checked_before_anything_is_written(member, licence_product, pay):
    with pytest.raises(ValidationError) as refused:
        pay(licence_product, "4242424242424241")

    assert "card_number" in refused.value.message_dict
    assert not Order.objects.exists() and not AuditEvent.objects.exists()


def test_bad_billing_details_are_refused_by_the_service_too(member, licence_product):
    with pytest.raises(ValidationError) as refused:
        payments.order_checkout(
            member=member,
            actor=Actor(user=member),
            product=licence_product,
            checkout_key=uuid.uuid4(),
            billing={"billing_name": " ", "billing_zip": "ABCDE", "billing_email": "x\x00@y.z"},
            card=card(),
            domain="testserver",
            use_https=True,
        )

    assert set(refused.value.message_dict) == {"billing_name", "billing_zip", "billing_email"}
    assert not Order.objects.exists()


def test_only_a_billing_agent_refunds_and_the_licence_stops_working(
    member, licence_product, pay, billing_agent, staff_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        order, _, _ = pay(licence_product)
    licence = Licence.objects.get(order=order)
    assert licence_valid_for(serial=licence.serial, member=member)

    for role in (Role.SUPPORT_AGENT, Role.PRIVACY_OFFICER):
        with pytest.raises(PermissionDenied):
            services.order_refund(order=order, actor=Actor(user=StaffFactory(roles=[role])))
    with pytest.raises(PermissionDenied):
        services.order_refund(order=order, actor=Actor(user=member))
    order.refresh_from_db()
    assert order.status == Order.Status.FULFILLED

    services.order_refund(order=order, actor=billing_agent)

    order.refresh_from_db()
    assert order.status == Order.Status.REFUNDED and order.refunded_at
    assert not licence_valid_for(serial=licence.serial, member=member)
    refund = order.payments.get(kind=Payment.Kind.REFUND)
    assert refund.amount == order.amount and refund.approved
    event = AuditEvent.objects.get(event_type="order.refunded")
    assert event.actor_kind == AuditEvent.ActorKind.STAFF


def test_a_refund_the_processor_refuses_changes_nothing(
    member, licence_product, pay, billing_agent, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        order, _, _ = pay(licence_product)
    settings.PAYMENT_PROCESSOR = "tests.orders.conftest.RefusingProcessor"

    with pytest.raises(OrderWorkflowError) as refused:
        services.order_refund(order=order, actor=billing_agent)

    assert refused.value.code == "refund_refused"
    order.refresh_from_db()
    assert order.status == Order.Status.FULFILLED
    assert Licence.objects.get(order=order).is_active
    assert not order.payments.filter(kind=Payment.Kind.REFUND).exists()


def test_the_refund_reaches_the_processor_with_a_key_that_is_the_same_on_a_retry(
    member, licence_product, pay, billing_agent, recording_processor
):
    order, payment, _ = pay(licence_product)
    services.order_refund(order=order, actor=billing_agent)

    [refund_call] = [c for c in recording_processor.calls if c[0] == "refund"]
    assert refund_call[1] == payment.reference and refund_call[2] == order.amount
    expected = uuid.uuid5(services._REFUND_KEYS, str(payment.idempotency_key))
    assert refund_call[4] == str(expected)


def test_memberships_run_one_after_another_and_a_refund_ends_one(
    member, pay, billing_agent, django_capture_on_commit_callbacks
):
    plan = MembershipFactory(membership_days=30)
    with django_capture_on_commit_callbacks(execute=True):
        first, _, _ = pay(plan)
        second, _, _ = pay(plan)
    first.refresh_from_db()
    second.refresh_from_db()

    assert first.membership_until - timezone.now() > timedelta(days=29)
    assert second.membership_until == first.membership_until + timedelta(days=30)
    assert membership_until(member=member) == second.membership_until

    services.order_refund(order=second, actor=billing_agent)
    assert membership_until(member=member) == first.membership_until


def test_a_phone_call_is_logged_by_billing_with_its_outcome_and_never_card_details(
    member, billing_agent
):
    order = OrderFactory(member=member)

    contact = services.phone_contact_log(
        order=order, actor=billing_agent, outcome="reached", note="Will retry with a new card."
    )
    assert contact.staff == billing_agent.user and contact.outcome == "reached"
    assert AuditEvent.objects.get(event_type="order.phone_contact_logged").fields == [
        "note",
        "outcome",
    ]

    with pytest.raises(ValidationError) as refused:
        services.phone_contact_log(
            order=order, actor=billing_agent, outcome="shouted", note="Card 4242 4242 4242 4242"
        )
    assert set(refused.value.message_dict) == {"outcome", "note"}
    with pytest.raises(PermissionDenied):
        services.phone_contact_log(
            order=order,
            actor=Actor(user=StaffFactory(roles=[Role.SUPPORT_AGENT])),
            outcome="reached",
        )
    assert order.phone_contacts.count() == 1
