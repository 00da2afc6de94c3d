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
        return f"{self.model_label}:{self.obj.pk}:{self.personal.name}"

    @property
    def model_label(self) -> str:
        return self.declaration.model._meta.label_lower

    @property
    def label(self) -> str:
        model_field = self.declaration.model._meta.get_field(self.personal.name)
        name = str(model_field.verbose_name).capitalize()
        if self.declaration.owner == "":
            return name
        return f"{name} on {self.declaration.model._meta.verbose_name} #{self.obj.pk}"

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


def correctable_field(member, *, model_label: str, object_id: str, field_name: str):
    key = f"{model_label}:{object_id}:{field_name}"
    return next((f for f in correctable_fields_of(member) if f.key == key), None)
