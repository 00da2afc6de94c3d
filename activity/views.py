"""Browser pages of the activity app: the member's own usage history."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from activity.selectors import client_sessions_of, page_views_of

SESSIONS_PER_PAGE = 25
RECENT_VISITS = 50


@never_cache
@login_required
def usage_view(request):
    """What the service recorded about the member without them typing it: their client
    sessions and their latest visits, with how long each is kept. Only they see it."""
    sessions = Paginator(client_sessions_of(member=request.user), SESSIONS_PER_PAGE)
    return render(
        request,
        "activity/usage.html",
        {
            "sessions": sessions.get_page(request.GET.get("page")),
            "visits": page_views_of(member=request.user)[:RECENT_VISITS],
            "recent_visits": RECENT_VISITS,
            "ip_retention_days": settings.IP_RETENTION_DAYS,
            "event_retention_days": settings.ACTIVITY_EVENT_RETENTION_DAYS,
        },
    )
