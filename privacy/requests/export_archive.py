"""The member's data export: a zip of JSON and CSV, one file pair per declared table, with a
manifest naming each field's category and purpose, valid against a published JSON schema.
Tables are written by privacy.record_files.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from pathlib import Path

from django.utils import timezone

from privacy.member_records import (
    Column,
    member_columns,
    owned_declarations,
    records_of,
    table_name,
)
from privacy.record_files import TableFile

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
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for done, declaration in enumerate(declarations, start=1):
            columns = member_columns(declaration)
            names = [c.attname for c in columns]
            records = records_of(declaration, member).order_by("pk")
            table = table_name(declaration)
            written = TableFile(names)
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
            on_progress(int(done * 100 / (len(declarations) + 1)))
        archive.writestr("manifest.json", json.dumps(manifest, indent=1, ensure_ascii=False))
        archive.write(SCHEMA_PATH, "manifest.schema.json")
    return manifest
