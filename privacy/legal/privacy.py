"""Declarations of law-enforcement requests: the requesting officer's details, the targets,
the documents and the disclosures."""

from privacy.legal.models import LegalDisclosure, LegalDocument, LegalRequest, LegalTarget
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

_LEGAL_MODELS = ("legalrequest", "legaltarget", "legaldocument", "legaldisclosure")
for _role in (Role.LEGAL_OFFICER, Role.LEGAL_APPROVER):
    grant(_role, *(f"privacy.view_{m}" for m in _LEGAL_MODELS))
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
