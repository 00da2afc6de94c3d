"""Declaration of legal holds."""

from privacy.holds.models import LegalHold
from privacy.registry import (
    Category,
    Erasure,
    MemberAccess,
    NonPersonal,
    PersonalField,
    registry,
)
from privacy.roles import Role, grant

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

for _role in (Role.LEGAL_OFFICER, Role.LEGAL_APPROVER):
    grant(_role, "privacy.view_legalhold")
