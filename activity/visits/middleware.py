"""Records page views ('Aggregate Data': browser type and IP address).

A page view is a successful GET answered with an HTML page. Static files, /healthz, the
API, the admin's scripts and anything else that is not a page are not recorded (the first
two are skipped before anything else is looked at). The path is kept without its query
string, which may hold what someone searched for.
"""

import logging
import time

from django.conf import settings
from django.db import transaction

from activity.services import page_views_store
from activity.visits.buffer import hand_off, page_view_buffer
from activity.visits.user_agents import MAX_USER_AGENT

logger = logging.getLogger(__name__)

MAX_PATH = 200
MAX_ROUTE = 100


def page_view_of(request, response) -> dict | None:
    """The view to record for this request and response, or None when it is no page
    view. Plain values only: the batch may travel through the task broker."""
    if request.method != "GET" or response.status_code != 200:
        return None
    if not response.get("Content-Type", "").startswith("text/html"):
        return None
    user = getattr(request, "user", None)
    match = request.resolver_match
    return {
        "at": time.time(),
        "member": user.pk if user is not None and user.is_authenticated else None,
        # The address is worked out when the batch is written, from these two headers,
        # by bestqm.http.client_ip: parsing it is a third of this middleware's time.
        "remote_addr": request.META.get("REMOTE_ADDR", ""),
        "forwarded_for": request.META.get("HTTP_X_FORWARDED_FOR", ""),
        # PostgreSQL refuses NUL in text; a path may carry one, percent-encoded.
        "user_agent": request.META.get("HTTP_USER_AGENT", "")[:MAX_USER_AGENT].replace("\x00", ""),
        "path": request.path[:MAX_PATH].replace("\x00", ""),
        "route": (match.view_name if match else "")[:MAX_ROUTE],
    }


class PageViewMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        static = "/" + settings.STATIC_URL.lstrip("/")
        self.skipped = (static, "/healthz")

    def __call__(self, request):
        response = self.get_response(request)
        try:
            self._record(request, response)
        except Exception as exc:
            # Counting visits never costs anyone their page. No detail: an error message
            # could carry the address.
            logger.warning("A page view was not recorded (%s).", type(exc).__name__)
        return response

    def _record(self, request, response) -> None:
        view = None
        if not request.path.startswith(self.skipped):
            view = page_view_of(request, response)
        if view is not None and transaction.get_connection().in_atomic_block:
            # The request already runs in a transaction (ATOMIC_REQUESTS, or a test's):
            # the row joins it and commits or rolls back with it; there is no commit to
            # save by buffering.
            with transaction.atomic():
                page_views_store(views=[view])
            return
        hand_off(page_view_buffer.add(view) if view is not None else page_view_buffer.due())
