"""Typed errors of the data-request workflow, with stable codes and messages as constants.
The admin shows them with `message_user`; the API answers 409 with the same code."""

from bestqm.workflow import WorkflowError

REQUEST_NOT_OPEN = "This request is already {status}; it can no longer be changed."
EXTENSION_TOO_LONG = "A request may be extended by at most two months in all."
EXTENSION_NEEDS_REASON = "Give the member a reason for the extension."
WRONG_KIND = "This action applies to {kind} requests only."
WRONG_PASSWORD = "That is not your current password; nothing was changed."  # noqa: S105
NOTHING_TO_CORRECT = "Propose a new value for at least one field."
NOT_CORRECTABLE = "This field cannot be corrected through a request."
UNCHANGED_VALUE = "That is already the current value."
DENIAL_NEEDS_REASON = "Say why the correction is denied; the member is shown the reason."
NOT_PRIVACY_OFFICER = "Only a privacy officer may do this."
EXPORT_NOT_READY = "The export is not ready yet."
EXPORT_EXPIRED = "This download link has expired. Ask for a new export."


class DataRequestError(WorkflowError):
    """An invalid move in the data-request workflow."""
