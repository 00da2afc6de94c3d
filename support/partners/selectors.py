"""Reads of partners: who is offered, what a share would send, what a member shared."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from privacy.registry import registry
from support.models import (
    Partner,
    PartnerShare,
)


def shareable_fields() -> list[str]:
    """The member's details a partner may ask for: the account details the registry lets
    the member edit themself (never the login name, password or settings)."""
    return registry.member_fields(get_user_model(), topic="account", editable=True)


def field_label(name: str) -> str:
    return str(get_user_model()._meta.get_field(name).verbose_name).capitalize()


def active_partners() -> QuerySet[Partner]:
    return Partner.objects.filter(is_active=True)


def partner_by_slug(slug: str) -> Partner | None:
    return active_partners().filter(slug=slug).first()


@dataclass(frozen=True)
class SharePreviewRow:
    name: str
    label: str
    value: str

    @property
    def will_be_sent(self) -> bool:
        return self.value != ""


def share_preview(*, partner: Partner, member) -> list[SharePreviewRow]:
    """Each detail the partner asks for, with the member's current value ('' when the
    member has none, in which case nothing is sent for it)."""
    member = get_user_model().objects.get(pk=member.pk)
    return [
        SharePreviewRow(name, field_label(name), str(getattr(member, name) or ""))
        for name in partner.shared_fields
    ]


def partner_shares_of(*, member) -> QuerySet[PartnerShare]:
    """Every disclosure the member made to a partner, newest first: which details, to
    whom, when (for the member's privacy centre)."""
    return PartnerShare.objects.filter(member=member).select_related("partner")
