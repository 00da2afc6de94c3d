"""What a member may be told of legal disclosures of their data: exactly what the notice
e-mail says (privacy/legal/notice_mail.py): the date, the legal process, where the
authority is, and the categories disclosed; never the officer or the reference. Only
requests whose notice has been sent (at delivery, after an emergency, or when a
non-disclosure order ended) are shown; until then the member may not know."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from privacy.legal.models import LegalDisclosure, LegalRequest
from privacy.registry import Category


@dataclass(frozen=True)
class DisclosureNotice:
    delivered_at: datetime | None
    process: str
    jurisdiction: str
    categories: list[str]


def disclosures_told_to(member) -> list[DisclosureNotice]:
    rows = (
        LegalDisclosure.objects.filter(member=member, request__notice=LegalRequest.Notice.SENT)
        .select_related("request")
        .order_by("-request__delivered_at", "request_id")
    )
    by_request: dict[int, tuple[LegalRequest, set[str]]] = {}
    for disclosure in rows:
        by_request.setdefault(disclosure.request_id, (disclosure.request, set()))[1].add(
            disclosure.category
        )
    return [
        DisclosureNotice(
            delivered_at=request.delivered_at,
            process=request.get_request_type_display(),
            jurisdiction=request.jurisdiction,
            categories=[str(c.label) for c in Category if c.value in categories],
        )
        for request, categories in by_request.values()
    ]


def holds_the_member_may_know_of(member) -> list[list[str]]:
    """The categories each active legal hold on the member keeps, for the holds whose case
    has no non-disclosure order in force (the others are not mentioned: a member may not
    learn of a case the order keeps from them)."""
    from privacy.holds.selectors import holds_affecting

    now = timezone.now()
    known = []
    for hold in holds_affecting(member):
        case = hold.legal_request
        if case is not None and case.nondisclosure_until and case.nondisclosure_until > now:
            continue
        known.append([str(Category(c).label) for c in hold.categories])
    return known
