"""IP tracing for a legal case ('IP Address': an address "may be traced ... for these
purposes only").

Available only inside an approved case whose data is being collected or reviewed
(approved, collecting, second review), never for a preservation, which only holds data.
Every lookup is an audit event with the case as its object: which accounts used an address
or network in a window (LegalEvent.IP_TRACED), which addresses an account the case names
used in a window (LegalEvent.ADDRESSES_LISTED).
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from activity.ip_networks import network_text
from activity.selectors import AccountSeen, AddressSeen, accounts_seen_at, addresses_used_by
from privacy.audit.services import Actor, audit_record
from privacy.legal import errors
from privacy.legal.access import require_legal_staff
from privacy.legal.errors import LegalRequestError
from privacy.legal.models import LegalEvent, LegalRequest, LegalTarget
from privacy.registry import Category

Status = LegalRequest.Status
TRACEABLE = (Status.APPROVED, Status.COLLECTING, Status.SECOND_REVIEW)


def trace_available(request: LegalRequest) -> bool:
    return request.status in TRACEABLE and not request.is_preservation


def _require_traceable(request: LegalRequest, actor: Actor) -> None:
    require_legal_staff(actor.user)
    if request.is_preservation:
        raise LegalRequestError(errors.TRACE_PRESERVATION, code="trace_preservation")
    if request.status not in TRACEABLE:
        raise LegalRequestError(errors.TRACE_NOT_OPEN, code="trace_not_open")


def _check_window(start: datetime | None, end: datetime | None, problems: dict) -> None:
    if start is None:
        problems["start"] = errors.WINDOW_REQUIRED
    if end is None:
        problems["end"] = errors.WINDOW_REQUIRED
    if start is not None and end is not None and end <= start:
        problems["end"] = errors.WINDOW_INVERTED


def legal_trace_address(
    *, request: LegalRequest, actor: Actor, network: str, start: datetime, end: datetime
) -> list[AccountSeen]:
    """Which accounts used the address or network between start and end."""
    _require_traceable(request, actor)
    problems: dict[str, str] = {}
    try:
        network = network_text((network or "").strip())
    except ValueError:
        problems["network"] = errors.TARGET_BAD_IP
    _check_window(start, end, problems)
    if problems:
        raise ValidationError(problems)
    found = accounts_seen_at(network=network, start=start, end=end)
    with transaction.atomic():
        audit_record(
            actor=actor,
            event_type=LegalEvent.IP_TRACED,
            category=Category.AGGREGATE,
            obj=request,
            fields=["ip_address"],
        )
    return found


def legal_trace_account(
    *, request: LegalRequest, actor: Actor, target: LegalTarget, start: datetime, end: datetime
) -> list[AddressSeen]:
    """Which addresses an account this case names used between start and end."""
    _require_traceable(request, actor)
    problems: dict[str, str] = {}
    if target is None or target.request_id != request.pk or target.member_id is None:
        problems["target"] = errors.TRACE_MEMBER_NOT_TARGET
    _check_window(start, end, problems)
    if problems:
        raise ValidationError(problems)
    found = addresses_used_by(member=target.member, start=start, end=end)
    with transaction.atomic():
        audit_record(
            actor=actor,
            event_type=LegalEvent.ADDRESSES_LISTED,
            category=Category.AGGREGATE,
            subject=target.member,
            obj=request,
            fields=["ip_address"],
        )
    return found
