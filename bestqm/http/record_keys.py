"""Record keys that arrive as text (URL parts, form values)."""

# Keys are positive and fit a signed 64-bit column; anything else names no record.
_MAX_KEY_DIGITS = 18


def parse_key(raw) -> int | None:
    """A record key from a URL or a form, or None when the text cannot be one (a
    non-ASCII digit such as '²' included, which int() would refuse)."""
    text = str(raw)
    if not (text.isascii() and text.isdigit()) or len(text) > _MAX_KEY_DIGITS:
        return None
    return int(text) or None
