"""Text as the support app stores it: trimmed, not empty (unless optional), no NUL, within
its limit; a subject on one line (it may become an e-mail header)."""

from django.core.exceptions import ValidationError

EMPTY_TEXT = "Write something: this cannot be empty."
NUL_IN_TEXT = "This text contains a character that is not allowed."
ONE_LINE = "Keep this to one line."
TOO_LONG = "At most {limit} characters, please (this has {length})."


def clean_text(
    value: str, *, field: str, limit: int, required: bool = True, one_line: bool = False
) -> str:
    """Text as stored: trimmed, not empty (unless optional), no NUL, within its limit; a
    subject on one line (it may become an e-mail header)."""
    value = (value or "").strip()
    if "\x00" in value:
        raise ValidationError({field: NUL_IN_TEXT})
    if one_line and ("\n" in value or "\r" in value):
        raise ValidationError({field: ONE_LINE})
    if required and not value:
        raise ValidationError({field: EMPTY_TEXT})
    if len(value) > limit:
        raise ValidationError({field: TOO_LONG.format(limit=limit, length=len(value))})
    return value
