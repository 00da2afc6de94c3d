"""A service's refusal, shown where a person reads it: on a form, or as one message."""

from django import forms
from django.core.exceptions import ValidationError

from bestqm.workflow import WorkflowError


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: beside the field it names when the
    form has that field, at the top otherwise."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for name, errors in exc.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


def service_error_text(exc: WorkflowError | ValidationError) -> str:
    """A workflow's refusal or a service's ValidationError as one line (message_user)."""
    if isinstance(exc, WorkflowError):
        return exc.message
    return " ".join(exc.messages)
