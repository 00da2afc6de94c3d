"""Writes of the law-enforcement workflow ('Disclosure to Law Enforcement').

One keyword-only service per transition of `LegalRequest.TRANSITIONS`. Each checks the
actor's legal role, locks the request row, checks the transition table, sets its
timestamp, writes the audit event in the same transaction and leaves e-mails and
background work to `transaction.on_commit`. An invalid move raises LegalRequestError
(privacy.legal.errors); bad input raises ValidationError naming the field.

Who does what: a legal officer records a request, verifies the requester, starts and runs
the collection; a legal approver approves the scope and, being someone other than the
officer who collected (four eyes), the delivery; either may ask for more information,
reject, withdraw, close, extend a preservation, record a follow-up process or a
non-disclosure order. Intake, targets and documents: privacy.legal.intake.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from outbox import enqueue
from privacy import tasks
from privacy.audit.services import Actor, AuditEntry, audit_record_many
from privacy.holds.services import case_hold_expiry, holds_release, holds_set_expiry
from privacy.legal import errors
from privacy.legal.access import require_approver, require_legal_staff, require_officer
from privacy.legal.errors import LegalRequestError
from privacy.legal.intake import DocumentInput, document_create
from privacy.legal.models import LegalEvent, LegalRequest, LegalRequestType
from privacy.legal.notices import notice_on_close, notice_on_delivery
from privacy.legal.packages import package_discard
from privacy.legal.scope import (
    APPROVER_NAMED,
    PRESERVATION_DISCLOSES_NOTHING,
    SCOPE_EMPTY,
    SCOPE_NEEDS_REASON,
    scope_refusals,
)
from privacy.legal.workflow import LEGAL
from privacy.registry import Category

Status = LegalRequest.Status

# --- verification and review ------------------------------------------------------------


def legal_verification_start(*, request: LegalRequest, actor: Actor) -> LegalRequest:
    require_officer(actor.user)
    with transaction.atomic():
        request = LEGAL.locked(request)
        LEGAL.move(request, Status.VERIFYING, action="verified")
        LEGAL.audit(request, actor, LegalEvent.VERIFICATION_STARTED, ["status"])
    return request


def legal_requester_verify(
    *, request: LegalRequest, actor: Actor, note: str, called_back: bool
) -> LegalRequest:
    """The requester is who they say they are. An emergency is verified only by calling
    the authority's number back, and that call is recorded."""
    require_officer(actor.user)
    if not note.strip():
        raise ValidationError({"note": errors.NOTE_REQUIRED})
    with transaction.atomic():
        request = LEGAL.locked(request)
        if request.status == Status.VERIFYING and request.is_emergency and not called_back:
            raise ValidationError({"called_back": errors.CALLBACK_REQUIRED})
        LEGAL.move(
            request,
            Status.LEGAL_REVIEW,
            action="verified",
            source=Status.VERIFYING,
            verification_note=note.strip(),
            verified_by=actor.user,
            verified_at=timezone.now(),
            verified_by_callback=called_back,
        )
        LEGAL.audit(request, actor, LegalEvent.VERIFIED, ["verification_note"])
    return request


def legal_info_request(*, request: LegalRequest, actor: Actor, question: str) -> LegalRequest:
    """Ask the requester for more; the clock stops until the answer arrives."""
    require_legal_staff(actor.user)
    if not question.strip():
        raise ValidationError({"question": errors.INFO_REQUEST_EMPTY})
    with transaction.atomic():
        request = LEGAL.locked(request)
        LEGAL.move(
            request,
            Status.NEEDS_INFO,
            action="paused for more information",
            info_requested=question.strip(),
            paused_at=timezone.now(),
        )
        LEGAL.audit(request, actor, LegalEvent.INFO_REQUESTED, ["info_requested"])
    return request


def legal_info_receive(*, request: LegalRequest, actor: Actor) -> LegalRequest:
    """The answer arrived: review resumes, and the due date moves by the paused time."""
    require_legal_staff(actor.user)
    with transaction.atomic():
        request = LEGAL.locked(request)
        paused = timezone.now() - request.paused_at if request.paused_at else timedelta()
        LEGAL.move(
            request,
            Status.LEGAL_REVIEW,
            action="resumed",
            source=Status.NEEDS_INFO,
            due_at=request.due_at + paused,
            paused_at=None,
        )
        LEGAL.audit(request, actor, LegalEvent.INFO_RECEIVED, ["due_at"])
    return request


