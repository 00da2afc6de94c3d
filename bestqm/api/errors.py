"""One error shape for the whole API, with stable codes.

Every error answers `{"error": {"code": ..., "message": ..., "fields": {...}}}`: `code` is
stable and meant for programs, `message` for people, `fields` (validation only) maps each
offending input field to its messages. A step a workflow refuses (bestqm.workflow's
WorkflowError, whichever app raised it) is a 409 with that error's code and message.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.views import exception_handler

from bestqm.workflow import WorkflowError

UNKNOWN_FIELD = "Unknown field."
READ_ONLY_FIELD = "This field cannot be changed here."
VALIDATION_FAILED = "The request has invalid fields."

_CODES = {
    exceptions.ValidationError: "validation_error",
    exceptions.ParseError: "malformed_request",
    exceptions.NotAuthenticated: "not_authenticated",
    exceptions.AuthenticationFailed: "authentication_failed",
    exceptions.PermissionDenied: "permission_denied",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.NotAcceptable: "not_acceptable",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.Throttled: "throttled",
}


class ConflictError(exceptions.APIException):
    """A state change the workflow does not allow. Views do not raise it: every
    WorkflowError a service raises is answered as one, with the error's own code."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"
    default_detail = "The request conflicts with the current state."


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    body = {"code": code, "message": message}
    if fields:
        body["fields"] = fields
    return {"error": body}


def api_exception_handler(exc, context):
    workflow_code = None
    if isinstance(exc, WorkflowError):
        workflow_code = exc.code
        exc = ConflictError(exc.message)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None  # unexpected: Django's generic 500 page, with no detail, answers
    code = workflow_code or next((c for cls, c in _CODES.items() if isinstance(exc, cls)), None)
    code = code or getattr(exc, "default_code", "error")
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        response.data = error_body(code, VALIDATION_FAILED, _flatten(detail))
    else:
        response.data = error_body(code, str(exc.detail))
    return response


def _flatten(detail, prefix: str = "") -> dict:
    """Each offending field's messages under its dotted path: a nested item's field is
    `corrections.0.object_id`, never a repr of the nested errors."""
    if isinstance(detail, dict):
        flat: dict = {}
        for key, value in detail.items():
            key = str(key)
            path = prefix if key == "non_field_errors" and prefix else _join(prefix, key)
            for name, messages in _flatten(value, path).items():
                flat.setdefault(name, []).extend(messages)
        return flat
    if isinstance(detail, list) and any(isinstance(item, dict | list) for item in detail):
        flat = {}
        for index, item in enumerate(detail):
            if item:
                for name, messages in _flatten(item, _join(prefix, str(index))).items():
                    flat.setdefault(name, []).extend(messages)
        return flat
    messages = detail if isinstance(detail, list) else [detail]
    return {prefix or "non_field_errors": [str(m) for m in messages]}


def _join(prefix: str, key: str) -> str:
    return f"{prefix}.{key}" if prefix else key
