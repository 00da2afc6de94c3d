"""The API's JSON parser: DRF's, plus a 400 for JSON nested too deeply to parse, and for
a string holding a lone surrogate.

Python's json module answers "[[[[…" a few thousand levels deep with RecursionError, which
is not a ValueError, so DRF's parser lets it through as a 500. Any body under the size
limit can carry that nesting; it is malformed input like any other.

JSON lets a string escape half of a UTF-16 pair ("\udcff"), which is no character at all:
Python keeps it, and the error that echoes the value back then fails to encode as UTF-8
(a 500), as would the database. It is refused here, once, for every field of every API.
"""

from rest_framework import parsers
from rest_framework.exceptions import ParseError

TOO_DEEP = "JSON parse error - nested too deeply."
LONE_SURROGATE = (
    "JSON parse error - a string holds an escaped half of a character (a lone surrogate)."
)


def _has_lone_surrogate(value) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(TOO_DEEP) from None
        if _has_lone_surrogate(data):
            raise ParseError(LONE_SURROGATE)
        return data
