"""What a member may ask to have corrected: fields they can see but not edit, on records
they own, of models whose app declared a service that writes corrections."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

from privacy.member_records import owned_declarations, records_of
from privacy.registry import MemberAccess, ModelDeclaration, PersonalField


@dataclass(frozen=True)
class CorrectableField:
    declaration: ModelDeclaration
    personal: PersonalField
    obj: models.Model

    @property
    def key(self) -> str:
        return correction_key(self.model_label, self.obj.pk, self.personal.name)

    @property
    def model_label(self) -> str:
        return self.declaration.model._meta.label_lower

    @property
    def label(self) -> str:
        """The registry's label, and which record: "Billing ZIP code of order #12"."""
        name = self.personal.human_label
        if self.declaration.owner == "":
            return name
        return f"{name} of {self.declaration.model._meta.verbose_name} #{self.obj.pk}"

    @property
    def current_value(self) -> str:
        value = getattr(self.obj, self.personal.name)
        return "" if value is None else str(value)


def correctable_fields_of(member) -> list[CorrectableField]:
    found = []
    for declaration in owned_declarations():
        if declaration.corrected_by is None:
            continue
        personal = [
            p
            for p in declaration.personal.values()
            if p.correctable and p.member_access != MemberAccess.NONE
        ]
        if not personal:
            continue
        for obj in records_of(declaration, member).order_by("pk"):
            found.extend(CorrectableField(declaration, p, obj) for p in personal)
    return found


def correction_key(model_label: str, object_id, field_name: str) -> str:
    """How a proposal names one field of one record: "accounts.user:7:login_name"."""
    return f"{model_label}:{object_id}:{field_name}"


def correctable_fields_by_key(member) -> dict[str, CorrectableField]:
    """Every field the member may ask to correct, read once, by `correction_key`."""
    return {found.key: found for found in correctable_fields_of(member)}
