"""Typed errors of the support workflows, each with a stable code. The API answers them
as 409 in the one error shape; the pages and the admin show their message."""

from bestqm.workflow import WorkflowError

SERVICE_ANNOUNCEMENTS_MANDATORY = (
    "Service announcements cannot be unsubscribed. As our privacy statement says under "
    "'Site and Service Updates', members are not able to un-subscribe from service "
    "announcements, which contain important information about the service. You can "
    "unsubscribe from newsletters at any time."
)
TICKET_CLOSED = "This ticket is closed. Reopen it to write on it again."
TICKET_ALREADY_CLOSED = "This ticket is already closed."
TICKET_NOT_CLOSED = "Only a closed ticket can be reopened."
TICKET_NOT_OPEN = "Only an open ticket can be marked as answered."
ANNOUNCEMENT_NOT_DRAFT = (
    "This announcement has already been sent: it can no longer be changed or sent again."
)
MAIL_SERVER_UNAVAILABLE = "The mail server could not be reached; the batch is sent again later."
PARTNER_CHANGED = (
    "What this partner receives changed while you were looking. Nothing was shared; "
    "review the list again."
)


class SupportError(WorkflowError):
    """An action the current state does not allow. Nothing was changed."""

    code = "support_error"


class InvalidTicketMove(SupportError):
    code = "invalid_transition"


class TicketClosed(SupportError):
    code = "ticket_closed"


class InvalidAnnouncementMove(SupportError):
    code = "invalid_transition"


class UnsubscribeRefused(SupportError):
    code = "service_announcements_mandatory"


class PartnerChanged(SupportError):
    code = "partner_changed"


class MailServerUnavailable(Exception):
    """The mail server cannot be reached: the batch is retried later (support.tasks)."""
