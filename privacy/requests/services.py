"""Writes of the data-request workflow: export, correction and deletion requests.

Each transition locks the request row (REQUESTS, bestqm.workflow), checks the model's
transition table, sets its timestamp, writes the audit event in the same transaction and
leaves e-mails and background work to `transaction.on_commit`. Exports, corrections and
deletions each have their module beside this one.
"""

from __future__ import annotations

from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.profile.services import profile_listing_set
from accounts.services import sessions_end_all
from bestqm.workflow import Workflow
from outbox import enqueue
from privacy import tasks
from privacy.audit.services import Actor
from privacy.registry import Category
from privacy.requests import errors
from privacy.requests.correctable_fields import correctable_fields_by_key, correction_key
from privacy.requests.errors import DataRequestError
from privacy.requests.models import CorrectionItem, DataRequest, DataRequestEvent
from privacy.roles import Role, roles_of

Kind = DataRequest.Kind
Status = DataRequest.Status
ANSWER_WITHIN = relativedelta(months=1)
MAX_EXTENSION_MONTHS = 2


@dataclass(frozen=True)
class ProposedCorrection:
    model_label: str
    object_id: str
    field_name: str
    proposed_value: str


def require_privacy_officer(actor: Actor) -> None:
    if Role.PRIVACY_OFFICER not in roles_of(actor.user):
        raise PermissionDenied(errors.NOT_PRIVACY_OFFICER)


def notify(request: DataRequest, notice: str, *, address: str = "") -> None:
    """E-mail the member after commit. `address` is given when the account's own address
    is about to be erased. Robust: with the broker unreachable the change stands and the
    member sees it in the privacy centre; the failure is logged, and the member's request
    is not answered with an error for something that did happen."""
    enqueue(tasks.send_data_request_notice, request.pk, notice, address)


def _not_open(request: DataRequest, status: str = "", action: str = "") -> DataRequestError:
    return DataRequestError(
        errors.REQUEST_NOT_OPEN.format(status=request.get_status_display().lower()),
        code="request_not_open",
    )


# The member's row is locked with the request's: a request's step and the member's
# erasure do not interleave.
REQUESTS = Workflow(
    DataRequest,
    category=Category.ACCOUNT,
    refusal=_not_open,
    related=("member",),
    lock_related=True,
)


def require_open(request: DataRequest) -> None:
    if not request.is_open:
        raise _not_open(request)


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
        else:
            # The field's own validators, when the member submits it: a correction that
            # staff could never approve is refused now, on its field.
            model_field = found.declaration.model._meta.get_field(found.personal.name)
            try:
                model_field.clean(proposal.proposed_value.strip(), found.obj)
            except ValidationError as exc:
                problems[key] = [f"{found.label}: {message}" for message in exc.messages]
    if problems:
        raise ValidationError(problems)


def _password_confirms(member, password: str | None, request) -> bool:
    """With the request (a page or the API), the re-entered password is a counted
    sign-in attempt (accounts.password_reentry); without one, a plain check."""
    if request is None:
        return member.check_password(password or "")
    from accounts.password_reentry import password_reentry_check

    return password_reentry_check(request=request, user=member, password=password or "")


def data_request_create(
    *,
    member,
    actor: Actor,
    kind: str,
    password: str | None = None,
    corrections: list[ProposedCorrection] | None = None,
    request=None,
) -> tuple[DataRequest, bool]:
    """Open a request; returns (request, created). Asking again while a request of the
    same kind is open returns that one: a double submit makes one request."""
    kind = Kind(kind)
    existing = DataRequest.objects.filter(
        member=member, kind=kind, status__in=DataRequest.OPEN
    ).first()
    if existing is not None:
        return existing, False
    if kind == Kind.DELETION and not _password_confirms(member, password, request):
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
            REQUESTS.audit(request, actor, DataRequestEvent.RECEIVED, ["kind"])
    except IntegrityError:
        # Two submits raced; the constraint kept one, and that is the answer.
        return DataRequest.objects.get(member=member, kind=kind, status__in=DataRequest.OPEN), False
    notify(request, "received")
    if kind == Kind.EXPORT:
        export_queue(request.pk)
    return request, True


def export_queue(request_id: int) -> None:
    """Queue the build after commit. Robust: with the broker unreachable the request is
    recorded all the same and the scheduled `exports_resume` queues it later."""
    enqueue(tasks.build_export, request_id)


def _deletion_take_effect(request: DataRequest, actor: Actor) -> None:
    """At once: the public profile is hidden and every session and token ends."""
    request.erase_after = request.received_at + relativedelta(days=settings.DELETION_GRACE_DAYS)
    request.profile_was_listed = profile_listing_set(
        member=request.member, actor=actor, listed=False
    )
    request.save(update_fields=["erase_after", "profile_was_listed"])
    sessions_end_all(member=request.member, actor=actor)


def data_request_cancel(*, request: DataRequest, actor: Actor) -> DataRequest:
    """The member withdraws an open request; a deletion in its grace period is undone."""
    with transaction.atomic():
        request = REQUESTS.move(REQUESTS.locked(request), Status.CANCELLED)
        if request.kind == Kind.DELETION and request.profile_was_listed:
            profile_listing_set(member=request.member, actor=actor, listed=True)
        REQUESTS.audit(request, actor, DataRequestEvent.CANCELLED, ["status"])
    notify(request, "cancelled")
    return request


def data_request_extend(
    *, request: DataRequest, actor: Actor, months: int, reason: str
) -> DataRequest:
    """Staff extend the deadline by up to two months in all, telling the member why."""
    require_privacy_officer(actor)
    if not reason.strip():
        raise DataRequestError(errors.EXTENSION_NEEDS_REASON, code="extension_needs_reason")
    with transaction.atomic():
        request = REQUESTS.locked(request)
        require_open(request)
        new_due = request.due_at + relativedelta(months=months)
        limit = request.received_at + ANSWER_WITHIN + relativedelta(months=MAX_EXTENSION_MONTHS)
        if months < 1 or new_due > limit:
            raise DataRequestError(errors.EXTENSION_TOO_LONG, code="extension_too_long")
        request.due_at = new_due
        request.extension_reason = reason.strip()
        request.save(update_fields=["due_at", "extension_reason"])
        REQUESTS.audit(request, actor, DataRequestEvent.EXTENDED, ["due_at", "extension_reason"])
    notify(request, "extended")
    return request
