"""What a client sees when a request fails outside a view's own handling.

Pages: the project's 400/403/404/413/500/503 templates, which name nothing about the request
or the failure (Django shows its detailed pages only with DEBUG on). API paths: the API's
one error shape (bestqm.api.errors), so a program never has to parse an HTML page. A body
or form larger than the configured limits is a 413 in both.

A failure to reach the database (a restart, a fail-over, a dropped connection) is not a
bug in the request: it answers 503 with Retry-After, so that a load balancer or a client
tries again in a moment instead of showing the member a server error.
"""

import sys

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.views import defaults
from django.views.decorators.csrf import requires_csrf_token
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from bestqm.api.errors import error_body

API_PREFIX = "/api/"
TOO_LARGE = "The request is too large."
BAD_REQUEST = "The request could not be understood."
FORBIDDEN = "You do not have permission to perform this action."
NOT_FOUND = "Not found."
SERVER_ERROR = "An error occurred on our side. Please try again later."
UNAVAILABLE = "The service is briefly unavailable. Please try again in a few seconds."
RETRY_AFTER_SECONDS = 5

_TOO_LARGE = (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent)


def _is_api(request) -> bool:
    return request.path_info.startswith(API_PREFIX)


def _api_error(code: str, message: str, status: int) -> JsonResponse:
    return JsonResponse(error_body(code, message), status=status)


@requires_csrf_token
def bad_request(request, exception):
    if isinstance(exception, _TOO_LARGE):
        if _is_api(request):
            return _api_error("request_too_large", TOO_LARGE, 413)
        # Rendered without the request: its body is what failed, and nothing on the page
        # needs the member.
        return HttpResponse(loader.get_template("413.html").render(), status=413)
    if _is_api(request):
        return _api_error("bad_request", BAD_REQUEST, 400)
    return defaults.bad_request(request, exception)


@requires_csrf_token
def permission_denied(request, exception):
    if _is_api(request):
        return _api_error("permission_denied", FORBIDDEN, 403)
    return defaults.permission_denied(request, exception)


@requires_csrf_token
def page_not_found(request, exception):
    if _is_api(request):
        return _api_error("not_found", NOT_FOUND, 404)
    return defaults.page_not_found(request, exception)


# A backing service out of reach: the database, or Redis (the cache, the throttle and
# lockout counters) while it restarts. Either is a 503 to try again, never a 500.
UNAVAILABLE_ERRORS = (OperationalError, InterfaceError, RedisConnectionError, RedisTimeoutError)


def _database_unavailable() -> bool:
    """Whether the failure being handled is a backing service out of reach. Django calls
    the 500 handler while handling the exception, so it is still the current one.
    django-redis wraps redis-py's errors in ConnectionInterrupted; what it wraps decides
    (a reply Redis refuses is a fault of ours, not an outage)."""
    failure = sys.exc_info()[1]
    if isinstance(failure, ConnectionInterrupted):
        failure = failure.__cause__
    return isinstance(failure, UNAVAILABLE_ERRORS)


def _unavailable(request) -> HttpResponse:
    if _is_api(request):
        response = _api_error("service_unavailable", UNAVAILABLE, 503)
    else:
        # Rendered without the request: reading the member would need the database.
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


@requires_csrf_token
def server_error(request):
    if _database_unavailable():
        return _unavailable(request)
    if _is_api(request):
        return _api_error("server_error", SERVER_ERROR, 500)
    return defaults.server_error(request)
