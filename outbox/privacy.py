"""Declarations of the outbox. A row holds a job's keys, and for the last notice of a
deletion the address it goes to (the account's own is erased by then): that address is
account data, kept only until the row is finished and OUTBOX_KEEP_DAYS after."""

from outbox.models import OutboxMessage, OutboxRefusal
from privacy.registry import (
    Category,
    Erasure,
    MemberAccess,
    NonPersonal,
    PersonalField,
    Retention,
    registry,
)
from privacy.roles import Role, grant

registry.declare(
    OutboxMessage,
    owner=None,
    fields={
        "id": NonPersonal("surrogate key"),
        "key": NonPersonal("the key a worker claims the row by"),
        "task": NonPersonal("which job or e-mail"),
        "args": PersonalField(
            Category.ACCOUNT,
            purpose="The keys a job needs, and the address a deletion's last notice goes to.",
            retention=Retention(
                "Kept until the job or e-mail is done, then cleared; a row that failed for "
                "good keeps them OUTBOX_KEEP_DAYS days, for staff to see what did not go.",
                days_setting="OUTBOX_KEEP_DAYS",
            ),
            erasure=Erasure.DELETE,
            member_access=MemberAccess.NONE,
        ),
        "kind": NonPersonal("job or e-mail"),
        "status": NonPersonal("delivery state"),
        "attempts": NonPersonal("how many times a worker started it"),
        "handovers": NonPersonal("how many times it was given to the broker"),
        "replays": NonPersonal("deliveries refused because it had already run"),
        "last_error": NonPersonal("the class of the last failure, never its text"),
        "delivery_id": NonPersonal("the broker message of the last handover"),
        "created_at": NonPersonal("when it was written"),
        "available_at": NonPersonal("when the relay may hand it over next"),
        "sent_at": NonPersonal("when it was last handed over"),
        "started_at": NonPersonal("when a worker last started it"),
        "lease_until": NonPersonal("until when the running worker holds it"),
        "finished_at": NonPersonal("when it finished"),
    },
)

registry.declare(
    OutboxRefusal,
    owner=None,
    fields={
        "id": NonPersonal("surrogate key"),
        "received_at": NonPersonal("when the message arrived"),
        "key": NonPersonal("the key the message named, cut to 64 characters"),
        "reason": NonPersonal("why it was refused"),
    },
)

# Staff who answer for a kind of mail see whether it went out.
for role in (Role.PRIVACY_OFFICER, Role.SUPPORT_AGENT, Role.BILLING_AGENT, Role.LEGAL_OFFICER):
    grant(role, "outbox.view_outboxmessage")
grant(Role.PRIVACY_OFFICER, "outbox.view_outboxrefusal")
