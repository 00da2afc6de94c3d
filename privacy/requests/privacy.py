"""Declarations of data-subject requests."""

from privacy.registry import (
    Category,
    Erasure,
    NonPersonal,
    PersonalField,
    Retention,
    registry,
)
from privacy.requests.models import CorrectionItem, DataRequest
from privacy.roles import Role, grant

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

grant(
    Role.PRIVACY_OFFICER,
    "privacy.view_datarequest",
    "privacy.change_datarequest",
    "privacy.add_datarequest",
    "privacy.view_correctionitem",
)
