"""Cards a member keeps for re-use: kept encrypted, removed at the member's word, purged
after their expiry month, re-encrypted when the key rotates."""

from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from orders.cards.vault import (
    CardNumberUnreadable,
    encrypt_card_number,
    encrypted_under_current_key,
    reencrypt_under_current_key,
)
from orders.models import (
    CardEvent,
    StoredCard,
)
from orders.payment_gateway import CardDetails
from privacy.audit.services import Actor, audit_record
from privacy.holds.selectors import held_member_ids
from privacy.registry import Category


@sensitive_variables("card")
def card_keep(*, member, actor: Actor, card: CardDetails, token: str) -> StoredCard:
    """Keep a card the member asked us to keep, its number encrypted. The same card kept
    again replaces the earlier copy rather than listing it twice."""
    stored = StoredCard.objects.filter(
        member=member,
        brand=card.brand,
        last4=card.last4,
        exp_month=card.exp_month,
        exp_year=card.exp_year,
    ).first() or StoredCard(
        member=member,
        brand=card.brand,
        last4=card.last4,
        exp_month=card.exp_month,
        exp_year=card.exp_year,
    )
    stored.encrypted_number = encrypt_card_number(card.number)
    stored.processor_token = token
    stored.save()
    audit_record(
        actor=actor,
        event_type=CardEvent.STORED,
        category=Category.FINANCIAL,
        subject=member,
        obj=stored,
        fields=["brand", "last4", "exp_month", "exp_year", "encrypted_number"],
    )
    return stored


def stored_card_remove(*, member, actor: Actor, card_id: int) -> None:
    """Forget a saved card at once. Another member's card does not exist for this one."""
    with transaction.atomic():
        stored = StoredCard.objects.select_for_update().get(pk=card_id, member=member)
        audit_record(
            actor=actor,
            event_type=CardEvent.REMOVED,
            category=Category.FINANCIAL,
            subject=member,
            obj=stored,
            fields=["brand", "last4", "exp_month", "exp_year", "encrypted_number"],
        )
        stored.delete()


def stored_cards_reencrypt(*, batch_size: int = 500) -> tuple[int, int]:
    """Re-encrypt every saved card number that is not under the first key, a batch per
    transaction, so the site keeps running (each row is readable under the old and the new
    key list throughout). Returns (re-encrypted, unreadable by any configured key)."""
    last_pk, rotated, unreadable = 0, 0, 0
    while True:
        with transaction.atomic():
            batch = list(
                StoredCard.objects.select_for_update()
                .filter(pk__gt=last_pk)
                .order_by("pk")
                .only("pk", "encrypted_number")[:batch_size]
            )
            if not batch:
                return rotated, unreadable
            changed = []
            for stored in batch:
                if encrypted_under_current_key(stored.encrypted_number):
                    continue
                try:
                    stored.encrypted_number = reencrypt_under_current_key(stored.encrypted_number)
                except CardNumberUnreadable:
                    unreadable += 1
                    continue
                changed.append(stored)
            StoredCard.objects.bulk_update(changed, ["encrypted_number"])
            rotated += len(changed)
            last_pk = batch[-1].pk


def stored_cards_purge_expired(*, today: date | None = None) -> int:
    """Delete saved cards past their expiry month: they can charge nothing any more.
    Members under a legal hold on financial data are skipped."""
    today = today or timezone.localdate()
    held = held_member_ids(category=Category.FINANCIAL)
    expired = Q(exp_year__lt=today.year) | Q(exp_year=today.year, exp_month__lt=today.month)
    purged = 0
    with transaction.atomic():
        for stored in (
            StoredCard.objects.select_for_update(of=("self",))
            .filter(expired)
            .exclude(member_id__in=held)
            .select_related("member")
        ):
            audit_record(
                actor=Actor.system(),
                event_type=CardEvent.PURGED,
                category=Category.FINANCIAL,
                subject=stored.member,
                obj=stored,
                fields=["brand", "last4", "exp_month", "exp_year", "encrypted_number"],
            )
            stored.delete()
            purged += 1
    return purged
