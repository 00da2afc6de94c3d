"""Reads of announcements: who receives one, its deliveries, what a member was sent and
which kinds they may unsubscribe from."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count, QuerySet

from support.errors import SERVICE_ANNOUNCEMENTS_MANDATORY
from support.models import (
    Announcement,
    AnnouncementDelivery,
)


def announcement_recipient_ids(*, kind: str) -> QuerySet:
    """Keys of the members an announcement of this kind goes to now: every active member
    for a service announcement, only those who opted in for a newsletter."""
    # An address not yet confirmed is sent nothing but its confirmation.
    members = get_user_model().objects.filter(
        is_active=True, is_staff=False, email_verified_at__isnull=False
    )
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
