"""Every field of the orders app is declared, and an approved correction of an order's
billing contact goes through the service the registry names."""

import pytest
from django.core.exceptions import ValidationError

from orders.models import Licence, Order, Payment, PhoneContact, Product, StoredCard
from orders.services import order_correct
from privacy.audit.models import AuditEvent
from privacy.audit.services import Actor
from privacy.checks import registry_problems
from privacy.registry import Category, Erasure, MemberAccess, registry
from privacy.roles import Role
from tests.accounts.factories import StaffFactory
from tests.orders.factories import OrderFactory

pytestmark = pytest.mark.django_db


def test_every_orders_model_is_fully_declared():
    models = [Product, Order, Payment, StoredCard, PhoneContact, Licence]
    assert registry_problems(models) == []


def test_the_billing_contact_is_financial_kept_for_accounting_and_seen_by_billing_not_support():
    for field in registry.personal_fields(Order):
        assert field.category == Category.FINANCIAL
        # the e-mail is only a means of contact: anonymised on erasure, not kept
        expected = Erasure.ANONYMISE if field.name == "billing_email" else Erasure.KEEP
        assert field.erasure == expected
        assert field.correctable
        assert field.retention.days_setting == "ACCOUNTING_RETENTION_DAYS"
        assert field.member_access == MemberAccess.VIEW
        assert field.visible_to({Role.BILLING_AGENT})
        assert not field.visible_to({Role.SUPPORT_AGENT})
    assert registry.declaration(Order).corrected_by is order_correct


def test_no_one_sees_a_card_number_or_a_processor_token_and_no_one_discloses_them():
    for model, name in [
        (StoredCard, "encrypted_number"),
        (StoredCard, "processor_token"),
        (Payment, "card_token"),
    ]:
        field = registry.declaration(model).personal[name]
        assert field.member_access == MemberAccess.NONE
        assert field.legal_processes == frozenset()


def test_an_approved_correction_writes_the_new_values_and_audits_the_names_only():
    order = OrderFactory(billing_name="Rosalind Quintero", billing_zip="90210")
    officer = Actor(user=StaffFactory(roles=[Role.PRIVACY_OFFICER]))

    corrected = order_correct(
        obj=order,
        actor=officer,
        changes={"billing_name": " Rosalind Quintero-Vale ", "billing_zip": "90210"},
    )

    assert corrected.billing_name == "Rosalind Quintero-Vale"
    order.refresh_from_db()
    assert order.billing_name == "Rosalind Quintero-Vale"
    event = AuditEvent.objects.get(event_type="order.corrected")
    assert event.fields == ["billing_name"]
    assert "Quintero" not in str(AuditEvent.objects.values_list().get(pk=event.pk))


@pytest.mark.parametrize(
    "changes",
    [
        {"billing_zip": "ABCDE"},
        {"billing_email": "nobody"},
        {"billing_name": ""},
        {"billing_name": "a\x00b"},
        {"amount": "0.01"},
        {"status": "refunded"},
    ],
)
def test_a_bad_correction_is_refused_naming_the_field_and_writes_nothing(changes):
    order = OrderFactory()

    with pytest.raises(ValidationError) as refused:
        order_correct(obj=order, actor=Actor.system(), changes=changes)

    assert set(refused.value.message_dict) == set(changes)
    fresh = Order.objects.get(pk=order.pk)
    assert (fresh.billing_name, fresh.billing_zip, fresh.status, fresh.amount) == (
        order.billing_name,
        order.billing_zip,
        order.status,
        order.amount,
    )
    assert not AuditEvent.objects.filter(event_type="order.corrected").exists()


def test_an_anonymised_order_has_nothing_left_to_correct():
    order = OrderFactory()
    Order.objects.filter(pk=order.pk).update(anonymised_at="2020-01-01T00:00:00Z")

    with pytest.raises(ValidationError):
        order_correct(obj=order, actor=Actor.system(), changes={"billing_zip": "10001"})
