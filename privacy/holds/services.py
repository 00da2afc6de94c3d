"""Legal holds placed by a case: while the case is open (or its preservation lasts), the
data its targets name is protected from the member's deletion request and from retention.

An account target holds every category of the member's data; an IP target holds the
activity of that address or network in its window (aggregate and system data). Holds
have no expiry while the case is open; a preservation's holds run
LEGAL_PRESERVATION_DAYS from approval. Callers hold the case's row lock and the
transaction.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from privacy.audit.services import Actor, audit_record
from privacy.holds.models import LegalHold
from privacy.legal.models import LegalEvent, LegalRequest, LegalTarget
from privacy.registry import Category

ACCOUNT_CATEGORIES = [c.value for c in Category]
ADDRESS_CATEGORIES = [Category.AGGREGATE.value, Category.SYSTEM.value]


def _reason(request: LegalRequest) -> str:
    # Internal only; never shown to the member (see privacy.requests.erasure's outcome wording).
    return f"Legal case #{request.pk}"


def case_hold_expiry(request: LegalRequest) -> datetime | None:
    """When the case's holds lapse: never while it is open, unless it is an approved
    preservation (then its current expiry, which an extension moves)."""
    held = request.holds.filter(released_at=None).exclude(expires_at=None).first()
    return held.expires_at if held else None


def hold_place(*, request: LegalRequest, target: LegalTarget, actor: Actor) -> LegalHold | None:
    """The hold a target calls for, unless the case holds it already."""
    live = request.holds.filter(released_at=None)
    expires_at = case_hold_expiry(request)
    if target.kind == LegalTarget.Kind.IP:
        hold = LegalHold.objects.create(
            legal_request=request,
            ip_network=str(target.network()),
            window_start=target.window_start,
            window_end=target.window_end,
            categories=ADDRESS_CATEGORIES,
            reason=_reason(request),
            expires_at=expires_at,
        )
        audit_record(
            actor=actor,
            event_type=LegalEvent.HOLD_PLACED,
            category=Category.AGGREGATE,
            obj=request,
            fields=["ip_network"],
        )
        return hold
    if target.member_id is None or live.filter(member_id=target.member_id).exists():
        return None
    hold = LegalHold.objects.create(
        legal_request=request,
        member_id=target.member_id,
        categories=ACCOUNT_CATEGORIES,
        reason=_reason(request),
        expires_at=expires_at,
    )
    audit_record(
        actor=actor,
        event_type=LegalEvent.HOLD_PLACED,
        category=Category.ACCOUNT,
        subject=target.member,
        obj=request,
    )
    return hold


def holds_set_expiry(*, request: LegalRequest, expires_at: datetime | None) -> int:
    return request.holds.filter(released_at=None).update(expires_at=expires_at)


def holds_release(*, request: LegalRequest, actor: Actor, now: datetime | None = None) -> int:
    """Release every hold of the case (its data may be erased or purged again)."""
    now = now or timezone.now()
    released = request.holds.filter(released_at=None).update(released_at=now)
    if released:
        audit_record(
            actor=actor,
            event_type=LegalEvent.HOLD_RELEASED,
            category=Category.ACCOUNT,
            obj=request,
        )
    return released
