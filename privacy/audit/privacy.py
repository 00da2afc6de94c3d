"""Declarations of the audit log's tables: the audit log is personal data too."""

from privacy.audit.models import AuditEvent, MemberPseudonym
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
            disclosable_under=frozenset(),
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
        "actor_roles": NonPersonal("the staff roles the actor acted in; names no one"),
    },
)

grant(Role.PRIVACY_OFFICER, "privacy.view_auditevent")
for _role in (Role.LEGAL_OFFICER, Role.LEGAL_APPROVER):
    grant(_role, "privacy.view_auditevent")