def _scope(categories) -> list[str]:
    wanted = set(categories)
    unknown = wanted - set(Category.values)
    if unknown:
        raise ValidationError({"categories": f"Unknown categories: {', '.join(sorted(unknown))}"})
    return [c for c in Category.values if c in wanted]


def legal_request_approve(
    *, request: LegalRequest, actor: Actor, categories=(), reason: str = ""
) -> LegalRequest:
    """A legal approver approves the request with a scope: the registry categories it may
    disclose. A category the type does not unlock is refused with the reason; an
    emergency or a protection of rights needs a reason for its scope. An emergency's
    follow-up process is due LEGAL_EMERGENCY_FOLLOW_UP_DAYS later; a preservation
    discloses nothing and holds its data LEGAL_PRESERVATION_DAYS from now."""
    require_approver(actor.user)
    scope = _scope(categories)
    with transaction.atomic():
        request = LEGAL.locked(request)
        if not request.can_become(Status.APPROVED):
            raise LEGAL.refuse(request, Status.APPROVED, "approved")
        now = timezone.now()
        values = {"reviewed_by": actor.user, "paused_at": None}
        if request.is_preservation:
            if scope:
                raise LegalRequestError(PRESERVATION_DISCLOSES_NOTHING, code="scope_refused")
            holds_set_expiry(
                request=request, expires_at=now + timedelta(days=settings.LEGAL_PRESERVATION_DAYS)
            )
        else:
            if not scope:
                raise LegalRequestError(SCOPE_EMPTY, code="scope_empty")
            refusals = scope_refusals(request.request_type, scope)
            if refusals:
                raise LegalRequestError(
                    errors.SCOPE_REFUSED.format(reasons=" ".join(r.reason for r in refusals)),
                    code="scope_refused",
                )
            if request.request_type in APPROVER_NAMED and not reason.strip():
                raise LegalRequestError(SCOPE_NEEDS_REASON, code="scope_needs_reason")
            values.update(scope_categories=scope, scope_reason=reason.strip())
            if request.is_emergency:
                values["follow_up_due_at"] = now + timedelta(
                    days=settings.LEGAL_EMERGENCY_FOLLOW_UP_DAYS
                )
        LEGAL.move(request, Status.APPROVED, action="approved", now=now, **values)
        LEGAL.audit(request, actor, LegalEvent.APPROVED, ["scope_categories"])
    return request


def legal_request_reject(*, request: LegalRequest, actor: Actor, reason: str) -> LegalRequest:
    """Refuse the request (not valid process, requester not verified...); its holds end."""
    require_legal_staff(actor.user)
    if not reason.strip():
        raise ValidationError({"reason": errors.REJECTION_NEEDS_REASON})
    with transaction.atomic():
        request = LEGAL.locked(request)
        now = timezone.now()
        LEGAL.move(
            request,
            Status.REJECTED,
            action="rejected",
            now=now,
            rejection_reason=reason.strip(),
            reviewed_by=actor.user,
            paused_at=None,
        )
        holds_release(request=request, actor=actor, now=now)
        LEGAL.audit(request, actor, LegalEvent.REJECTED, ["rejection_reason"])
    return request


# --- collection, second review, delivery ------------------------------------------------


def legal_collection_start(*, request: LegalRequest, actor: Actor) -> LegalRequest:
    require_officer(actor.user)
    with transaction.atomic():
        request = LEGAL.locked(request)
        if request.is_preservation and request.status == Status.APPROVED:
            raise LegalRequestError(
                errors.PRESERVATION_NOT_COLLECTED, code="preservation_not_collected"
            )
        LEGAL.move(request, Status.COLLECTING, action="collected", source=Status.APPROVED)
        LEGAL.audit(request, actor, LegalEvent.COLLECTING, ["status"])
    return request


