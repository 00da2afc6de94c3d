"""Orders at the end of their accounting period: anonymised, a batch per transaction."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from orders.models import (
    Order,
    OrderEvent,
    Payment,
    PhoneContact,
)
from orders.services import billing_field_names
from privacy.audit.services import Actor, audit_record
from privacy.holds.selectors import held_member_ids
from privacy.registry import Category

_PAYMENT_ANONYMOUS = {
    "reference": "",
    "card_token": "",
    "card_brand": "",
    "card_last4": "",
    "card_exp_month": None,
    "card_exp_year": None,
}


def orders_anonymise_expired(*, now: datetime | None = None, batch_size: int = 500) -> int:
    """Anonymise orders whose accounting period (ACCOUNTING_RETENTION_DAYS after their last
    change of status) is over: the billing contact and the card details of their payments
    are emptied, the member is unlinked, notes of calls are deleted. Members under a legal
    hold on financial data are skipped. Idempotent; returns how many orders it changed."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.ACCOUNTING_RETENTION_DAYS)
    held = held_member_ids(category=Category.FINANCIAL, at=now)
    due = Order.objects.filter(anonymised_at=None, status_changed_at__lt=cutoff).exclude(
        member_id__in=held
    )
    billing = dict.fromkeys(billing_field_names(), "")
    last_pk, done = 0, 0
    while True:
        with transaction.atomic():
            batch = list(
                due.filter(pk__gt=last_pk)
                .order_by("pk")
                .select_for_update(skip_locked=True, of=("self",))
                .select_related("member")[:batch_size]
            )
            if not batch:
                return done
            ids = [order.pk for order in batch]
            Order.objects.filter(pk__in=ids).update(**billing, member=None, anonymised_at=now)
            Payment.objects.filter(order_id__in=ids).update(**_PAYMENT_ANONYMOUS)
            PhoneContact.objects.filter(order_id__in=ids).delete()
            for order in batch:
                audit_record(
                    actor=Actor.system(),
                    event_type=OrderEvent.ANONYMISED,
                    category=Category.FINANCIAL,
                    subject=order.member,
                    obj=order,
                    fields=[*billing, "member"],
                )
            done += len(batch)
            last_pk = ids[-1]
