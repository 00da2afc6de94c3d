"""How a legal request moves (bestqm.workflow): its row alone is locked, its events are
account events that name the member only where a disclosure concerned one, and a refused
step says what the request is and what could not be done."""

from __future__ import annotations

from bestqm.workflow import Workflow
from privacy.legal import errors
from privacy.legal.errors import LegalRequestError
from privacy.legal.models import LegalRequest
from privacy.registry import Category


def _refusal(request: LegalRequest, status: str, action: str) -> LegalRequestError:
    return LegalRequestError(
        errors.NOT_OPEN_FOR.format(status=request.get_status_display().lower(), action=action),
        code="invalid_transition",
    )


LEGAL = Workflow(LegalRequest, category=Category.ACCOUNT, subject=None, refusal=_refusal)
