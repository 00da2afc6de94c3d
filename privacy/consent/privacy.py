"""Declaration of cookie-consent records."""

from privacy.consent.models import ConsentRecord
from privacy.registry import (
    Category,
    Erasure,
    NonPersonal,
    PersonalField,
    registry,
)
from privacy.roles import Role, grant

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

grant(Role.PRIVACY_OFFICER, "privacy.view_consentrecord")
