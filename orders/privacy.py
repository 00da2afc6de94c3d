"""Declarations of the orders app ('Order Processing')."""

from orders.models import Licence
from privacy.registry import Category, Erasure, MemberAccess, NonPersonal, PersonalField, registry

registry.declare(
    Licence,
    owner="member",
    fields={
        "id": NonPersonal("surrogate key"),
        "serial": PersonalField(
            Category.FINANCIAL,
            purpose="Proves the member's licence to the BestQM client software.",
            erasure=Erasure.DELETE,
            member_access=MemberAccess.VIEW,
            extra_staff_roles=frozenset(),
        ),
        "member": NonPersonal("link to the member who holds the licence"),
        "issued_at": NonPersonal("when the licence was issued"),
        "revoked_at": NonPersonal("when the licence was revoked"),
    },
)
