"""Who may work law-enforcement requests: the legal officer and the legal approver, by
role, whatever model permissions a group may have been given by mistake."""

from privacy.legal import errors
from privacy.legal.errors import LegalRequestError
from privacy.roles import Role, roles_of

LEGAL_ROLES = frozenset({Role.LEGAL_OFFICER, Role.LEGAL_APPROVER})


def is_legal_staff(user) -> bool:
    return not LEGAL_ROLES.isdisjoint(roles_of(user))


def require_legal_staff(user) -> None:
    if not is_legal_staff(user):
        raise LegalRequestError(errors.NOT_LEGAL_STAFF, code="not_legal_staff")


def require_officer(user) -> None:
    if Role.LEGAL_OFFICER not in roles_of(user):
        raise LegalRequestError(errors.NOT_LEGAL_OFFICER, code="not_legal_officer")


def require_approver(user) -> None:
    if Role.LEGAL_APPROVER not in roles_of(user):
        raise LegalRequestError(errors.NOT_LEGAL_APPROVER, code="not_legal_approver")
