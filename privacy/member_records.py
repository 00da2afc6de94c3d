"""Every record that belongs to one member, found through the registry's owner paths.

Export, erasure and corrections all start here, so an app declared in the registry today or
later is covered without changes to this app.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

from privacy.registry import (
    MemberAccess,
    ModelDeclaration,
    OwnedBy,
    PersonalField,
    field_label,
    registry,
)


@dataclass(frozen=True)
class Column:
    """One exported column: the model field, and its declaration when it is personal."""

    field: models.Field
    personal: PersonalField | None
    reason: str = ""

    @property
    def name(self) -> str:
        return self.field.name

    @property
    def attname(self) -> str:
        return self.field.attname

    @property
    def label(self) -> str:
        """What people read for the column ("Billing ZIP code")."""
        if self.personal is not None:
            return self.personal.human_label
        return field_label(self.field.model, self.field.name)


def owned_declarations() -> list[ModelDeclaration]:
    """Declarations of records that belong to one member: first those found another way
    than a foreign key (they may look the member's other records up: the admin's log refers
    to them by id, axes by the login name), the member's own model last, so that records
    hanging off it are handled before it."""
    owned = [d for d in registry.declarations() if d.owner is not None]
    return sorted(
        owned,
        key=lambda d: (not isinstance(d.owner, OwnedBy), d.owner == "", d.model._meta.label),
    )


def records_of(declaration: ModelDeclaration, member) -> models.QuerySet:
    model = declaration.model
    if isinstance(declaration.owner, OwnedBy):
        return declaration.owner.records(member)
    if declaration.owner == "":
        return model._default_manager.filter(pk=member.pk)
    return model._default_manager.filter(**{declaration.owner: member})


def member_columns(declaration: ModelDeclaration) -> list[Column]:
    """The columns the member may receive: every concrete field but those the registry
    says are shown to no one, not even the member (a password hash, an internal note)."""
    columns = []
    for field in declaration.model._meta.concrete_fields:
        personal = declaration.personal.get(field.name)
        if personal is not None:
            if personal.member_access != MemberAccess.NONE:
                columns.append(Column(field, personal))
        elif field.name in declaration.non_personal:
            columns.append(Column(field, None, declaration.non_personal[field.name].reason))
    return columns


def table_name(declaration: ModelDeclaration) -> str:
    return declaration.model._meta.label_lower


def table_label(declaration: ModelDeclaration) -> str:
    """What people read for a table ("Orders", "Sign-in attempts")."""
    plural = str(declaration.model._meta.verbose_name_plural)
    return plural[:1].upper() + plural[1:]
