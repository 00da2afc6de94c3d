"""Declarations of the privacy app's own tables: the audit log is personal data too."""

from privacy.models import (
    AuditEvent,
    ConsentRecord,
    CorrectionItem,
    DataRequest,
    LegalDisclosure,
    LegalDocument,
    LegalHold,
    LegalRequest,
    LegalTarget,
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
            # The legal roles work the case that named it.
            extra_staff_roles=frozenset({Role.LEGAL_OFFICER, Role.LEGAL_APPROVER}),
        ),
        "window_start": NonPersonal("start of the held time window"),
        "window_end": NonPersonal("end of the held time window"),
        "categories": NonPersonal("registry categories the hold covers"),
        "reason": NonPersonal("why the data is held (the legal process, by reference)"),
        "placed_at": NonPersonal("when the hold was placed"),
        "expires_at": NonPersonal("when the hold lapses unless extended; none: with its case"),
        "released_at": NonPersonal("when the hold was released early"),
        "legal_request": NonPersonal("the legal case that placed the hold"),
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
            # The service's own correspondence with the member, not subscriber data.
            disclosable_under=frozenset(),
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
            # The service's own correspondence with the member, not subscriber data.
            disclosable_under=frozenset(),
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
            # The service's own correspondence with the member, not subscriber data.
            disclosable_under=frozenset(),
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

# --- Law-enforcement requests ---------------------------------------------------------
LEGAL = frozenset({Role.LEGAL_OFFICER, Role.LEGAL_APPROVER})
LEGAL_RECORD = Retention(
    "Kept as the record of the legal process and what was disclosed under it.",
    days_setting="AUDIT_RETENTION_DAYS",
)


def _requester(purpose: str) -> PersonalField:
    """Contact details of the requesting officer: a third party's data, seen by legal roles
    only, never disclosed onward and never part of any member's record."""
    return PersonalField(
        Category.ACCOUNT,
        purpose=purpose,
        retention=LEGAL_RECORD,
        erasure=Erasure.KEEP,
        member_access=MemberAccess.NONE,
        extra_staff_roles=LEGAL,
        disclosable_under=frozenset(),
    )


registry.declare(
    LegalRequest,
    owner=None,
    fields={
        "id": NonPersonal("surrogate key"),
        "request_type": NonPersonal("which legal process was served"),
        "status": NonPersonal("workflow status"),
        "authority": NonPersonal("the issuing authority (an institution)"),
        "jurisdiction": NonPersonal("where the process was issued"),
        "officer_name": _requester("Verifying and answering the requesting officer."),
        "contact_email": _requester("Answering the requesting officer."),
        "callback_phone": _requester("Verifying the requester by calling the number back."),
        "reference_number": NonPersonal("the authority's reference for the process"),
        "received_at": NonPersonal("when the process arrived"),
        "due_at": NonPersonal("when the requester wants an answer"),
        "created_by": NonPersonal("the staff member who recorded it"),
        "verification_note": NonPersonal("how the requester was verified"),
        "verified_by": NonPersonal("who verified the requester"),
        "verified_at": NonPersonal("when the requester was verified"),
        "verified_by_callback": NonPersonal("whether the number was called back to verify"),
        "info_requested": NonPersonal("what more the requester was asked for"),
        "paused_at": NonPersonal("when the clock stopped for more information"),
        "scope_categories": NonPersonal("registry categories the approver allowed"),
        "scope_reason": NonPersonal("why the scope is necessary"),
        "reviewed_by": NonPersonal("the legal reviewer"),
        "approved_at": NonPersonal("when the scope was approved"),
        "rejected_at": NonPersonal("when the request was rejected"),
        "rejection_reason": NonPersonal("why it was rejected"),
        "collected_by": NonPersonal("who collected the package"),
        "collected_at": NonPersonal("when the package was collected"),
        "delivery_approved_by": NonPersonal("who approved the delivery (second pair of eyes)"),
        "delivered_at": NonPersonal("when the package was delivered"),
        "closed_at": NonPersonal("when the case was closed"),
        "withdrawn_at": NonPersonal("when the requester withdrew"),
        "package_file": NonPersonal("name of the private package file"),
        "package_sha256": NonPersonal("digest of the package"),
        "package_expires_at": NonPersonal("when the package's download link ends"),
        "follow_up_due_at": NonPersonal("when an emergency's follow-up process is due"),
        "follow_up_received_at": NonPersonal("when the follow-up process arrived"),
        "preservation_extended_at": NonPersonal("when the preservation was extended"),
        "nondisclosure_reason": NonPersonal("why members may not yet be told"),
        "nondisclosure_until": NonPersonal("when the non-disclosure order ends"),
        "notice": NonPersonal("whether affected members were told"),
        "notice_sent_at": NonPersonal("when they were told"),
    },
)

registry.declare(
    LegalTarget,
    owner=None,
    fields={
        "id": NonPersonal("surrogate key"),
        "request": NonPersonal("the legal request"),
        "kind": NonPersonal("username, e-mail or IP address"),
        "value": PersonalField(
            Category.ACCOUNT,
            purpose="Whose data the legal process names.",
            retention=LEGAL_RECORD,
            erasure=Erasure.KEEP,
            member_access=MemberAccess.NONE,
            extra_staff_roles=LEGAL,
            disclosable_under=frozenset(),
        ),
        "window_start": NonPersonal("start of the time window named"),
        "window_end": NonPersonal("end of the time window named"),
        "member": NonPersonal("the account the target resolved to"),
    },
)

registry.declare(
    LegalDocument,
    owner=None,
    fields={
        "id": NonPersonal("surrogate key"),
        "request": NonPersonal("the legal request"),
        "file": NonPersonal("the served process, in private storage for legal roles"),
        "title": NonPersonal("what the document is"),
        "uploaded_at": NonPersonal("when it was added"),
        "uploaded_by": NonPersonal("who added it"),
    },
)

registry.declare(
    LegalDisclosure,
    owner=None,
    fields={
        "id": NonPersonal("surrogate key"),
        "request": NonPersonal("the legal request"),
        "member": NonPersonal("the member whose data was disclosed; unlinked on erasure"),
        "subject_pseudonym": PersonalField(
            Category.ACCOUNT,
            purpose="Which member a disclosure concerned, after the account is erased.",
            retention=LEGAL_RECORD,
            erasure=Erasure.KEEP,
            member_access=MemberAccess.NONE,
            extra_staff_roles=LEGAL,
            disclosable_under=frozenset(),
        ),
        "category": NonPersonal("registry category disclosed"),
        "model_label": NonPersonal("which kind of record"),
        "fields": NonPersonal("names of the fields disclosed, never their values"),
        "records": NonPersonal("how many records"),
    },
)

_LEGAL_MODELS = ("legalrequest", "legaltarget", "legaldocument", "legaldisclosure", "legalhold")
for _role in (Role.LEGAL_OFFICER, Role.LEGAL_APPROVER):
    grant(_role, "privacy.view_auditevent", *(f"privacy.view_{m}" for m in _LEGAL_MODELS))
grant(
    Role.LEGAL_OFFICER,
    "privacy.add_legalrequest",
    "privacy.change_legalrequest",
    "privacy.add_legaltarget",
    "privacy.change_legaltarget",
    "privacy.delete_legaltarget",
    "privacy.add_legaldocument",
)
grant(Role.LEGAL_APPROVER, "privacy.change_legalrequest")
