"""Staff accesses to a member's private details, told in people's words: when, which staff
role, for what purpose, which fields by their labels (the password as "password (never
shown to staff)"), identical rows collapsed into one with a count. The privacy centre and
the export's index.html show this."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from privacy.audit.models import AuditEvent, MemberPseudonym
from privacy.audit.selectors import staff_views_of
from privacy.audit.services import SUPERUSER, roles_held
from privacy.registry import field_label_in
from privacy.roles import Role

PASSWORD_LABEL = "password (never shown to staff)"  # noqa: S105 (a label, not a secret)
ROLE_PURPOSE = {
    Role.SUPPORT_AGENT: "answering the member's support requests",
    Role.BILLING_AGENT: "billing and the member's orders",
    Role.PRIVACY_OFFICER: "the member's privacy requests and the protection of their data",
    Role.LEGAL_OFFICER: "a legal request",
    Role.LEGAL_APPROVER: "approving a legal request",
}
UNKNOWN_ROLE = "Staff"


@dataclass(frozen=True)
class StaffAccess:
    first_at: datetime
    last_at: datetime
    times: int
    what: str
    role: str
    purpose: str
    fields: tuple[str, ...]


def field_labels(object_type: str, names: list[str]) -> list[str]:
    """People's labels of field names recorded for a kind of record ("accounts.user")."""
    return [PASSWORD_LABEL if n == "password" else field_label_in(object_type, n) for n in names]


def roles_described(recorded: list[str]) -> tuple[str, str] | None:
    """(the roles, their purposes) in people's words, for role values as audit events
    record them (privacy.audit.services.roles_held); None when there are none."""
    if SUPERUSER in recorded:
        return ("Administrator", "running the service")
    roles = sorted((Role(r) for r in recorded if r in Role.values), key=list(Role).index)
    if not roles:
        return None
    return (", ".join(str(r.label) for r in roles), "; ".join(ROLE_PURPOSE[r] for r in roles))


def _role_then(event: AuditEvent, cache: dict) -> tuple[str, str]:
    """The role the staff member acted in, as recorded with the event; for rows recorded
    before roles were (no `actor_roles`), the roles they hold now."""
    described = roles_described(event.actor_roles or [])
    if described:
        return described
    pseudonym = event.actor_pseudonym
    if pseudonym not in cache:
        link = MemberPseudonym.objects.filter(pseudonym=pseudonym).select_related("member")
        staff = link.first().member if link.exists() else None
        cache[pseudonym] = roles_described(roles_held(staff)) or (UNKNOWN_ROLE, "")
    return cache[pseudonym]


def staff_accesses_of(member, *, limit: int = 200) -> list[StaffAccess]:
    """Newest first; consecutive identical accesses (same role, kind, fields) are one row."""
    roles: dict = {}
    accesses: list[StaffAccess] = []
    events: list[AuditEvent] = list(staff_views_of(member)[:limit])
    for event in events:
        role, purpose = _role_then(event, roles)
        what = event.get_event_type_display()
        fields = tuple(field_labels(event.object_type, list(event.fields or [])))
        last = accesses[-1] if accesses else None
        if last and (last.what, last.role, last.fields) == (what, role, fields):
            accesses[-1] = StaffAccess(
                event.occurred_at, last.last_at, last.times + 1, what, role, purpose, fields
            )
            continue
        accesses.append(
            StaffAccess(event.occurred_at, event.occurred_at, 1, what, role, purpose, fields)
        )
    return accesses
