"""Declarations of the support app ('Support Information', 'Site and Service Updates',
'Partner Use'). Every record a member's data lives in names its owner path, so export,
erasure and legal holds reach it."""

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
from support.models import (
    Announcement,
    AnnouncementDelivery,
    Partner,
    PartnerShare,
    PhoneContact,
    Ticket,
    TicketMessage,
    TicketNote,
)

SUPPORT_RETENTION = Retention(
    "Stored to offer ongoing help while the account exists ('Support Information'); erased with it."
)
STAFF_LINK = "link to the staff account that acted; names no member"


def _support(purpose: str, *, member_access: MemberAccess = MemberAccess.VIEW) -> PersonalField:
    return PersonalField(
        Category.SUPPORT,
        purpose=purpose,
        retention=SUPPORT_RETENTION,
        erasure=Erasure.DELETE,
        member_access=member_access,
    )


registry.declare(
    Ticket,
    owner="member",
    fields={
        "id": NonPersonal("surrogate key"),
        "member": NonPersonal("link to the member who asked for help"),
        "subject": _support("What the member asked for help with."),
        "status": NonPersonal("workflow state of the ticket"),
        "priority": NonPersonal("support's triage of the ticket"),
        "assignee": NonPersonal(STAFF_LINK),
        "created_at": NonPersonal("when the ticket was opened"),
        "last_message_at": NonPersonal("when the conversation last moved"),
        "answered_at": NonPersonal("when support last answered"),
        "closed_at": NonPersonal("when the ticket was closed"),
    },
)

registry.declare(
    TicketMessage,
    owner="ticket__member",
    fields={
        "id": NonPersonal("surrogate key"),
        "ticket": NonPersonal("the ticket the message belongs to"),
        "sender": NonPersonal("whether the member or support wrote it"),
        "author": NonPersonal("the account that wrote it: the member, or a support agent"),
        "body": _support("The conversation between the member and support."),
        "created_at": NonPersonal("when the message was written"),
    },
)

registry.declare(
    TicketNote,
    owner="ticket__member",
    fields={
        "id": NonPersonal("surrogate key"),
        "ticket": NonPersonal("the ticket the note is about"),
        "author": NonPersonal(STAFF_LINK),
        # Support's working notes: never shown to the member, so left out of the export.
        "body": _support(
            "Support's internal notes while helping the member.",
            member_access=MemberAccess.NONE,
        ),
        "created_at": NonPersonal("when the note was written"),
    },
)

registry.declare(
    PhoneContact,
    owner="ticket__member",
    fields={
        "id": NonPersonal("surrogate key"),
        "ticket": NonPersonal("the ticket the call was about"),
        "staff": NonPersonal(STAFF_LINK),
        "direction": _support("Who called whom about the member's request."),
        "outcome": _support("Whether the member was reached by phone."),
        "summary": _support("What was said on the phone about the member's request."),
        "contacted_at": NonPersonal("when the call took place"),
    },
)

registry.declare(
    Announcement,
    # Written by staff for every member: it is about the service, not about anyone.
    owner=None,
    fields={
        "id": NonPersonal("surrogate key"),
        "kind": NonPersonal("service announcement or newsletter"),
        "subject": NonPersonal("staff-written text addressed to all members"),
        "body": NonPersonal("staff-written text addressed to all members"),
        "status": NonPersonal("workflow state of the announcement"),
        "created_by": NonPersonal(STAFF_LINK),
        "created_at": NonPersonal("when the draft was made"),
        "sent_by": NonPersonal(STAFF_LINK),
        "sending_at": NonPersonal("when sending started"),
        "sent_at": NonPersonal("when the last e-mail was handed over"),
    },
)

registry.declare(
    AnnouncementDelivery,
    owner="member",
    fields={
        "id": NonPersonal("surrogate key"),
        "announcement": NonPersonal("the announcement delivered"),
        "member": NonPersonal("link to the recipient"),
        "status": _support("Whether an announcement reached the member's e-mail address."),
        "detail": _support("Why an announcement was not sent to the member, if it was not."),
        "created_at": NonPersonal("when the member was added to the recipients"),
        "sent_at": NonPersonal("when the e-mail was handed to the mail server"),
    },
)

registry.declare(
    Partner,
    owner=None,
    fields={
        "id": NonPersonal("surrogate key"),
        "name": NonPersonal("a company, not a person"),
        "slug": NonPersonal("the partner's address on this site"),
        "description": NonPersonal("what the partner offers"),
        "website": NonPersonal("the partner's site"),
        "privacy_policy_url": NonPersonal("the partner's own privacy policy"),
        "shared_fields": NonPersonal("names of the details a share sends, never values"),
        "is_active": NonPersonal("whether the partner is offered"),
        "created_at": NonPersonal("when the partner was added"),
    },
)

registry.declare(
    PartnerShare,
    owner="member",
    fields={
        "id": NonPersonal("surrogate key"),
        "member": NonPersonal("link to the member who shared"),
        "partner": NonPersonal("the partner the member shared with"),
        "fields": PersonalField(
            Category.ACCOUNT,
            purpose="The record of which details the member chose to send to a partner "
            "('Partner Use'): names only, never the values.",
            erasure=Erasure.DELETE,
            member_access=MemberAccess.VIEW,
        ),
        "shared_at": NonPersonal("when the member shared"),
    },
)

# Admin permissions of each staff role (applied after every migrate; see privacy.roles).
# Support agents work tickets, log phone contacts and send announcements; the privacy
# officer reads tickets and deliveries (export, legal scope), keeps the list of partners and
# reads members' shares with them. Which fields each role sees is the privacy registry's
# business; the admin also checks the role itself (support.tickets.access).
grant(
    Role.SUPPORT_AGENT,
    "support.view_ticket",
    "support.change_ticket",
    "support.view_phonecontact",
    "support.add_phonecontact",
    "support.view_announcement",
    "support.add_announcement",
    "support.change_announcement",
    "support.delete_announcement",
    "support.view_announcementdelivery",
)
grant(
    Role.PRIVACY_OFFICER,
    "support.view_ticket",
    "support.view_phonecontact",
    "support.view_announcement",
    "support.view_announcementdelivery",
    "support.view_partner",
    "support.add_partner",
    "support.change_partner",
    "support.view_partnershare",
)
