"""Writes of the data-request workflow: export, correction and deletion requests.

Each transition locks the request row, checks the model's transition table, sets its
timestamp, writes the audit event in the same transaction and leaves e-mails and
background work to `transaction.on_commit`.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.storage import storages
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from privacy import data_request_errors as errors
from privacy.correctable_fields import correctable_fields_by_key, correction_key
from privacy.data_request_errors import DataRequestError
from privacy.erasure import ANONYMOUS_PREFIX, ErasureReport, member_erase
from privacy.export import export_write
from privacy.models import CorrectionItem, DataRequest, DataRequestEvent
from privacy.registry import Category
from privacy.roles import Role, roles_of
from privacy.selectors import holds_affecting
from privacy.services import Actor, audit_record

Kind = DataRequest.Kind
Status = DataRequest.Status
ANSWER_WITHIN = relativedelta(months=1)
MAX_EXTENSION_MONTHS = 2
EXPORT_LINK_DAYS = 7
EXPORT_STORAGE = "exports"
# A build still in progress after this long has lost its worker (the task's own time limit
# is shorter; see privacy.tasks) and may be started again.
EXPORT_BUILD_LEASE = timedelta(minutes=30)
# A request still waiting this long was never queued (the broker was unreachable when it
# was made) or its message was lost; the scheduled resume queues it again.
EXPORT_QUEUE_GRACE = timedelta(minutes=15)
WAITING_ON_LEGAL_OBLIGATION = (
    "Most of your data has been erased. Some of it must be kept for now to meet a legal "
    "obligation; it will be erased as soon as that obligation ends, without you doing "
    "anything."
)


@dataclass(frozen=True)
class ProposedCorrection:
    model_label: str
    object_id: str
    field_name: str
    proposed_value: str


def _require_privacy_officer(actor: Actor) -> None:
    if Role.PRIVACY_OFFICER not in roles_of(actor.user):
        raise PermissionDenied(errors.NOT_PRIVACY_OFFICER)


def _notify(request: DataRequest, notice: str, *, address: str = "") -> None:
    """E-mail the member after commit. `address` is given when the account's own address
    is about to be erased. Robust: with the broker unreachable the change stands and the
    member sees it in the privacy centre; the failure is logged, and the member's request
    is not answered with an error for something that did happen."""
    from privacy.tasks import send_data_request_notice

    transaction.on_commit(
        lambda: send_data_request_notice.delay(request.pk, notice, address), robust=True
    )


def _audit(request: DataRequest, actor: Actor, event: str, fields=()) -> None:
    audit_record(
        actor=actor,
        event_type=event,
        category=Category.ACCOUNT,
        subject=request.member,
        obj=request,
        fields=fields,
    )


def _locked(request: DataRequest) -> DataRequest:
    return DataRequest.objects.select_for_update().select_related("member").get(pk=request.pk)


def _not_open(request: DataRequest) -> DataRequestError:
    return DataRequestError(
        "request_not_open",
        errors.REQUEST_NOT_OPEN.format(status=request.get_status_display().lower()),
    )


def _require_open(request: DataRequest) -> None:
    if not request.is_open:
        raise _not_open(request)


def _move(request: DataRequest, status: Status, **timestamps) -> None:
    if not request.can_become(status):
        raise _not_open(request)
    request.status = status
    for name, value in timestamps.items():
        setattr(request, name, value)
    request.save()


def _validate_corrections(member, proposals: list[ProposedCorrection]) -> None:
    if not proposals:
        raise ValidationError({"corrections": errors.NOTHING_TO_CORRECT})
    problems = {}
    correctable = correctable_fields_by_key(member)
    for proposal in proposals:
        key = correction_key(proposal.model_label, proposal.object_id, proposal.field_name)
        found = correctable.get(key)
        if found is None:
            problems[key] = errors.NOT_CORRECTABLE
        elif found.current_value == proposal.proposed_value.strip():
            problems[key] = errors.UNCHANGED_VALUE
    if problems:
        raise ValidationError(problems)


def data_request_create(
    *,
    member,
    actor: Actor,
    kind: str,
    password: str | None = None,
    corrections: list[ProposedCorrection] | None = None,
) -> tuple[DataRequest, bool]:
    """Open a request; returns (request, created). Asking again while a request of the
    same kind is open returns that one: a double submit makes one request."""
    kind = Kind(kind)
    existing = DataRequest.objects.filter(
        member=member, kind=kind, status__in=DataRequest.OPEN
    ).first()
    if existing is not None:
        return existing, False
    if kind == Kind.DELETION and not member.check_password(password or ""):
        raise ValidationError({"password": errors.WRONG_PASSWORD})
    if kind == Kind.CORRECTION:
        _validate_corrections(member, corrections or [])
    now = timezone.now()
    try:
        with transaction.atomic():
            request = DataRequest.objects.create(
                member=member, kind=kind, received_at=now, due_at=now + ANSWER_WITHIN
            )
            if kind == Kind.CORRECTION:
                CorrectionItem.objects.bulk_create(
                    CorrectionItem(
                        request=request,
                        model_label=p.model_label,
                        object_id=p.object_id,
                        field_name=p.field_name,
                        proposed_value=p.proposed_value.strip(),
                    )
                    for p in corrections
                )
            if kind == Kind.DELETION:
                _deletion_take_effect(request, actor)
            _audit(request, actor, DataRequestEvent.RECEIVED, ["kind"])
    except IntegrityError:
        # Two submits raced; the constraint kept one, and that is the answer.
        return DataRequest.objects.get(member=member, kind=kind, status__in=DataRequest.OPEN), False
    _notify(request, "received")
    if kind == Kind.EXPORT:
        _export_queue(request.pk)
    return request, True


def _export_queue(request_id: int) -> None:
    """Queue the build after commit. Robust: with the broker unreachable the request is
    recorded all the same and the scheduled `exports_resume` queues it later."""
    from privacy.tasks import build_export

    transaction.on_commit(lambda: build_export.delay(request_id), robust=True)


def _deletion_take_effect(request: DataRequest, actor: Actor) -> None:
    """At once: the public profile is hidden and every session and token ends."""
    from accounts.services import profile_listing_set, sessions_end_all

    request.erase_after = request.received_at + relativedelta(days=settings.DELETION_GRACE_DAYS)
    request.profile_was_listed = profile_listing_set(
        member=request.member, actor=actor, listed=False
    )
    request.save(update_fields=["erase_after", "profile_was_listed"])
    sessions_end_all(member=request.member, actor=actor)


def data_request_cancel(*, request: DataRequest, actor: Actor) -> DataRequest:
    """The member withdraws an open request; a deletion in its grace period is undone."""
    from accounts.services import profile_listing_set

    with transaction.atomic():
        request = _locked(request)
        _move(request, Status.CANCELLED, cancelled_at=timezone.now())
        if request.kind == Kind.DELETION and request.profile_was_listed:
            profile_listing_set(member=request.member, actor=actor, listed=True)
        _audit(request, actor, DataRequestEvent.CANCELLED, ["status"])
    _notify(request, "cancelled")
    return request


def data_request_extend(
    *, request: DataRequest, actor: Actor, months: int, reason: str
) -> DataRequest:
    """Staff extend the deadline by up to two months in all, telling the member why."""
    _require_privacy_officer(actor)
    if not reason.strip():
        raise DataRequestError("extension_needs_reason", errors.EXTENSION_NEEDS_REASON)
    with transaction.atomic():
        request = _locked(request)
        _require_open(request)
        new_due = request.due_at + relativedelta(months=months)
        limit = request.received_at + ANSWER_WITHIN + relativedelta(months=MAX_EXTENSION_MONTHS)
        if months < 1 or new_due > limit:
            raise DataRequestError("extension_too_long", errors.EXTENSION_TOO_LONG)
        request.due_at = new_due
        request.extension_reason = reason.strip()
        request.save(update_fields=["due_at", "extension_reason"])
        _audit(request, actor, DataRequestEvent.EXTENDED, ["due_at", "extension_reason"])
    _notify(request, "extended")
    return request


# --- export -------------------------------------------------------------------------


def export_request_for_member(*, member, actor: Actor) -> tuple[DataRequest, bool]:
    """A privacy officer produces an export for a member (e.g. asked by post)."""
    _require_privacy_officer(actor)
    return data_request_create(member=member, actor=actor, kind=Kind.EXPORT)


def _export_build_lost(request: DataRequest, now) -> bool:
    return (
        request.status == Status.IN_PROGRESS
        and request.started_at is not None
        and request.started_at <= now - EXPORT_BUILD_LEASE
    )


def export_build(*, request_id: int) -> DataRequest:
    """Build the export file (run in the background), updating its progress as it goes.
    Safe to run twice: a request already built, cancelled or being built by a live worker
    is left alone; a build whose worker died (in progress past EXPORT_BUILD_LEASE) is
    started again."""
    now = timezone.now()
    with transaction.atomic():
        request = DataRequest.objects.select_for_update().get(pk=request_id)
        if request.status == Status.RECEIVED:
            _move(request, Status.IN_PROGRESS, started_at=now, progress=0)
        elif _export_build_lost(request, now):
            request.started_at = now
            request.progress = 0
            request.save(update_fields=["started_at", "progress"])
        else:
            return request

    def progress(percent: int) -> None:
        DataRequest.objects.filter(pk=request_id).update(progress=min(percent, 99))

    storage = storages[EXPORT_STORAGE]
    name = f"export-{request.pk}-{timezone.now():%Y%m%d%H%M%S}.zip"
    with tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024) as target:
        export_write(
            member=request.member, request_id=request.pk, target=target, on_progress=progress
        )
        target.seek(0)
        name = storage.save(name, File(target))
    with transaction.atomic():
        request = _locked(request)
        if request.status != Status.IN_PROGRESS:
            storage.delete(name)
            return request
        now = timezone.now()
        _move(
            request,
            Status.COMPLETED,
            completed_at=now,
            progress=100,
            export_file=name,
            export_expires_at=now + relativedelta(days=EXPORT_LINK_DAYS),
            outcome="Your export is ready to download for 7 days.",
        )
        _audit(request, Actor.system(), DataRequestEvent.COMPLETED, ["export_file"])
    _notify(request, "completed")
    return request


def exports_resume(*, now=None) -> int:
    """Queue again the exports whose build was lost: still waiting after
    EXPORT_QUEUE_GRACE, or in progress past EXPORT_BUILD_LEASE (a scheduled job). A build
    queued twice runs once (see export_build). Returns how many were queued."""
    now = now or timezone.now()
    stalled = list(
        DataRequest.objects.filter(kind=Kind.EXPORT)
        .filter(
            models.Q(status=Status.RECEIVED, received_at__lte=now - EXPORT_QUEUE_GRACE)
            | models.Q(status=Status.IN_PROGRESS, started_at__lte=now - EXPORT_BUILD_LEASE)
        )
        .values_list("pk", flat=True)
    )
    for pk in stalled:
        _export_queue(pk)
    return len(stalled)


def export_open(*, request: DataRequest, actor: Actor):
    """The export file for download, recorded in the audit log; refuses expired links."""
    if request.kind != Kind.EXPORT or request.status != Status.COMPLETED:
        raise DataRequestError("export_not_ready", errors.EXPORT_NOT_READY)
    if request.export_expired or not request.export_file:
        raise DataRequestError("export_expired", errors.EXPORT_EXPIRED)
    with transaction.atomic():
        _audit(request, actor, DataRequestEvent.EXPORT_DOWNLOADED, ["export_file"])
    return storages[EXPORT_STORAGE].open(request.export_file, "rb")


def exports_expire(*, now=None, member=None) -> int:
    """Delete export files whose link has ended (a scheduled job), or all of one member's
    (on erasure: a copy of the data must not outlive it)."""
    now = now or timezone.now()
    storage = storages[EXPORT_STORAGE]
    if member is not None:
        expired = DataRequest.objects.filter(member=member).exclude(export_file="")
    else:
        expired = DataRequest.objects.filter(export_expires_at__lte=now).exclude(export_file="")
    files = dict(expired.values_list("pk", "export_file"))
    for name in files.values():
        storage.delete(name)
    DataRequest.objects.filter(pk__in=files).update(export_file="")
    return len(files)


# --- correction ---------------------------------------------------------------------


def correction_decide(
    *, request: DataRequest, actor: Actor, decisions: dict[int, tuple[bool, str]]
) -> DataRequest:
    """Staff approve or deny each proposed field: {item id: (approve, reason)}. Approved
    values are written through the owning app's service; all or nothing."""
    _require_privacy_officer(actor)
    with transaction.atomic():
        request = _locked(request)
        if request.kind != Kind.CORRECTION:
            raise DataRequestError("wrong_kind", errors.WRONG_KIND.format(kind="correction"))
        _require_open(request)
        items = {i.pk: i for i in request.items.select_for_update()}
        now = timezone.now()
        approved: dict[tuple[str, str], dict[str, Any]] = {}
        problems = {}
        for item_id, (approve, reason) in decisions.items():
            item = items.get(item_id)
            if item is None or item.decision != CorrectionItem.Decision.PENDING:
                continue
            if not approve and not reason.strip():
                problems[str(item_id)] = errors.DENIAL_NEEDS_REASON
                continue
            item.decision = (
                CorrectionItem.Decision.APPROVED if approve else CorrectionItem.Decision.DENIED
            )
            item.reason = "" if approve else reason.strip()
            item.decided_at = now
            item.save(update_fields=["decision", "reason", "decided_at"])
            if approve:
                key = (item.model_label, item.object_id)
                approved.setdefault(key, {})[item.field_name] = item.proposed_value
            event = (
                DataRequestEvent.CORRECTION_APPROVED
                if approve
                else DataRequestEvent.CORRECTION_DENIED
            )
            _audit(request, actor, event, [item.field_name])
        if problems:
            raise ValidationError(problems)
        correctable = correctable_fields_by_key(request.member) if approved else {}
        for (model_label, object_id), changes in approved.items():
            _correction_write(correctable, model_label, object_id, changes, actor)
        if request.status == Status.RECEIVED:
            _move(request, Status.IN_PROGRESS, started_at=now)
        pending = [i for i in items.values() if i.decision == CorrectionItem.Decision.PENDING]
        if not pending:
            any_approved = any(
                i.decision == CorrectionItem.Decision.APPROVED for i in items.values()
            )
            if any_approved:
                _move(
                    request,
                    Status.COMPLETED,
                    completed_at=now,
                    outcome="Your correction has been decided; see each field below.",
                )
                _audit(request, actor, DataRequestEvent.COMPLETED, ["status"])
            else:
                _move(
                    request,
                    Status.DENIED,
                    denied_at=now,
                    outcome="Your correction was not made; see the reason for each field.",
                )
                _audit(request, actor, DataRequestEvent.DENIED, ["status"])
    _notify(request, "decided" if not pending else "progress")
    return request


