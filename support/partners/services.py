"""Writes of partner shares: the member's explicit choice to send a partner the details
they were shown."""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from privacy.audit.services import Actor, audit_record
from privacy.registry import Category
from support import errors
from support.models import (
    Partner,
    PartnerShare,
    SupportEvent,
)

NOTHING_TO_SHARE = (
    "You have none of the details this partner asks for, so there is nothing to share."
)


def partner_share(
    *, member, partner: Partner, actor: Actor, confirmed_fields: Iterable[str]
) -> PartnerShare:
    """Record that the member chose to send a partner the details they were shown. Only
    details the member has are sent; their names (never values) are recorded. Nothing
    goes over the network: there is no partner connection here, only the record."""
    with transaction.atomic():
        partner = Partner.objects.select_for_update().get(pk=partner.pk, is_active=True)
        if sorted(confirmed_fields) != sorted(partner.shared_fields):
            raise errors.PartnerChanged(errors.PARTNER_CHANGED)
        current = get_user_model().objects.get(pk=member.pk)
        sent = [name for name in partner.shared_fields if getattr(current, name) not in ("", None)]
        if not sent:
            raise ValidationError(NOTHING_TO_SHARE)
        share = PartnerShare.objects.create(member=current, partner=partner, fields=sent)
        audit_record(
            actor=actor,
            event_type=SupportEvent.PARTNER_SHARED,
            category=Category.ACCOUNT,
            subject=current,
            obj=share,
            fields=sent,
        )
    return share
