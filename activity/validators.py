"""Formats the client software must respect when it reports a session."""

from django.core.validators import RegexValidator

SOFTWARE_VERSION_FORMAT = (
    "Enter the version as numbers separated by dots (2.4 or 2.4.1), optionally followed "
    "by a hyphen and a label (2.5.0-beta.2)."
)
CAMERA_TYPE_FORMAT = (
    "Enter the camera type with letters, digits, spaces and . _ - + / ( ) only, "
    "starting with a letter or digit."
)

# [0-9], not \d: \d also takes digits of other scripts. \Z, not $: $ lets a newline in.
software_version_validator = RegexValidator(
    r"^[0-9]{1,5}(\.[0-9]{1,5}){1,3}(-[0-9A-Za-z]{1,12}(\.[0-9A-Za-z]{1,12}){0,3})?\Z",
    SOFTWARE_VERSION_FORMAT,
    code="invalid_version",
)
camera_type_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9 ._()/+\-]{0,59}\Z",
    CAMERA_TYPE_FORMAT,
    code="invalid_camera_type",
)
