"""Licences: issued with a fresh serial when a licence order is fulfilled, revoked when it
is refunded."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from orders.licences.serials import serial_generate
from orders.models import (
    Licence,
    LicenceEvent,
    Order,
)
from privacy.audit.services import Actor, audit_record
from privacy.registry import Category

_SERIAL_ATTEMPTS = 5


def licence_issue(*, member, actor: Actor, order: Order | None = None) -> Licence:
    """Issue a new licence with a fresh serial. A collision of random serials is
    astronomically rare; the unique constraint still decides, and we draw again."""
    for _ in range(_SERIAL_ATTEMPTS):
        try:
            with transaction.atomic():
                licence = Licence.objects.create(
                    serial=serial_generate(), member=member, order=order
                )
                audit_record(
                    actor=actor,
                    event_type=LicenceEvent.ISSUED,
                    category=Category.FINANCIAL,
                    subject=member,
                    obj=licence,
                    fields=["serial"],
                )
                return licence
        except IntegrityError:
            continue
    raise RuntimeError("Could not draw an unused licence serial.")


def licence_revoke(*, licence: Licence, actor: Actor) -> Licence:
    with transaction.atomic():
        licence = Licence.objects.select_for_update().get(pk=licence.pk)
        if licence.revoked_at is None:
            licence.revoked_at = timezone.now()
            licence.save(update_fields=["revoked_at"])
            audit_record(
                actor=actor,
                event_type=LicenceEvent.REVOKED,
                category=Category.FINANCIAL,
                subject=licence.member,
                obj=licence,
                fields=["revoked_at"],
            )
        return licence
