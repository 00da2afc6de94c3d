"""Which legal holds are in force, and whose data they keep."""

from datetime import UTC, datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from privacy.holds.models import LegalHold
from privacy.registry import Category


def active_holds(*, category: Category | None = None, at=None) -> QuerySet[LegalHold]:
    """Holds in force at `at` (now), optionally only those covering one category."""
    at = at or timezone.now()
    # No expiry: held while the case that placed the hold is open.
    holds = LegalHold.objects.filter(
        Q(expires_at=None) | Q(expires_at__gt=at), released_at=None, placed_at__lte=at
    )
    if category is not None:
        # JSON containment is not portable to SQLite; the list is short, filter in Python.
        ids = [h.pk for h in holds if category in h.categories]
        holds = LegalHold.objects.filter(pk__in=ids)
    return holds


def held_member_ids(*, category: Category, at=None) -> set[int]:
    """Members whose data of `category` must not be erased or purged now."""
    return set(
        active_holds(category=category, at=at)
        .exclude(member=None)
        .values_list("member_id", flat=True)
    )


def held_ip_windows(*, category: Category, at=None) -> list[tuple[str, object, object]]:
    """(network, window start, window end) of held IP activity; None ends are open."""
    return [
        (h.ip_network, h.window_start, h.window_end)
        for h in active_holds(category=category, at=at).exclude(ip_network="")
    ]


def holds_on_member(member, *, at=None) -> QuerySet[LegalHold]:
    return active_holds(at=at).filter(Q(member=member))


def holds_on_addresses_of(member, *, at=None) -> list[LegalHold]:
    """Holds on an address or network that the member used inside the hold's window: the
    member's activity there is evidence a case keeps, even from their own erasure."""
    from activity.selectors import accounts_seen_at

    at = at or timezone.now()
    member_id = getattr(member, "pk", member)
    found = []
    for hold in active_holds(at=at).exclude(ip_network=""):
        start = hold.window_start or datetime.min.replace(tzinfo=UTC)
        end = hold.window_end or at
        try:
            seen = accounts_seen_at(network=hold.ip_network, start=start, end=end)
        except ValueError:
            continue
        if any(account.member_id == member_id for account in seen):
            found.append(hold)
    return found


def holds_affecting(member, *, at=None) -> list[LegalHold]:
    """Every active hold that keeps some of the member's data: on the member, or on an
    address they used in its window."""
    return [*holds_on_member(member, at=at), *holds_on_addresses_of(member, at=at)]
