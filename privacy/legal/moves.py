"""The moves every legal-workflow service makes: lock the request, check the transition
table, record the audit event (see privacy.legal.services)."""

from __future__ import annotations

from privacy.audit.services import Actor, audit_record
from privacy.legal import errors
from privacy.legal.errors import LegalRequestError
from privacy.legal.models import LegalRequest
from privacy.registry import Category

Status = LegalRequest.Status


def locked(request: LegalRequest) -> LegalRequest:
    return LegalRequest.objects.select_for_update().get(pk=request.pk)


def audit(request: LegalRequest, actor: Actor, event: str, fields=(), **kwargs) -> None:
    audit_record(
        actor=actor,
        event_type=event,
        category=kwargs.pop("category", Category.ACCOUNT),
        obj=request,
        fields=fields,
        **kwargs,
    )


def refuse(request: LegalRequest, action: str) -> LegalRequestError:
    return LegalRequestError(
        "invalid_transition",
        errors.NOT_OPEN_FOR.format(status=request.get_status_display().lower(), action=action),
    )


def move(
    request: LegalRequest, status: Status, action: str, *, source: Status | None = None, **values
) -> None:
    """Move along the table; `source` names the one status this step starts from where the
    table lets several reach `status` (legal review after verification or after more
    information; collecting after approval or after a send-back)."""
    if not request.can_become(status) or (source is not None and request.status != source):
        raise refuse(request, action)
    request.status = status
    for name, value in values.items():
        setattr(request, name, value)
    request.save()
