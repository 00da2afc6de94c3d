"""The disclosure package of a legal request: a zip with one JSON and one CSV file per
category and table, and `manifest.json` giving each file's SHA-256.

What goes in is decided by `privacy.legal.scope.disclosable_fields` and nothing else: the
fields of the approved scope that the request's type unlocks, of the accounts the request's
targets resolved to. Members appear as subjects S1, S2... (the manifest says which target
named each one); internal keys of the service never leave it.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from dataclasses import dataclass, field

from django.utils import timezone

from privacy.legal.models import LegalRequest
from privacy.legal.scope import disclosable_fields
from privacy.member_records import table_name
from privacy.record_files import TableFile
from privacy.registry import Category

FORMAT = "bestqm-legal-disclosure"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"


@dataclass
class Subject:
    label: str
    member: object
    named_as: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class DisclosedTable:
    """What the package holds of one member in one category of one table."""

    member: object
    category: Category
    model_label: str
    fields: list[str]
    records: int


def package_subjects(request: LegalRequest) -> list[Subject]:
    """The accounts the request's targets resolved to, each once, in target order."""
    subjects: dict[int, Subject] = {}
    for target in request.targets.exclude(member=None).select_related("member").order_by("pk"):
        subject = subjects.get(target.member_id)
        if subject is None:
            subject = Subject(f"S{len(subjects) + 1}", target.member)
            subjects[target.member_id] = subject
        if target.kind == target.Kind.TRACED:
            subject.named_as.append(str(target.get_kind_display()))  # never the internal key
        else:
            subject.named_as.append(f"{target.get_kind_display()}: {target.value}")
    return list(subjects.values())


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _category_table(
    declaration, category: Category, names: list[str], subjects: list[Subject]
) -> tuple[TableFile, list[DisclosedTable]]:
    """The rows of one table's fields of one category, for every subject, and what they
    hold of whom: one query for all the subjects, each subject's rows in key order."""
    model = declaration.model
    columns = [model._meta.get_field(n).attname for n in names]
    owner = declaration.owner or "pk"  # the path from a row to its member, as records_of
    by_member: dict[object, list] = {subject.member.pk: [] for subject in subjects}
    rows = (
        model._default_manager.filter(**{f"{owner}__in": list(by_member)})
        .order_by(owner, "pk")
        .values_list(owner, *columns)
    )
    for member_pk, *values in rows.iterator(chunk_size=2000):
        by_member[member_pk].append(values)
    written, disclosed = TableFile(columns, lead="subject"), []
    for subject in subjects:
        count = written.add_rows(by_member[subject.member.pk], lead_value=subject.label)
        if count:
            disclosed.append(
                DisclosedTable(subject.member, category, model._meta.label, columns, count)
            )
    return written, disclosed


def package_write(
    *, request: LegalRequest, subjects: list[Subject], target
) -> tuple[dict, list[DisclosedTable]]:
    """Write the package into the binary file object `target`; returns the manifest and
    what it holds of whom."""
    files, disclosed = [], []
    scope = disclosable_fields(request.request_type, request.scope_categories)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for declaration, personal in scope:
            table = table_name(declaration)
            for category in Category:
                names = [p.name for p in personal if p.category == category]
                if not names:
                    continue
                written, held = _category_table(declaration, category, names, subjects)
                if not written.records:
                    continue
                disclosed += held
                for suffix, data in (
                    ("json", written.json().encode()),
                    ("csv", written.csv().encode()),
                ):
                    path = f"{category.value}/{table}.{suffix}"
                    archive.writestr(path, data)
                    files.append(
                        {
                            "path": path,
                            "sha256": _digest(data),
                            "category": category.value,
                            "table": table,
                            "fields": held[0].fields,
                            "rows": len(written.records),
                        }
                    )
        manifest = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "generated_at": timezone.now().isoformat(),
            "request": {
                "id": request.pk,
                "type": request.request_type,
                "authority": request.authority,
                "jurisdiction": request.jurisdiction,
                "reference_number": request.reference_number,
                "scope": list(request.scope_categories),
                "scope_reason": request.scope_reason,
            },
            "subjects": [{"subject": s.label, "named_as": s.named_as} for s in subjects],
            "files": files,
        }
        archive.writestr(MANIFEST, json.dumps(manifest, indent=1, ensure_ascii=False))
    return manifest, disclosed
