"""Erasure of a member who asked for it, once the grace period has ended; data under a
legal hold waits, and the request says so."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from accounts.directory.public_cache import directory_changed
from accounts.services import sessions_end_all
from outbox import enqueue
from privacy import tasks
from privacy.audit.services import Actor
from privacy.holds.selectors import holds_affecting
from privacy.requests import errors
from privacy.requests.erasure import ANONYMOUS_PREFIX, ErasureReport, member_erase
from privacy.requests.errors import DataRequestError
from privacy.requests.exports import exports_expire
from privacy.requests.models import DataRequest, DataRequestEvent
from privacy.requests.selectors import deletions_due
from privacy.requests.services import (
    REQUESTS,
    notify,
    require_open,
    require_privacy_officer,
)

Kind = DataRequest.Kind
Status = DataRequest.Status

WAITING_ON_LEGAL_OBLIGATION = (
    "Most of your data has been erased. Some of it must be kept for now to meet a legal "
    "obligation; it will be erased as soon as that obligation ends, without you doing "
    "anything."
)


def _erasure_outcome(report: ErasureReport) -> str:
    if report.complete:
        return (
            "Your data has been erased. Orders are kept, without your name where the law "
            "allows, for the accounting period."
        )
    # Never which case, authority or date: a member may not learn of a case whose
    # non-disclosure order forbids it, so every hold is told the same way.
    return WAITING_ON_LEGAL_OBLIGATION


def deletion_run(*, request: DataRequest, actor: Actor, now=None) -> DataRequest:
    """Erase the member once the grace period has ended. Atomic per member, idempotent:
    a crash rolls everything back and the next run starts again; data under a legal hold
    stays, and the request says so and stays open until the hold ends."""
    now = now or timezone.now()
    with transaction.atomic():
        request = REQUESTS.locked(request)
        if request.kind != Kind.DELETION:
            raise DataRequestError(errors.WRONG_KIND.format(kind="deletion"), code="wrong_kind")
        require_open(request)
        if request.erase_after and request.erase_after > now:
            return request
        member = request.member
        address = member.email
        previous_outcome = request.outcome
        # The first run ends the account; a run repeated while a hold keeps data (the
        # scheduled job, every few minutes) only erases what the holds have let go since,
        # and records nothing unless something changed.
        first_run = request.status == Status.RECEIVED
        if first_run:
            REQUESTS.move(request, Status.IN_PROGRESS, now=now)
            sessions_end_all(member=member, actor=actor)
            type(member)._default_manager.filter(pk=member.pk).update(is_active=False)
            directory_changed()  # an inactive member is listed nowhere
        if first_run or not holds_affecting(member):
            # Recorded before the erasure, which unlinks the member's audit pseudonym.
            REQUESTS.audit(request, actor, DataRequestEvent.MEMBER_ERASED, ["status"])
        report = member_erase(member=member)
        exports_expire(member=member)
        outcome = _erasure_outcome(report)
        if report.complete:
            REQUESTS.move(request, Status.COMPLETED, now=now, outcome=outcome)
        elif outcome != previous_outcome:
            request.outcome = outcome
            request.save(update_fields=["outcome"])
    # The job re-runs while a hold keeps data: tell the member once that it waits, and
    # once that it is done, at an address that is still theirs.
    if address and not address.startswith(ANONYMOUS_PREFIX):
        if report.complete:
            notify(request, "completed", address=address)
        elif request.outcome != previous_outcome:
            notify(request, "progress", address=address)
    return request


def deletion_expedite(*, request: DataRequest, actor: Actor) -> DataRequest:
    """Staff end the grace period now and erase at once."""
    require_privacy_officer(actor)
    with transaction.atomic():
        locked = REQUESTS.locked(request)
        if locked.kind != Kind.DELETION:
            raise DataRequestError(errors.WRONG_KIND.format(kind="deletion"), code="wrong_kind")
        require_open(locked)
        locked.erase_after = timezone.now()
        locked.save(update_fields=["erase_after"])
    return deletion_run(request=locked, actor=actor)


def deletion_run_if_due(*, request_id: int, now=None) -> bool:
    """The scheduled erasure of one member (a background task, see privacy.tasks). Safe
    to run twice: a request no longer open (erased by an earlier run, cancelled) or not
    due is left alone. Returns whether the erasure ran."""
    now = now or timezone.now()
    try:
        request = deletion_run(request=DataRequest(pk=request_id), actor=Actor.system(), now=now)
    except DataRequest.DoesNotExist:
        return False
    except DataRequestError as exc:
        if exc.code == "request_not_open":
            return False
        raise
    return request.erase_after is not None and request.erase_after <= now


def deletions_run_due(*, now=None) -> int:
    """Erase every member whose grace period has ended, one transaction each, so one
    failure leaves the others done (`manage.py run_data_requests`; under Celery beat each
    member is a task of its own). Returns how many erasures ran."""
    now = now or timezone.now()
    return sum(deletion_run_if_due(request_id=pk, now=now) for pk in deletions_due(now=now))


def deletions_queue_due(*, now=None) -> int:
    """Queue one erasure task per member whose grace period has ended (a scheduled job),
    so members are erased in parallel on every worker and one failure holds up no one
    else. Returns how many were queued."""
    due = deletions_due(now=now or timezone.now())
    for request_id in due:
        enqueue(tasks.erase_member, request_id)
    return len(due)
