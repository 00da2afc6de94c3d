"""What each kind of legal process may unlock, derived from the privacy registry.

A field may be disclosed under a process when the process is among the field's
`legal_processes` (its category's default, or the field's own `disclosable_under`). So:

- a subpoena reaches account subscriber data and session/IP logs (the client-session
  times and address are declared disclosable under it);
- a court order also reaches aggregate data and the rest of system information (and
  billing records);
- a search warrant also reaches support message content;
- an emergency reaches only the categories the approver names as necessary, and
  protection of the service's rights only what the approver records, with the reason;
- a preservation request never discloses anything: it only holds data.

The package builder asks `disclosable_fields` and nothing else, so what leaves the service
can never be wider than the approved scope.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from privacy.legal.models import LegalRequestType
from privacy.member_records import owned_declarations
from privacy.registry import Category, LegalProcess, ModelDeclaration, PersonalField

SCOPE_NEEDS_REASON = (
    "Say why each category is necessary: an emergency or a protection of rights discloses "
    "only what the approver records, with the reason."
)
SCOPE_EMPTY = "Name at least one category of data to disclose."
PRESERVATION_DISCLOSES_NOTHING = (
    "A preservation request only holds data; it never discloses any. Ask for legal process."
)
CATEGORY_NOT_UNLOCKED = "A {process} does not unlock {category}; that needs {needed}."
NOTHING_UNLOCKS = "No legal process unlocks {category}."

# Types whose scope is whatever the approver names (and justifies).
APPROVER_NAMED = frozenset({LegalRequestType.EMERGENCY, LegalRequestType.RIGHTS_PROTECTION})
APPROVER_NAMED_PROCESSES = frozenset(LegalProcess(t.value) for t in APPROVER_NAMED)


@dataclass(frozen=True)
class ScopeRefusal:
    category: Category
    reason: str


def _process(request_type: str) -> LegalProcess | None:
    if request_type == LegalRequestType.PRESERVATION:
        return None
    return LegalProcess(request_type)


def _member_fields() -> Iterable[tuple[ModelDeclaration, PersonalField]]:
    for declaration in owned_declarations():
        for personal in declaration.personal.values():
            yield declaration, personal


def processes_unlocking(category: Category) -> list[LegalProcess]:
    """The processes under which at least one field of the category may be disclosed,
    narrowest first (in the order LegalProcess lists them)."""
    found = set()
    for _, personal in _member_fields():
        if personal.category == category:
            found |= personal.legal_processes
    return [p for p in LegalProcess if p in found]


def unlockable_categories(request_type: str) -> frozenset[Category]:
    """Every category the type could ever reach (before the approver narrows it)."""
    process = _process(request_type)
    if process is None:
        return frozenset()
    return frozenset(
        personal.category for _, personal in _member_fields() if process in personal.legal_processes
    )


def scope_refusals(request_type: str, categories: Iterable[str]) -> list[ScopeRefusal]:
    """Why each asked-for category falls outside what the type unlocks (empty: all fine)."""
    process = _process(request_type)
    refusals = []
    unlockable = unlockable_categories(request_type)
    for value in categories:
        category = Category(value)
        if process is None:
            refusals.append(ScopeRefusal(category, PRESERVATION_DISCLOSES_NOTHING))
        elif category not in unlockable:
            needed = [p for p in processes_unlocking(category) if p not in APPROVER_NAMED_PROCESSES]
            reason = (
                CATEGORY_NOT_UNLOCKED.format(
                    process=LegalRequestType(request_type).label.lower(),
                    category=category.label.lower(),
                    needed=" or ".join(f"a {p.label.lower()}" for p in needed),
                )
                if needed
                else NOTHING_UNLOCKS.format(category=category.label.lower())
            )
            refusals.append(ScopeRefusal(category, reason))
    return refusals


def disclosable_fields(
    request_type: str, scope: Iterable[str]
) -> list[tuple[ModelDeclaration, list[PersonalField]]]:
    """Per member-owned table, the personal fields a package under this type and approved
    scope may hold: inside the scope AND unlocked by the process. Never wider."""
    process = _process(request_type)
    if process is None:
        return []
    allowed = frozenset(Category(c) for c in scope)
    result = []
    for declaration in owned_declarations():
        fields = [
            personal
            for personal in declaration.personal.values()
            if personal.category in allowed and process in personal.legal_processes
        ]
        if fields:
            result.append((declaration, fields))
    return result
