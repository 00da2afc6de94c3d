"""Erasure of one member across every app, derived from the registry (see `Erasure`).

`member_erase` is atomic: one transaction for the member, so a crash midway leaves
everything as it was and running it again finishes the job. It is idempotent: a second run
finds nothing left to change. Records whose category is under an active legal hold are
left alone and reported back, so the request can say that some data waits on them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models, transaction
from django.db.models.functions import Cast, Concat

from accounts.directory.public_cache import directory_changed
from privacy.audit.models import MemberPseudonym
from privacy.holds.selectors import holds_affecting
from privacy.member_records import owned_declarations, records_of
from privacy.registry import Category, Erasure, ModelDeclaration, PersonalField

# A character no login name or username may contain: an anonymised value can never be
# taken by, or mistaken for, a real member's.
ANONYMOUS_PREFIX = "~erased-"
_KEPT = frozenset({Erasure.ANONYMISE, Erasure.KEEP})


@dataclass
class ErasureReport:
    deleted: dict[str, int] = field(default_factory=dict)
    anonymised: dict[str, int] = field(default_factory=dict)
    held: dict[str, list[Category]] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return not self.held


def _empty_value(model_field: models.Field):
    if model_field.null:
        return None
    if model_field.has_default():
        return model_field.get_default()
    return ""


def _anonymous_value(model_field: models.Field):
    if isinstance(model_field, models.CharField | models.TextField):
        suffix = "@erased.invalid" if isinstance(model_field, models.EmailField) else ""
        return Concat(
            models.Value(ANONYMOUS_PREFIX),
            Cast("pk", models.CharField()),
            models.Value(suffix),
            output_field=model_field,
        )
    return _empty_value(model_field)


def _changes(personal: list[PersonalField], model) -> dict:
    changes = {}
    for declared in personal:
        model_field = model._meta.get_field(declared.name)
        if not model_field.concrete or model_field.many_to_many:
            continue
        if declared.erasure == Erasure.ANONYMISE:
            changes[model_field.attname] = _anonymous_value(model_field)
        elif declared.erasure in (Erasure.DELETE, Erasure.BLANK):
            changes[model_field.attname] = _empty_value(model_field)
    return changes


def _erase_declaration(declaration: ModelDeclaration, member, report: ErasureReport) -> None:
    label = declaration.model._meta.label_lower
    personal = list(declaration.personal.values())
    records = records_of(declaration, member)
    if any(p.erasure in _KEPT for p in personal):
        changes = _changes(personal, declaration.model)
        count = records.update(**changes) if changes else records.count()
        if count:
            report.anonymised[label] = count
    else:
        count, _ = records.delete()
        if count:
            report.deleted[label] = count


def member_erase(*, member) -> ErasureReport:
    """Erase or anonymise everything the registry says belongs to `member`."""
    report = ErasureReport()
    with transaction.atomic():
        type(member)._default_manager.select_for_update().filter(pk=member.pk).first()
        holds = holds_affecting(member)
        held = {Category(c) for hold in holds for c in hold.categories}
        for declaration in owned_declarations():
            if declaration.model is MemberPseudonym and holds:
                # A legal case may still need to link the member's history.
                report.held[declaration.model._meta.label_lower] = sorted(held)
                continue
            categories = {p.category for p in declaration.personal.values()}
            if categories & held:
                report.held[declaration.model._meta.label_lower] = sorted(categories & held)
                continue
            _erase_declaration(declaration, member, report)
        directory_changed()
    return report


@dataclass(frozen=True)
class ErasurePreviewLine:
    table: str  # people's label: "Orders"
    count: int
    outcome: str  # "deleted", "anonymised", "kept", "held"
    fields: tuple[str, ...] = ()  # labels of the fields anonymised or kept


def erasure_preview(*, member) -> list[ErasurePreviewLine]:
    """What erasing `member` would do, table by table, changing nothing: the records
    deleted, those anonymised (which fields), those kept for a legal obligation (which
    fields) and those a legal hold keeps. The admin's "Erase now" confirmation shows it."""
    from privacy.member_records import table_label

    holds = holds_affecting(member)
    held = {Category(c) for hold in holds for c in hold.categories}
    lines = []
    for declaration in owned_declarations():
        count = records_of(declaration, member).count()
        if not count:
            continue
        label = table_label(declaration)
        personal = list(declaration.personal.values())
        categories = {p.category for p in personal}
        if (declaration.model is MemberPseudonym and holds) or categories & held:
            lines.append(ErasurePreviewLine(label, count, "held"))
            continue
        anonymised = tuple(p.human_label for p in personal if p.erasure == Erasure.ANONYMISE)
        kept = tuple(p.human_label for p in personal if p.erasure == Erasure.KEEP)
        if not anonymised and not kept:
            lines.append(ErasurePreviewLine(label, count, "deleted"))
            continue
        if anonymised:
            lines.append(ErasurePreviewLine(label, count, "anonymised", anonymised))
        if kept:
            lines.append(ErasurePreviewLine(label, count, "kept", kept))
    return lines