def legal_collect(*, request: LegalRequest, actor: Actor) -> LegalRequest:
    """The officer collects the package: built in the background (inline without a
    broker) from the approved scope only, it moves the request to second review."""
    require_officer(actor.user)
    with transaction.atomic():
        request = LEGAL.locked(request)
        if request.status != Status.COLLECTING:
            raise LEGAL.refuse(request, Status.SECOND_REVIEW, "collected")
        if request.collected_by_id is not None:
            raise LegalRequestError(errors.PACKAGE_BEING_BUILT, code="package_being_built")
        request.collected_by = actor.user
        request.save(update_fields=["collected_by"])
    # robust: an unreachable broker must not turn the committed step into a 500; the
    # scheduled packages_resume queues the build again.
    enqueue(tasks.build_legal_package, request.pk)
    return request


def legal_collection_return(*, request: LegalRequest, actor: Actor) -> LegalRequest:
    """The approver sends the package back for more collection: it is discarded, and the
    next collection (by anyone, the same officer included) builds it again."""
    require_approver(actor.user)
    with transaction.atomic():
        request = LEGAL.locked(request)
        if request.status != Status.SECOND_REVIEW:
            raise LEGAL.refuse(request, Status.COLLECTING, "sent back")
        LEGAL.move(
            request, Status.COLLECTING, action="sent back", collected_by=None, collected_at=None
        )
        package_discard(request=request)
        LEGAL.audit(request, actor, LegalEvent.RETURNED, ["package_file"])
    return request


def legal_delivery_approve(*, request: LegalRequest, actor: Actor) -> LegalRequest:
    """The second pair of eyes: a legal approver who did not collect the package releases
    it. The affected members are told, unless a non-disclosure order is in force (then
    when it ends) or it is an emergency (then when the emergency is over)."""
    require_approver(actor.user)
    with transaction.atomic():
        request = LEGAL.locked(request)
        if not request.can_become(Status.DELIVERED):
            raise LEGAL.refuse(request, Status.DELIVERED, "delivered")
        if request.collected_by_id == actor.user.pk:
            raise LegalRequestError(errors.OWN_COLLECTION, code="own_collection")
        now = timezone.now()
        LEGAL.move(
            request,
            Status.DELIVERED,
            action="delivered",
            delivery_approved_by=actor.user,
            now=now,
            package_expires_at=now + timedelta(hours=settings.LEGAL_PACKAGE_LINK_HOURS),
        )
        LEGAL.audit(request, actor, LegalEvent.DELIVERED, ["package_file"])
        audit_record_many(
            actor=actor,
            event_type=LegalEvent.DELIVERED,
            entries=(
                AuditEntry(d.category, subject=d.member, obj=request, fields=d.fields)
                for d in request.disclosures.exclude(member=None).select_related("member")
            ),
        )
        notice_on_delivery(request=request, actor=actor, now=now)
    return request


def legal_request_close(*, request: LegalRequest, actor: Actor) -> LegalRequest:
    """The case is over: its holds end, and after an emergency the members are told."""
    require_legal_staff(actor.user)
    with transaction.atomic():
        request = LEGAL.locked(request)
        return _close(request, actor)


def _close(request: LegalRequest, actor: Actor) -> LegalRequest:
    if request.status == Status.APPROVED and not request.is_preservation:
        # Only a preservation ends without a collection; other cases deliver or withdraw.
        raise LEGAL.refuse(request, Status.CLOSED, "closed")
    now = timezone.now()
    LEGAL.move(request, Status.CLOSED, action="closed", now=now)
    holds_release(request=request, actor=actor, now=now)
    LEGAL.audit(request, actor, LegalEvent.CLOSED, ["status"])
    notice_on_close(request=request, actor=actor, now=now)
    return request


def legal_request_withdraw(*, request: LegalRequest, actor: Actor) -> LegalRequest:
    """The requester withdraws: from any open state before delivery. Holds end and an
    undelivered package is discarded; delivering afterwards is refused."""
    require_legal_staff(actor.user)
    with transaction.atomic():
        request = LEGAL.locked(request)
        now = timezone.now()
        LEGAL.move(request, Status.WITHDRAWN, action="withdrawn", now=now, paused_at=None)
        holds_release(request=request, actor=actor, now=now)
        package_discard(request=request)
        LEGAL.audit(request, actor, LegalEvent.WITHDRAWN, ["status"])
    return request


