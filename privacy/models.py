"""The privacy app's models, each defined in the package of its subdomain and gathered here,
where Django and the migrations look for them (the app label stays `privacy`)."""

from privacy.audit.models import AuditEvent, MemberPseudonym
from privacy.consent.models import ConsentEvent, ConsentRecord
from privacy.holds.models import LegalHold
from privacy.legal.models import (
    LegalDisclosure,
    LegalDocument,
    LegalEvent,
    LegalRequest,
    LegalRequestType,
    LegalTarget,
)
from privacy.requests.models import CorrectionItem, DataRequest, DataRequestEvent

__all__ = [
    "AuditEvent",
    "ConsentEvent",
    "ConsentRecord",
    "CorrectionItem",
    "DataRequest",
    "DataRequestEvent",
    "LegalDisclosure",
    "LegalDocument",
    "LegalEvent",
    "LegalHold",
    "LegalRequest",
    "LegalRequestType",
    "LegalTarget",
    "MemberPseudonym",
]
