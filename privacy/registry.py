"""The privacy registry: one declaration per personal-data field.

Each app declares its models' fields in its own `privacy.py`. Everything that shows,
masks, exports, erases, discloses or purges personal data reads these declarations, and a
system check (privacy.checks) refuses to start when a concrete field of a project model is
neither declared personal nor marked non-personal.

    registry.declare(
        Order,
        owner="member",
        fields={
            "billing_zip": PersonalField(Category.FINANCIAL, purpose="Billing", ...),
            "id": NonPersonal("surrogate key"),
        },
    )
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

from privacy.roles import Role


class Category(models.TextChoices):
    """The kinds of information the privacy statement names."""

    PUBLIC = "public", "Public information"
    ACCOUNT = "account", "Account information"
    FINANCIAL = "financial", "Order processing (financial)"
    SUPPORT = "support", "Support information"
    AGGREGATE = "aggregate", "Aggregate data"
    SYSTEM = "system", "System information"


class Erasure(models.TextChoices):
    """What erasure of a member does to a field. The erasure engine (privacy.requests.erasure)
    walks every declaration with an owner path:

    - a record whose personal fields all say DELETE or BLANK is deleted;
    - a record with any ANONYMISE or KEEP field is kept: DELETE and BLANK fields are
      emptied, ANONYMISE fields get a value that identifies nobody, KEEP fields stay as
      they are until their retention ends, when the owning app's retention job anonymises
      them (orders kept for the accounting period);
    - records under an active legal hold for their category are left alone;
    - records with no owner (the audit log) are untouched; the member's pseudonym is
      deleted, which unlinks them.
    """

    DELETE = "delete", "Deleted with its record"
    BLANK = "blank", "Blanked"
    ANONYMISE = "anonymise", "Replaced by a value that identifies nobody"
    KEEP = "keep", "Kept for a legal obligation until its retention ends, then erased"


class LegalProcess(models.TextChoices):
    """Legal process under which a field may be disclosed (see 'Disclosure to Law
    Enforcement'). Preservation only freezes data; it never discloses."""

    SUBPOENA = "subpoena", "Subpoena"
    COURT_ORDER = "court_order", "Court order"
    SEARCH_WARRANT = "search_warrant", "Search warrant"
    EMERGENCY = "emergency", "Emergency disclosure"
    RIGHTS_PROTECTION = "rights_protection", "Protection of rights or property"


class MemberAccess(models.TextChoices):
    """What the member themself may do with a field through self-service."""

    EDIT = "edit", "Member edits it"
    VIEW = "view", "Member sees it; changes go through a correction request"
    NONE = "none", "Never shown, not even to the member (e.g. a password hash)"


@dataclass(frozen=True)
class Retention:
    """How long a field is kept. `days_setting` names the Django setting with the number
    of days, so operators configure it; without one the field lives as long as the
    account."""

    rule: str
    days_setting: str | None = None

    @property
    def days(self) -> int | None:
        return getattr(settings, self.days_setting) if self.days_setting else None


WHILE_ACCOUNT_EXISTS = Retention("Kept while the account exists; erased when it is deleted.")

_ALL_LEGAL = frozenset({LegalProcess.EMERGENCY, LegalProcess.RIGHTS_PROTECTION})
_WARRANT_AND_ORDER = frozenset({LegalProcess.COURT_ORDER, LegalProcess.SEARCH_WARRANT})

# Who may see a category in the admin, and which process may unlock it, unless a field
# says otherwise. Emergency and rights-protection disclosures may reach any category,
# but only what the approver names as necessary (enforced by the legal workflow).
CATEGORY_STAFF_ROLES: Mapping[Category, frozenset[Role]] = {
    Category.PUBLIC: frozenset({Role.PRIVACY_OFFICER, Role.SUPPORT_AGENT}),
    Category.ACCOUNT: frozenset({Role.PRIVACY_OFFICER}),
    Category.FINANCIAL: frozenset({Role.PRIVACY_OFFICER, Role.BILLING_AGENT}),
    Category.SUPPORT: frozenset({Role.PRIVACY_OFFICER, Role.SUPPORT_AGENT}),
    Category.AGGREGATE: frozenset({Role.PRIVACY_OFFICER}),
    Category.SYSTEM: frozenset({Role.PRIVACY_OFFICER}),
}
CATEGORY_LEGAL_PROCESS: Mapping[Category, frozenset[LegalProcess]] = {
    Category.PUBLIC: _ALL_LEGAL | _WARRANT_AND_ORDER | {LegalProcess.SUBPOENA},
    Category.ACCOUNT: _ALL_LEGAL | _WARRANT_AND_ORDER | {LegalProcess.SUBPOENA},
    Category.FINANCIAL: _ALL_LEGAL | _WARRANT_AND_ORDER,
    Category.SUPPORT: _ALL_LEGAL | {LegalProcess.SEARCH_WARRANT},
    Category.AGGREGATE: _ALL_LEGAL | _WARRANT_AND_ORDER,
    Category.SYSTEM: _ALL_LEGAL | _WARRANT_AND_ORDER,
}

# Session and IP logs (when a client session started and ended, and from which address)
# are what a subpoena may reach of system information, beside account subscriber data;
# the rest of system information and aggregate data need a court order.
SESSION_LOG_PROCESSES = CATEGORY_LEGAL_PROCESS[Category.SYSTEM] | {LegalProcess.SUBPOENA}


@dataclass(frozen=True)
class PersonalField:
    """A field holding personal data. Staff roles and legal process default by category;
    `extra_staff_roles` widens the first for one field (support needs the e-mail address
    to answer, not the whole account)."""

    category: Category
    purpose: str
    retention: Retention = WHILE_ACCOUNT_EXISTS
    erasure: Erasure = Erasure.DELETE
    member_access: MemberAccess = MemberAccess.VIEW
    extra_staff_roles: frozenset[Role] = frozenset()
    disclosable_under: frozenset[LegalProcess] | None = None
    # Groups fields of one model for the pages and APIs that show them ("settings").
    topic: str = ""
    # Public information: the field on the same model that holds the member's choice of
    # who may see this one, and the name it is published under when the value shown is
    # derived (a private birth date is published as an age).
    visibility_field: str = ""
    published_as: str = ""
    # The member may propose a new value through a correction request (fields they see
    # but cannot edit themself); the declaration's `corrected_by` service writes it.
    correctable: bool = False
    # What people read (pages, e-mails, exports, admin messages): "Billing ZIP code".
    # Without one, the model field's verbose name, capitalised.
    label: str = ""
    # Filled in by the registry.
    model: type[models.Model] | None = field(default=None, compare=False, repr=False)
    name: str = ""

    @property
    def staff_roles(self) -> frozenset[Role]:
        return CATEGORY_STAFF_ROLES[self.category] | self.extra_staff_roles

    @property
    def legal_processes(self) -> frozenset[LegalProcess]:
        if self.disclosable_under is not None:
            return self.disclosable_under
        return CATEGORY_LEGAL_PROCESS[self.category]

    def visible_to(self, roles: Iterable[Role]) -> bool:
        return not self.staff_roles.isdisjoint(roles)

    @property
    def human_label(self) -> str:
        if self.label:
            return self.label
        if self.model is not None:
            return field_label(self.model, self.name)
        return self.name.replace("_", " ").capitalize()


@dataclass(frozen=True)
class NonPersonal:
    """A field that holds no personal data, with the reason why."""

    reason: str


@dataclass(frozen=True)
class OwnedBy:
    """An owner that no foreign-key path reaches: a third-party table that names the member
    by the login name typed at sign-in (django-axes), or inside encoded data (sessions), or
    by a generic reference (the admin's log). `records(member)` returns the member's rows;
    `how` says in words how they are found (the docs and the export's index show it)."""

    how: str
    records: Callable[[Any], models.QuerySet]


@dataclass(frozen=True)
class ModelDeclaration:
    model: type[models.Model]
    # Path from the model to the member it belongs to: "" for the member model itself,
    # "member" for a foreign key, an OwnedBy for rows found another way, None for records
    # that belong to no one member.
    owner: str | OwnedBy | None
    personal: Mapping[str, PersonalField]
    non_personal: Mapping[str, NonPersonal]
    # The owning app's service that writes an approved correction request:
    # corrected_by(obj=<record>, actor=<Actor>, changes={field: new value}) -> record.
    # Fields of a model without one can only be changed by the member themself.
    corrected_by: Callable[..., models.Model] | None = None

    @property
    def declared_names(self) -> frozenset[str]:
        return frozenset(self.personal) | frozenset(self.non_personal)


class PrivacyRegistry:
    def __init__(self):
        self._declarations: dict[type[models.Model], ModelDeclaration] = {}

    def declare(
        self,
        model: type[models.Model],
        *,
        owner: str | OwnedBy | None,
        fields: Mapping[str, PersonalField | NonPersonal],
        corrected_by: Callable[..., models.Model] | None = None,
    ) -> ModelDeclaration:
        if model in self._declarations:
            raise ImproperlyConfigured(f"{model._meta.label} is declared twice in the registry.")
        personal, non_personal = {}, {}
        for name, declaration in fields.items():
            if isinstance(declaration, PersonalField):
                personal[name] = replace(declaration, model=model, name=name)
            elif isinstance(declaration, NonPersonal):
                non_personal[name] = declaration
            else:
                raise ImproperlyConfigured(
                    f"{model._meta.label}.{name}: declare PersonalField or NonPersonal."
                )
        self._declarations[model] = ModelDeclaration(
            model, owner, personal, non_personal, corrected_by
        )
        return self._declarations[model]

    def forget(self, model: type[models.Model]) -> None:
        """Drop a declaration (used by tests that prove the check)."""
        self._declarations.pop(model, None)

    def declaration(self, model: type[models.Model]) -> ModelDeclaration | None:
        return self._declarations.get(model)

    def declarations(self) -> list[ModelDeclaration]:
        return list(self._declarations.values())

    def personal_fields(
        self,
        model: type[models.Model],
        *,
        category: Category | None = None,
        topic: str | None = None,
        member_access: Iterable[MemberAccess] | None = None,
    ) -> list[PersonalField]:
        declaration = self._declarations.get(model)
        if declaration is None:
            raise ImproperlyConfigured(f"{model._meta.label} is not declared in the registry.")
        wanted_access = frozenset(member_access) if member_access is not None else None
        return [
            f
            for f in declaration.personal.values()
            if (category is None or f.category == category)
            and (topic is None or f.topic == topic)
            and (wanted_access is None or f.member_access in wanted_access)
        ]

    def member_fields(self, model, *, topic: str, editable: bool) -> list[str]:
        """Names the member may see (or, with editable, change) on one topic."""
        access = {MemberAccess.EDIT} if editable else {MemberAccess.EDIT, MemberAccess.VIEW}
        return [f.name for f in self.personal_fields(model, topic=topic, member_access=access)]

    def published_fields(self, model) -> list[PersonalField]:
        """Fields shown to other people, each subject to the member's visibility choice
        (or, with no visibility field, shown wherever the record itself is shown)."""
        return [
            f
            for f in self.personal_fields(model)
            if f.category == Category.PUBLIC or f.visibility_field
        ]

    def staff_visible_fields(self, model, roles: Iterable[Role]) -> list[str]:
        roles = frozenset(roles)
        return [f.name for f in self.personal_fields(model) if f.visible_to(roles)]


registry = PrivacyRegistry()


def owner_of(obj: models.Model):
    """The member a record belongs to, following its declaration's owner path."""
    declaration = registry.declaration(type(obj))
    if declaration is None or not isinstance(declaration.owner, str):
        return None
    target = obj
    for step in filter(None, declaration.owner.split("__")):
        target = getattr(target, step, None)
        if target is None:
            return None
    return target


def field_label(model: type[models.Model], name: str) -> str:
    """The label people read for a field of a model: the registry's, when the field is
    declared personal with one, else the model field's verbose name, capitalised; a name
    that is not a field is made readable ("card_exp_month" -> "Card exp month")."""
    declaration = registry.declaration(model)
    if declaration is not None:
        personal = declaration.personal.get(name)
        if personal is not None and personal.label:
            return personal.label
    try:
        verbose = str(model._meta.get_field(name).verbose_name)
    except Exception:
        verbose = name.replace("_", " ")
    return verbose[:1].upper() + verbose[1:]


def field_label_in(model_label: str, name: str) -> str:
    """`field_label` for a field named by its model's label ("orders.order"), as audit
    rows and correction items record them; a model no longer installed reads as the name."""
    from django.apps import apps

    try:
        model = apps.get_model(model_label)
    except (LookupError, ValueError):
        return name.replace("_", " ").capitalize()
    return field_label(model, name)


def published_name(field: PersonalField) -> str:
    return field.published_as or field.name
