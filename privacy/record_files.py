"""Records written out as files a person can read: one table as JSON records and as CSV,
its values made plain (dates as ISO strings, decimals and other libraries' types, a phone
number or a country, as their text). The member's export and the legal disclosure package
both write their tables this way.

One query per table whatever the number of rows (`values_list().iterator()`), so the time
grows with the data, the query count does not.
"""

from __future__ import annotations

import csv
import io
import json

from django.core.serializers.json import DjangoJSONEncoder

_CHUNK = 2000


class _PlainEncoder(DjangoJSONEncoder):
    def default(self, o):
        try:
            return super().default(o)
        except TypeError:
            return str(o)


def plain(value):
    """A value as it reads in JSON."""
    return json.loads(json.dumps(value, cls=_PlainEncoder))


class TableFile:
    """One table's rows as JSON records and as CSV text, a row at a time. With `lead`, every
    row starts with that column (the disclosure package's subject label)."""

    def __init__(self, columns: list[str], *, lead: str = ""):
        self.columns = columns
        self.lead = lead
        self.records: list[dict] = []
        self._text = io.StringIO()
        self._writer = csv.writer(self._text)
        self._writer.writerow([lead, *columns] if lead else columns)

    def add_rows(self, rows, *, lead_value: str = "") -> int:
        """Add the rows of a `values_list()` query (or a list of such rows) in the
        columns' order; returns how many."""
        before = len(self.records)
        if hasattr(rows, "iterator"):
            rows = rows.iterator(chunk_size=_CHUNK)
        for row in rows:
            values = [plain(v) for v in row]
            record = dict(zip(self.columns, values, strict=True))
            shown = ["" if v is None else v for v in values]
            if self.lead:
                record = {self.lead: lead_value, **record}
                shown = [lead_value, *shown]
            self.records.append(record)
            self._writer.writerow(shown)
        return len(self.records) - before

    def json(self) -> str:
        return json.dumps(self.records, indent=1, ensure_ascii=False)

    def csv(self) -> str:
        return self._text.getvalue()
