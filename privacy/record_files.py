"""Records written out as files a person can read: one table as JSON records and as CSV,
its values made plain (dates as ISO strings, decimals and other libraries' types, a phone
number or a country, as their text). The member's export and the legal disclosure package
both write their tables this way.

A cell a spreadsheet would run as a formula (text starting with `=`, `+`, `-`, `@`, a tab
or a carriage return) is written to the CSV with a leading apostrophe, as OWASP
recommends, so opening a file we hand someone never runs what a member or anyone else
typed into a ticket; the JSON keeps the value as it is. Every CSV row goes through
`_SpreadsheetSafeWriter`, the one place this is done.

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


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """A CSV cell that a spreadsheet shows as text rather than evaluating."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _SpreadsheetSafeWriter:
    def __init__(self, stream):
        self._writer = csv.writer(stream)

    def writerow(self, row):
        self._writer.writerow([spreadsheet_safe(cell) for cell in row])


class TableFile:
    """One table's rows as JSON records and as CSV text, a row at a time. With `lead`, every
    row starts with that column (the disclosure package's subject label). JSON keys are the
    machine names; the CSV header row reads `headers` (people's labels) when given."""

    def __init__(self, columns: list[str], *, lead: str = "", headers: list[str] | None = None):
        self.columns = columns
        self.lead = lead
        self.records: list[dict] = []
        self._text = io.StringIO()
        self._writer = _SpreadsheetSafeWriter(self._text)
        header = list(headers) if headers is not None else columns
        self._writer.writerow([lead, *header] if lead else header)

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
