"""Typed errors of the law-enforcement workflow, with stable codes and messages as
constants. The admin shows them with `message_user`."""

from bestqm.workflow import WorkflowError

NOT_OPEN_FOR = "This request is {status}; it cannot be {action} now."
NOT_LEGAL_STAFF = "Only the legal officer or the legal approver may do this."
NOT_LEGAL_OFFICER = "Only a legal officer may do this."
NOT_LEGAL_APPROVER = "Only a legal approver may do this."
OWN_COLLECTION = (
    "You collected this package; a second legal approver must approve its delivery (four eyes)."
)
CALLBACK_REQUIRED = (
    "An emergency request is verified only by calling the authority's number back; "
    "confirm that you called it back."
)
NOTE_REQUIRED = "Say how the requester was verified."
INFO_REQUEST_EMPTY = "Say what more information the requester must send."
REJECTION_NEEDS_REASON = "Say why the request is rejected."
SCOPE_REFUSED = "The scope was refused: {reasons}"
PRESERVATION_NOT_COLLECTED = "A preservation request only holds data; nothing is collected."
ALREADY_EXTENDED = "This preservation was extended once already; it cannot be extended again."
NOT_PRESERVATION = "Only a preservation request can be extended."
NOT_EMERGENCY = "Only an emergency disclosure has a follow-up legal process."
FOLLOW_UP_ALREADY = "The follow-up legal process was already recorded."
NONDISCLOSURE_NEEDS_REASON = "Give the reason for the non-disclosure order."
NONDISCLOSURE_NEEDS_EXPIRY = "Give the date the non-disclosure order ends, in the future."
NONDISCLOSURE_TOO_LATE = "The members were already told; a non-disclosure order is too late."
PACKAGE_BEING_BUILT = "The package is already being collected; wait for it to finish."
PACKAGE_MISSING = "There is no disclosure package to download."
PACKAGE_EXPIRED = "This download link has expired."
NO_TARGET = "Name at least one target: a username, an e-mail address or an IP address."
TARGET_VALUE_EMPTY = "Give the username, e-mail address or IP address."
TARGET_BAD_EMAIL = "Enter a valid e-mail address."
TARGET_AMBIGUOUS = (
    "This name is the login name of one account and the public username of another; ask "
    "the requester which account they mean, or name it by its e-mail address."
)
TARGET_BAD_IP = "Enter an IP address or a network in CIDR notation (198.51.100.0/24)."
WINDOW_REQUIRED = "An IP address needs the start and the end of its time window."
WINDOW_INVERTED = "The window must end after it starts."
TARGETS_CLOSED = "Targets can only be added until the data is collected."
DUE_BEFORE_RECEIVED = "The due date cannot be before the date the request was received."
RECEIVED_IN_FUTURE = "The request cannot have been received in the future."
BAD_PHONE = "Enter a phone number that can be called back, with its country code."
TRACE_NOT_OPEN = (
    "IP tracing is available only inside an approved case, while its data is collected or reviewed."
)
TRACE_PRESERVATION = "A preservation request only holds data; nothing is traced for it."
TRACE_MEMBER_NOT_TARGET = "Choose an account this case names."
DOCUMENT_EMPTY = "Choose the document's file and give it a title."


class LegalRequestError(WorkflowError):
    """An invalid move in the law-enforcement workflow."""