def _correction_write(correctable: dict, model_label: str, object_id: str, changes, actor):
    found = None
    for field_name in changes:
        found = correctable.get(correction_key(model_label, object_id, field_name))
        if found is None:
            raise ValidationError({field_name: errors.NOT_CORRECTABLE})
    found.declaration.corrected_by(obj=found.obj, actor=actor, changes=changes)


# --- deletion -----------------------------------------------------------------------


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
    from accounts.services import sessions_end_all

    now = now or timezone.now()
    with transaction.atomic():
        request = _locked(request)
        if request.kind != Kind.DELETION:
            raise DataRequestError("wrong_kind", errors.WRONG_KIND.format(kind="deletion"))
        _require_open(request)
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
            _move(request, Status.IN_PROGRESS, started_at=now)
            sessions_end_all(member=member, actor=actor)
            type(member)._default_manager.filter(pk=member.pk).update(is_active=False)
        if first_run or not holds_affecting(member):
            # Recorded before the erasure, which unlinks the member's audit pseudonym.
            _audit(request, actor, DataRequestEvent.MEMBER_ERASED, ["status"])
        report = member_erase(member=member)
        exports_expire(member=member)
        request.outcome = _erasure_outcome(report)
        if report.complete:
            _move(request, Status.COMPLETED, completed_at=now)
        elif request.outcome != previous_outcome:
            request.save(update_fields=["outcome"])
    # The job re-runs while a hold keeps data: tell the member once that it waits, and
    # once that it is done, at an address that is still theirs.
    if address and not address.startswith(ANONYMOUS_PREFIX):
        if report.complete:
            _notify(request, "completed", address=address)
        elif request.outcome != previous_outcome:
            _notify(request, "progress", address=address)
    return request


def deletion_expedite(*, request: DataRequest, actor: Actor) -> DataRequest:
    """Staff end the grace period now and erase at once."""
    _require_privacy_officer(actor)
    with transaction.atomic():
        locked = _locked(request)
        if locked.kind != Kind.DELETION:
            raise DataRequestError("wrong_kind", errors.WRONG_KIND.format(kind="deletion"))
        _require_open(locked)
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
    from privacy.data_request_selectors import deletions_due

    now = now or timezone.now()
    return sum(deletion_run_if_due(request_id=pk, now=now) for pk in deletions_due(now=now))
