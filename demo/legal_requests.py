"""A handful of finished legal requests for `seed_demo`, so that the transparency report of
a fresh `make run` has figures to show. Rows are written directly, not through the legal
workflow's services, and name no account: every target is a username nobody has."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from privacy.legal.models import LegalDisclosure, LegalRequest, LegalRequestType, LegalTarget
from privacy.transparency.report import HalfYear

Status, Notice, T = LegalRequest.Status, LegalRequest.Notice, LegalRequestType
YEAR = timedelta(days=365)

# (half-years before the one in progress, type, status, notice, records disclosed)
DEMO_REQUESTS = (
    (2, T.SUBPOENA, Status.CLOSED, Notice.SENT, 2),
    (2, T.SUBPOENA, Status.REJECTED, Notice.NOT_DUE, 0),
    (2, T.COURT_ORDER, Status.CLOSED, Notice.DEFERRED, 5),
    (2, T.EMERGENCY, Status.CLOSED, Notice.SENT, 1),
    (2, T.PRESERVATION, Status.CLOSED, Notice.NOT_DUE, 0),
    (2, T.PRESERVATION, Status.CLOSED, Notice.NOT_DUE, 0),
    (1, T.SUBPOENA, Status.DELIVERED, Notice.SENT, 3),
    (1, T.SUBPOENA, Status.CLOSED, Notice.NONE_AFFECTED, 0),
    (1, T.SEARCH_WARRANT, Status.CLOSED, Notice.SENT, 4),
    (1, T.COURT_ORDER, Status.WITHDRAWN, Notice.NOT_DUE, 0),
    (1, T.SUBPOENA, Status.LEGAL_REVIEW, Notice.NOT_DUE, 0),
    (1, T.RIGHTS_PROTECTION, Status.REJECTED, Notice.NOT_DUE, 0),
    (1, T.PRESERVATION, Status.APPROVED, Notice.NOT_DUE, 0),
)


def _timestamps(status: str, received: datetime) -> dict:
    day = timedelta(days=1)
    if status == Status.REJECTED:
        return {"rejected_at": received + 6 * day, "rejection_reason": "Demo: overbroad."}
    if status == Status.WITHDRAWN:
        return {"withdrawn_at": received + 3 * day}
    if status == Status.APPROVED:
        return {"approved_at": received + 2 * day}
    stamps = {}
    if status in (Status.DELIVERED, Status.CLOSED):
        stamps = {"approved_at": received + 4 * day, "delivered_at": received + 10 * day}
    if status == Status.CLOSED:
        stamps["closed_at"] = received + 12 * day
    return stamps


@transaction.atomic
def demo_legal_requests_create(*, created_by, now: datetime | None = None) -> int:
    """Create the demo requests unless any legal request exists; return how many."""
    if LegalRequest.objects.exists():
        return 0
    in_progress = HalfYear.containing(now or timezone.now())
    for n, (back, request_type, status, notice, records) in enumerate(DEMO_REQUESTS, start=1):
        period = HalfYear.from_index(in_progress.index - back)
        received = period.starts_at + timedelta(days=5 + 13 * n, hours=n)
        order = {}
        if notice == Notice.DEFERRED:
            order = {"nondisclosure_reason": "Demo order", "nondisclosure_until": received + YEAR}
        request = LegalRequest.objects.create(
            request_type=request_type,
            status=status,
            authority="Demo County Sheriff's Office",
            jurisdiction="Demo County",
            officer_name="Demo Officer",
            contact_email="legal-demo@example.org",
            callback_phone="+1 202 555 0100",
            reference_number=f"DEMO-{period.slug}-{n:02d}",
            received_at=received,
            due_at=received + timedelta(days=30),
            created_by=created_by,
            notice=notice,
            **order,
            **_timestamps(status, received),
        )
        LegalTarget.objects.create(request=request, kind="username", value=f"demo-target-{n}")
        if records:
            LegalDisclosure.objects.create(
                request=request,
                category="account",
                model_label="accounts.User",
                fields=["login_name", "email"],
                records=records,
            )
    return len(DEMO_REQUESTS)
