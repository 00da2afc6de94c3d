"""Declarations of the privacy app's own tables: the audit log is personal data too."""

from privacy.models import (
    AuditEvent,
    ConsentRecord,
    CorrectionItem,
    DataRequest,
    LegalHold,
    MemberPseudonym,
)
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

AUDIT_RETENTION = Retention(
    "Kept for the accountability period, unlinked from the member on erasure.",
    days_setting="AUDIT_RETENTION_DAYS",
)

registry.declare(
    MemberPseudonym,
    owner="member",
    fields={
        "id": NonPersonal("surrogate key"),
        "pseudonym": PersonalField(
            Category.ACCOUNT,
            purpose="Links the member to their audit history without naming them.",
            erasure=Erasure.DELETE,
            member_access=MemberAccess.NONE,
        ),
        "member": NonPersonal("the link to the member; the row is deleted on erasure"),
        "created_at": NonPersonal("when the pseudonym was issued; tells nothing of the member"),
    },
)

registry.declare(
    AuditEvent,
    # Audit rows name members only by pseudonym; they belong to no one member's record.
    owner=None,
    fields={
        "id": NonPersonal("surrogate key"),
        "occurred_at": NonPersonal("time of the event"),
        "event_type": NonPersonal("kind of event"),
        "category": NonPersonal("category of the data touched"),
        "actor_kind": NonPersonal("member, staff, system or anonymous"),
        "actor_pseudonym": PersonalField(
            Category.ACCOUNT,
            purpose="Accountability: who acted.",
            retention=AUDIT_RETENTION,
            erasure=Erasure.KEEP,
            member_access=MemberAccess.VIEW,
        ),
        "subject_pseudonym": PersonalField(
            Category.ACCOUNT,
            purpose="Accountability: whose data was touched.",
            retention=AUDIT_RETENTION,
            erasure=Erasure.KEEP,
            member_access=MemberAccess.VIEW,
        ),
        "object_type": NonPersonal("kind of record touched"),
        "object_id": NonPersonal("key of a record touched; never the key of a member"),
        "ip_address": PersonalField(
            Category.AGGREGATE,
            purpose="Accountability: where the action came from.",
            retention=AUDIT_RETENTION,
            erasure=Erasure.KEEP,
            member_access=MemberAccess.VIEW,
        ),
        "fields": NonPersonal("names of the fields touched, never their values"),
    },
)

registry.declare(
    LegalHold,
    # A hold belongs to a legal case, not to the member's record: erasing the member
    # must not lift it, and the member is not told of it through an export.
    owner=None,
    fields={
        "id": NonPersonal("surrogate key"),
        "member": NonPersonal("the member whose data is held"),
        "ip_network": PersonalField(
            Category.AGGREGATE,
            purpose="The address or network named by a legal process.",
            erasure=Erasure.KEEP,
            member_access=MemberAccess.NONE,
        ),
        "window_start": NonPersonal("start of the held time window"),
        "window_end": NonPersonal("end of the held time window"),
        "categories": NonPersonal("registry categories the hold covers"),
        "reason": NonPersonal("why the data is held (the legal process, by reference)"),
        "placed_at": NonPersonal("when the hold was placed"),
        "expires_at": NonPersonal("when the hold lapses unless extended"),
        "released_at": NonPersonal("when the hold was released early"),
    },
)

REQUEST_RECORD = Retention(
    "Kept as the record that the request was handled; unlinked on erasure.",
    days_setting="AUDIT_RETENTION_DAYS",
)

registry.declare(
    DataRequest,
    owner="member",
    fields={
        "id": NonPersonal("surrogate key"),
        "member": NonPersonal("the member who asked"),
        "kind": NonPersonal("export, correction or deletion"),
        "status": NonPersonal("workflow status"),
        "received_at": NonPersonal("when the request arrived"),
        "due_at": NonPersonal("when the answer is due"),
        "extension_reason": PersonalField(
            Category.ACCOUNT,
            purpose="Tells the member why their request takes longer.",
            retention=REQUEST_RECORD,
            erasure=Erasure.KEEP,
        ),
        "started_at": NonPersonal("when work started"),
        "completed_at": NonPersonal("when it was completed"),
        "cancelled_at": NonPersonal("when the member cancelled"),
        "denied_at": NonPersonal("when it was denied"),
        "outcome": PersonalField(
            Category.ACCOUNT,
            purpose="Tells the member what was done, and what was kept and why.",
            retention=REQUEST_RECORD,
            erasure=Erasure.KEEP,
        ),
        "erase_after": NonPersonal("end of the grace period of a deletion request"),
        "profile_was_listed": NonPersonal("whether to list the profile again on cancel"),
        "progress": NonPersonal("percent of an export built"),
        "export_file": NonPersonal("name of the private export file; deleted with it"),
        "export_expires_at": NonPersonal("when the export's download link ends"),
    },
)

registry.declare(
    CorrectionItem,
    owner="request__member",
    fields={
        "id": NonPersonal("surrogate key"),
        "request": NonPersonal("the correction request"),
        "model_label": NonPersonal("which kind of record"),
        "object_id": NonPersonal("which record"),
        "field_name": NonPersonal("which field"),
        "proposed_value": PersonalField(
            Category.ACCOUNT,
            purpose="The value the member asked for, until staff decide.",
            erasure=Erasure.DELETE,
        ),
        "decision": NonPersonal("pending, approved or denied"),
        "reason": NonPersonal("why a correction was denied, shown to the member"),
        "decided_at": NonPersonal("when staff decided"),
    },
)

registry.declare(
    ConsentRecord,
    owner="member",
    fields={
        "id": NonPersonal("surrogate key"),
        "member": NonPersonal("the member who chose, when signed in"),
        "visitor_id": PersonalField(
            Category.AGGREGATE,
            purpose="Links a visitor's consent choices together; random, kept in a cookie.",
            erasure=Erasure.DELETE,
        ),
        "choice": PersonalField(
            Category.ACCOUNT,
            purpose="Proves which cookies the member allowed.",
            erasure=Erasure.DELETE,
        ),
        "text_version": NonPersonal("version of the consent text shown"),
        "recorded_at": NonPersonal("when the choice was made"),
    },
)

grant(
    Role.PRIVACY_OFFICER,
    "privacy.view_auditevent",
    "privacy.view_datarequest",
    "privacy.change_datarequest",
    "privacy.add_datarequest",
    "privacy.view_correctionitem",
    "privacy.view_consentrecord",
)
grant(Role.LEGAL_OFFICER, "privacy.view_auditevent")
grant(Role.LEGAL_APPROVER, "privacy.view_auditevent")
