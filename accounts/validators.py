import zoneinfo
from functools import cache

from django.core.validators import RegexValidator

LOGIN_NAME_RULES = "3 to 30 characters: letters, digits, dots, hyphens and underscores."
ZIP_CODE_RULES = "Enter a 5-digit ZIP code, optionally with the 4-digit extension (12345-6789)."

login_name_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9._-]{2,29}$",
    message=f"Enter a valid login name: {LOGIN_NAME_RULES}",
    code="invalid_login_name",
)
zip_code_validator = RegexValidator(
    r"^\d{5}(-\d{4})?$", message=ZIP_CODE_RULES, code="invalid_zip_code"
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
# General location only: a place name, never a street address or a postal code.
place_name_validator = RegexValidator(
    r"^[^\W\d_][^\d@]*$",
    message="Enter a place name only (no digits: never a street address or ZIP code).",
    code="invalid_place",
)
