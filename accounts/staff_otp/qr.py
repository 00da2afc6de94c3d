"""The enrolment QR code, drawn by the server as inline SVG (segno: pure Python, no
image library, no request to anyone)."""

from base64 import b32encode

import segno
from django.utils.safestring import mark_safe


def svg(uri: str) -> str:
    code = segno.make(uri, error="m")
    # No XML declaration and no style attribute: the page's CSP allows neither.
    return mark_safe(  # noqa: S308 - segno's own markup, from a URI it encodes
        code.svg_inline(scale=5, dark="#000", light="#fff", title="QR code of your key")
    )


def key_text(device) -> str:
    """The key as authenticator apps ask for it when typed: base32, in groups of four."""
    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))
