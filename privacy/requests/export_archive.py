"""The member's data export: a zip of JSON and CSV, one file pair per declared table, with a
manifest naming each field's category and purpose, valid against a published JSON schema,
and an `index.html` that reads like a document: each category with people's labels, the
purpose and retention of each field, the member's records, and the audit events about
them (staff accesses, disclosures they have been told of). Self-contained: no script, no
external asset. Tables are written by privacy.record_files; CSV headers are the labels,
the JSON keeps the machine names.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import timezone

from privacy.member_records import (
    Column,
    member_columns,
    owned_declarations,
    records_of,
    table_label,
    table_name,
)
from privacy.record_files import TableFile
from privacy.registry import Category

FORMAT = "bestqm-member-export"
FORMAT_VERSION = 1
SCHEMA_PATH = Path(__file__).parent.parent / "static" / "privacy" / "export-manifest.schema.json"


def _field_entry(column: Column) -> dict:
    if column.personal is None:
        return {"name": column.attname, "personal": False, "note": column.reason}
    personal = column.personal
    return {
        "name": column.attname,
        "personal": True,
        "category": personal.category.value,
        "category_label": str(personal.category.label),
        "purpose": personal.purpose,
        "retention": personal.retention.rule,
        "member_access": personal.member_access.value,
    }


def export_write(
    *,
    member,
    request_id: int,
    target,
    on_progress: Callable[[int], None] = lambda percent: None,
) -> dict:
    """Write the member's export as a zip into the binary file object `target`; returns
    the manifest."""
    declarations = owned_declarations()
    manifest = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "request_id": request_id,
        "generated_at": timezone.now().isoformat(),
        "tables": [],
    }
    tables = []
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for done, declaration in enumerate(declarations, start=1):
            columns = member_columns(declaration)
            names = [c.attname for c in columns]
            records = records_of(declaration, member).order_by("pk")
            table = table_name(declaration)
            written = TableFile(names, headers=[c.label for c in columns])
            # A table none of whose fields is ever shown, not even to the member (a
            # session's data), is listed with its number of rows and no values.
            row_count = written.add_rows(records.values_list(*names)) if names else records.count()
            archive.writestr(f"{table}.json", written.json())
            archive.writestr(f"{table}.csv", written.csv())
            manifest["tables"].append(
                {
                    "name": table,
                    "description": str(declaration.model._meta.verbose_name_plural),
                    "json": f"{table}.json",
                    "csv": f"{table}.csv",
                    "rows": row_count,
                    "fields": [_field_entry(c) for c in columns],
                }
            )
            tables.append((declaration, columns, written.records, row_count))
            on_progress(int(done * 100 / (len(declarations) + 1)))
        archive.writestr("manifest.json", json.dumps(manifest, indent=1, ensure_ascii=False))
        archive.write(SCHEMA_PATH, "manifest.schema.json")
        archive.writestr(
            "index.html", export_index_html(member=member, manifest=manifest, tables=tables)
        )
    return manifest


def export_index_html(*, member, manifest: dict, tables: list) -> str:
    from privacy.audit.staff_accesses import staff_accesses_of
    from privacy.legal.member_disclosures import disclosures_told_to

    categories = {c: [] for c in Category}
    shown_tables = []
    for declaration, columns, records, row_count in tables:
        label = table_label(declaration)
        for column in columns:
            if column.personal is not None:
                categories[column.personal.category].append((label, column))
        shown_tables.append(
            {
                "label": label,
                "file": table_name(declaration),
                "headers": [c.label for c in columns],
                "rows": [[record.get(c.attname) for c in columns] for record in records],
                "count": row_count,
            }
        )
    return render_to_string(
        "privacy/export_index.html",
        {
            "manifest": manifest,
            "generated": timezone.now(),
            "categories": [(c, fields) for c, fields in categories.items() if fields],
            "tables": shown_tables,
            "staff_accesses": staff_accesses_of(member),
            "disclosures": disclosures_told_to(member),
        },
    )
