import re
import zoneinfo
from functools import cache

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator

LOGIN_NAME_RULES = "3 to 30 characters: letters, digits, dots, hyphens and underscores."
ZIP_CODE_RULES = "Enter a 5-digit ZIP code, optionally with the 4-digit extension (12345-6789)."

login_name_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9._-]{2,29}$",
    message=f"Enter a valid login name: {LOGIN_NAME_RULES}",
    code="invalid_login_name",
)
# [0-9], not \d: Python's \d also accepts other scripts' digits, which no ZIP code has
# and which the published API schema (JSON Schema regex) would reject.
zip_code_validator = RegexValidator(
    r"^[0-9]{5}(-[0-9]{4})?$", message=ZIP_CODE_RULES, code="invalid_zip_code"
)


@cache
def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


USERNAME_RULES = "3 to 30 characters: letters, digits, hyphens and underscores."
public_username_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9_-]{2,29}$",
    message=f"Enter a valid username: {USERNAME_RULES}",
    code="invalid_username",
)
PLACE_NAME_RULES = "Enter a place name only (no digits: never a street address or ZIP code)."
_PLACE_NAME = re.compile(r"^[^\W\d_][^\d@]*$")


def place_name_validator(value: str) -> None:
    """General location only: a place name in any script (Évry, Łódź, 東京), never a
    street address or a postal code. A function rather than a RegexValidator, because its
    pattern relies on Python's Unicode classes and must not be published in the API schema,
    where JSON Schema would read its word and digit classes as ASCII-only."""
    if value and not _PLACE_NAME.match(value):
        raise ValidationError(PLACE_NAME_RULES, code="invalid_place")
