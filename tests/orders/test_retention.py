"""Orders are kept for the accounting period after they last changed, then anonymised;
saved cards go when they expire. Members under a legal hold are left alone."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from orders.cards.services import stored_cards_purge_expired
from orders.models import Order, Payment, PhoneContact, StoredCard
from orders.retention import orders_anonymise_expired
from privacy.audit.models import AuditEvent
from privacy.holds.models import LegalHold
from privacy.registry import Category
from tests.accounts.factories import UserFactory
from tests.orders.factories import OrderFactory

pytestmark = pytest.mark.django_db


def _aged(days, **kwargs):
    order = OrderFactory(status=Order.Status.FULFILLED, **kwargs)
    Order.objects.filter(pk=order.pk).update(
        status_changed_at=timezone.now() - timedelta(days=days)
    )
    Payment.objects.create(
        order=order,
        outcome="approved",
        amount=order.amount,
        idempotency_key=order.checkout_key,
        processor="sandbox",
        reference="ch_sandbox_abc",
        card_token="card_sandbox_abc",
        card_brand="visa",
        card_last4="4242",
        card_exp_month=4,
        card_exp_year=2030,
    )
    PhoneContact.objects.create(order=order, outcome="reached", note="Agreed to retry.")
    return order


def test_orders_past_the_accounting_period_are_anonymised_and_recent_ones_kept(settings):
    settings.ACCOUNTING_RETENTION_DAYS = 100
    member = UserFactory()
    old, recent = _aged(101, member=member), _aged(99, member=member)

    assert orders_anonymise_expired(batch_size=1) == 1

    old.refresh_from_db()
    assert (old.billing_name, old.billing_zip, old.billing_email) == ("", "", "")
    assert old.member is None and old.anonymised_at is not None
    assert old.amount and old.product_name  # the accounting record itself remains
    payment = old.payments.get()
    assert (payment.card_last4, payment.card_token, payment.reference) == ("", "", "")
    assert payment.card_exp_year is None and payment.amount == old.amount
    assert not old.phone_contacts.exists()
    recent.refresh_from_db()
    assert recent.billing_name and recent.member == member
    assert recent.payments.get().card_last4 == "4242" and recent.phone_contacts.exists()
    event = AuditEvent.objects.get(event_type="order.anonymised")
    assert event.fields == ["billing_email", "billing_name", "billing_zip", "member"]


def test_retention_is_idempotent_and_works_in_batches(settings):
    settings.ACCOUNTING_RETENTION_DAYS = 10
    orders = [_aged(11) for _ in range(5)]

    assert orders_anonymise_expired(batch_size=2) == 5
    assert orders_anonymise_expired(batch_size=2) == 0
    assert Order.objects.filter(pk__in=[o.pk for o in orders], anonymised_at=None).count() == 0
    assert AuditEvent.objects.filter(event_type="order.anonymised").count() == 5


def test_a_member_under_a_legal_hold_keeps_their_orders_until_it_ends(settings):
    settings.ACCOUNTING_RETENTION_DAYS = 10
    held, free = UserFactory(), UserFactory()
    kept, gone = _aged(11, member=held), _aged(11, member=free)
    hold = LegalHold.objects.create(
        member=held,
        categories=[Category.FINANCIAL],
        reason="Court order 2026-17",
        expires_at=timezone.now() + timedelta(days=30),
    )

    assert orders_anonymise_expired() == 1
    kept.refresh_from_db()
    gone.refresh_from_db()
    assert kept.billing_name and kept.member == held
    assert gone.anonymised_at is not None

    LegalHold.objects.filter(pk=hold.pk).update(released_at=timezone.now())
    assert orders_anonymise_expired() == 1


def test_a_hold_on_another_category_does_not_stop_retention(settings):
    settings.ACCOUNTING_RETENTION_DAYS = 10
    member = UserFactory()
    order = _aged(11, member=member)
    LegalHold.objects.create(
        member=member,
        categories=[Category.SYSTEM],
        reason="Subpoena 2026-3",
        expires_at=timezone.now() + timedelta(days=30),
    )

    assert orders_anonymise_expired() == 1
    order.refresh_from_db()
    assert order.anonymised_at is not None


def _saved(member, month, year):
    return StoredCard.objects.create(
        member=member, brand="visa", last4="4242", exp_month=month, exp_year=year,
        encrypted_number="token",
    )  # fmt: skip


def test_expired_saved_cards_are_deleted_unless_held():
    member, held = UserFactory(), UserFactory()
    expired, valid = _saved(member, 12, 2025), _saved(member, 1, 2026)
    kept = _saved(held, 5, 2024)
    LegalHold.objects.create(
        member=held,
        categories=[Category.FINANCIAL],
        reason="Search warrant 9",
        expires_at=timezone.now() + timedelta(days=30),
    )

    assert stored_cards_purge_expired(today=date(2026, 1, 15)) == 1

    assert set(StoredCard.objects.values_list("pk", flat=True)) == {valid.pk, kept.pk}
    assert not StoredCard.objects.filter(pk=expired.pk).exists()
    assert AuditEvent.objects.filter(event_type="card.purged").count() == 1


def test_the_command_and_the_task_run_the_same_retention(settings, capsys):
    from orders.tasks import apply_order_retention

    settings.ACCOUNTING_RETENTION_DAYS = 10
    _aged(11)
    call_command("apply_order_retention", "--batch-size", "10")
    assert "Anonymised 1 order(s)" in capsys.readouterr().out

    _aged(11)
    assert apply_order_retention() == {"orders_anonymised": 1, "cards_deleted": 0}
