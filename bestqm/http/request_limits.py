"""Refuse a request body larger than its limit before anything reads it.

Django checks DATA_UPLOAD_MAX_MEMORY_SIZE only where it reads a form body itself; Django
REST framework streams a JSON body straight from the socket, so without this an API client
could make a worker parse any amount of JSON. A multipart body may carry a file (the legal
officer's scanned court order), so it may be as large as UPLOAD_MAX_BYTES; Django still
holds its non-file fields to DATA_UPLOAD_MAX_MEMORY_SIZE. Raising Django's own
RequestDataTooBig lets the error views answer it like any other too-large request (413, a
page or the API's error shape).
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig

BODY_TOO_LARGE = "Request body exceeded settings.DATA_UPLOAD_MAX_MEMORY_SIZE."


class RequestBodyLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = _limit(request)
        if limit is not None and _declared_length(request) > limit:
            raise RequestDataTooBig(BODY_TOO_LARGE)
        return self.get_response(request)


def _limit(request) -> int | None:
    if request.META.get("CONTENT_TYPE", "").startswith("multipart/form-data"):
        return settings.UPLOAD_MAX_BYTES
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def _declared_length(request) -> int:
    # A body without a usable Content-Length is never read by Django (its stream is
    # limited to the declared length), so it cannot be too large.
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0
