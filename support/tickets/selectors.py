"""Reads of the support app. Member-facing reads are scoped to the member: another
member's ticket simply does not exist for them."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet

from bestqm.http.record_keys import parse_key
from privacy.registry import registry
from privacy.roles import Role
from support.errors import SERVICE_ANNOUNCEMENTS_MANDATORY
from support.models import (
    Announcement,
    AnnouncementDelivery,
    Partner,
    PartnerShare,
    Ticket,
)

# --- Tickets ------------------------------------------------------------------------------


def tickets_of(*, member) -> QuerySet[Ticket]:
    return Ticket.objects.filter(member=member)


def ticket_of(*, member, ticket_id) -> Ticket | None:
    """The member's own ticket with this key, or None (another member's ticket included)."""
    pk = parse_key(ticket_id)
    if pk is None:
        return None
    return tickets_of(member=member).filter(pk=pk).first()


def conversation_of(*, ticket: Ticket) -> list:
    """What the member sees of a ticket, oldest first: the messages and the phone contacts.
    Internal notes are never part of it."""
    entries = [*ticket.messages.all(), *ticket.phone_contacts.all()]
    return sorted(entries, key=lambda e: getattr(e, "created_at", None) or e.contacted_at)


def assignable_agents() -> QuerySet:
    """Active staff who work tickets: support agents and superusers."""
    return (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True)
        .filter(Q(is_superuser=True) | Q(groups__name=Role.SUPPORT_AGENT.label))
        .distinct()
        .order_by("first_name", "last_name", "pk")
    )


# --- Announcements ------------------------------------------------------------------------


def announcement_recipient_ids(*, kind: str) -> QuerySet:
    """Keys of the members an announcement of this kind goes to now: every active member
    for a service announcement, only those who opted in for a newsletter."""
    members = get_user_model().objects.filter(is_active=True, is_staff=False)
    if kind == Announcement.Kind.NEWSLETTER:
        members = members.filter(newsletter_opt_in=True)
    return members.order_by("pk").values_list("pk", flat=True)


def pending_delivery_ranges(*, announcement_id: int, size: int) -> list[tuple[int, int]]:
    """(first, last) delivery keys of consecutive batches of `size` pending deliveries."""
    ids = (
        AnnouncementDelivery.objects.filter(
            announcement_id=announcement_id, status=AnnouncementDelivery.Status.PENDING
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    ranges, batch = [], []
    for pk in ids.iterator(chunk_size=5000):
        batch.append(pk)
        if len(batch) == size:
            ranges.append((batch[0], batch[-1]))
            batch = []
    if batch:
        ranges.append((batch[0], batch[-1]))
    return ranges


def delivery_counts(*, announcement: Announcement) -> dict[str, int]:
    """Recipients by delivery status, every status named (zero included)."""
    rows = announcement.deliveries.values("status").annotate(n=Count("pk")).order_by()
    counts = {status: 0 for status in AnnouncementDelivery.Status.values}
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


def notices_for(*, member) -> QuerySet[AnnouncementDelivery]:
    """The announcements sent to the member, newest first (the notices page)."""
    return (
        AnnouncementDelivery.objects.filter(member=member)
        .exclude(announcement__status=Announcement.Status.DRAFT)
        .select_related("announcement")
        .order_by("-created_at", "-pk")
    )


@dataclass(frozen=True)
class Subscription:
    kind: str
    label: str
    subscribed: bool
    can_unsubscribe: bool
    note: str


NEWSLETTER_NOTE = "Optional. Unsubscribe at any time, here or with the link in every newsletter."


def subscriptions_of(*, member) -> list[Subscription]:
    """What the member receives by e-mail, and whether they may stop it."""
    return [
        Subscription(
            kind=Announcement.Kind.SERVICE,
            label=Announcement.Kind.SERVICE.label,
            subscribed=True,
            can_unsubscribe=False,
            note=SERVICE_ANNOUNCEMENTS_MANDATORY,
        ),
        Subscription(
            kind=Announcement.Kind.NEWSLETTER,
            label=Announcement.Kind.NEWSLETTER.label,
            subscribed=member.newsletter_opt_in,
            can_unsubscribe=True,
            note=NEWSLETTER_NOTE,
        ),
    ]


# --- Partners -----------------------------------------------------------------------------


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
