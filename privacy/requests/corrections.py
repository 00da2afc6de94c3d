"""Staff decide a correction request field by field; approved values are written by the
service of the app that owns the record."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from privacy.audit.services import Actor
from privacy.requests import errors
from privacy.requests.correctable_fields import correctable_fields_by_key, correction_key
from privacy.requests.errors import DataRequestError
from privacy.requests.models import CorrectionItem, DataRequest, DataRequestEvent
from privacy.requests.services import (
    REQUESTS,
    notify,
    require_open,
    require_privacy_officer,
)

Kind = DataRequest.Kind
Status = DataRequest.Status


def correction_decide(
    *, request: DataRequest, actor: Actor, decisions: dict[int, tuple[bool, str]]
) -> DataRequest:
    """Staff approve or deny each proposed field: {item id: (approve, reason)}. Approved
    values are written through the owning app's service; all or nothing."""
    require_privacy_officer(actor)
    with transaction.atomic():
        request = REQUESTS.locked(request)
        if request.kind != Kind.CORRECTION:
            raise DataRequestError(errors.WRONG_KIND.format(kind="correction"), code="wrong_kind")
        require_open(request)
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
            REQUESTS.audit(request, actor, event, [item.field_name])
        if problems:
            raise ValidationError(problems)
        correctable = correctable_fields_by_key(request.member) if approved else {}
        for (model_label, object_id), changes in approved.items():
            _correction_write(correctable, model_label, object_id, changes, actor)
        if request.status == Status.RECEIVED:
            REQUESTS.move(request, Status.IN_PROGRESS, now=now)
        pending = [i for i in items.values() if i.decision == CorrectionItem.Decision.PENDING]
        if not pending:
            any_approved = any(
                i.decision == CorrectionItem.Decision.APPROVED for i in items.values()
            )
            if any_approved:
                REQUESTS.move(
                    request,
                    Status.COMPLETED,
                    actor=actor,
                    event=DataRequestEvent.COMPLETED,
                    fields=["status"],
                    now=now,
                    outcome="Your correction has been decided; see each field below.",
                )
            else:
                REQUESTS.move(
                    request,
                    Status.DENIED,
                    actor=actor,
                    event=DataRequestEvent.DENIED,
                    fields=["status"],
                    now=now,
                    outcome="Your correction was not made; see the reason for each field.",
                )
    notify(request, "decided" if not pending else "progress")
    return request


def _correction_write(correctable: dict, model_label: str, object_id: str, changes, actor):
    found = None
    for field_name in changes:
        found = correctable.get(correction_key(model_label, object_id, field_name))
        if found is None:
            raise ValidationError({field_name: errors.NOT_CORRECTABLE})
    found.declaration.corrected_by(obj=found.obj, actor=actor, changes=changes)
