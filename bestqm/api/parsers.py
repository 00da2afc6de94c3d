"""The API's JSON parser: DRF's, plus a 400 for JSON nested too deeply to parse.

Python's json module answers "[[[[…" a few thousand levels deep with RecursionError, which
is not a ValueError, so DRF's parser lets it through as a 500. Any body under the size
limit can carry that nesting; it is malformed input like any other.
"""

from rest_framework import parsers
from rest_framework.exceptions import ParseError

TOO_DEEP = "JSON parse error - nested too deeply."


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(TOO_DEEP) from None