# --- preservation, emergency follow-up, non-disclosure ------------------------------------


def legal_preservation_extend(*, request: LegalRequest, actor: Actor) -> LegalRequest:
    """Extend an approved preservation once, by LEGAL_PRESERVATION_DAYS."""
    require_legal_staff(actor.user)
    with transaction.atomic():
        request = LEGAL.locked(request)
        if not request.is_preservation:
            raise LegalRequestError(errors.NOT_PRESERVATION, code="not_preservation")
        if request.preservation_extended_at is not None:
            raise LegalRequestError(errors.ALREADY_EXTENDED, code="already_extended")
        expires_at = case_hold_expiry(request)
        if request.status != Status.APPROVED or expires_at is None:
            raise LEGAL.refuse(request, Status.APPROVED, "extended")
        now = timezone.now()
        holds_set_expiry(
            request=request,
            expires_at=expires_at + timedelta(days=settings.LEGAL_PRESERVATION_DAYS),
        )
        request.preservation_extended_at = now
        request.save(update_fields=["preservation_extended_at"])
        LEGAL.audit(request, actor, LegalEvent.HOLD_EXTENDED, ["preservation_extended_at"])
    return request


def preservations_expire(*, now: datetime | None = None) -> int:
    """Close approved preservations whose holds have lapsed, releasing them (a scheduled
    job; one transaction per case)."""
    now = now or timezone.now()
    due = (
        LegalRequest.objects.filter(
            request_type=LegalRequestType.PRESERVATION,
            status=Status.APPROVED,
            holds__released_at=None,
            holds__expires_at__lte=now,
        )
        .values_list("pk", flat=True)
        .distinct()
    )
    done = 0
    for pk in list(due):
        with transaction.atomic():
            request = LEGAL.locked(LegalRequest(pk=pk))
            if request.status != Status.APPROVED:
                continue
            _close(request, Actor.system())
            done += 1
    return done


def legal_follow_up_record(
    *, request: LegalRequest, actor: Actor, document: DocumentInput | None = None
) -> LegalRequest:
    """The legal process that must follow an emergency disclosure has arrived."""
    require_legal_staff(actor.user)
    with transaction.atomic():
        request = LEGAL.locked(request)
        if not request.is_emergency or request.follow_up_due_at is None:
            raise LegalRequestError(errors.NOT_EMERGENCY, code="not_emergency")
        if request.follow_up_received_at is not None:
            raise LegalRequestError(errors.FOLLOW_UP_ALREADY, code="follow_up_recorded")
        request.follow_up_received_at = timezone.now()
        request.save(update_fields=["follow_up_received_at"])
        if document is not None and document.file:
            document_create(request, document, actor)
        LEGAL.audit(request, actor, LegalEvent.FOLLOW_UP_RECEIVED, ["follow_up_received_at"])
    return request


def legal_nondisclosure_record(
    *, request: LegalRequest, actor: Actor, reason: str, until: datetime | None
) -> LegalRequest:
    """A court forbids telling the members until a date: their notice waits until then,
    and then goes out by itself."""
    require_legal_staff(actor.user)
    problems = {}
    if not reason.strip():
        problems["reason"] = errors.NONDISCLOSURE_NEEDS_REASON
    if until is None or until <= timezone.now():
        problems["until"] = errors.NONDISCLOSURE_NEEDS_EXPIRY
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        request = LEGAL.locked(request)
        if request.notice == LegalRequest.Notice.SENT:
            raise LegalRequestError(errors.NONDISCLOSURE_TOO_LATE, code="notice_sent")
        request.nondisclosure_reason = reason.strip()
        request.nondisclosure_until = until
        request.save(update_fields=["nondisclosure_reason", "nondisclosure_until"])
        LEGAL.audit(
            request,
            actor,
            LegalEvent.NON_DISCLOSURE_RECORDED,
            ["nondisclosure_reason", "nondisclosure_until"],
        )
    return request
