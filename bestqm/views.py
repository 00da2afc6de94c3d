from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache


def home(request):
    return render(request, "home.html")


def favicon(request):
    """Browsers and feed readers ask for /favicon.ico whatever the page links to."""
    return redirect(static("img/favicon.ico"))


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:
        return False


def _cache_ok() -> bool:
    try:
        cache.set("healthz", "ok", 5)
        return cache.get("healthz") == "ok"
    except Exception:
        return False


def _broker_status() -> str:
    if not settings.CELERY_BROKER_URL:
        return "inline"
    try:
        from bestqm.celery import app

        # The configured URL, read now: a broker named in the settings is the one checked.
        with app.connection_for_write(settings.CELERY_BROKER_URL) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return "ok"
    except Exception:
        return "unavailable"


def _is_staff(request) -> bool:
    try:
        return bool(request.user.is_staff)  # the session is read from the database
    except Exception:
        return False


def _staff_detail() -> dict:
    """What staff read beyond the verdict: page views waiting in this process for the
    database or broker, and how many were dropped past the bound (every process)."""
    from activity.visits.retry import dropped_total, waiting_views

    return {"page_views": {"waiting_here": len(waiting_views), "dropped": dropped_total()}}


@never_cache
def healthz(request):
    """Database, cache and broker health, for load balancers. Names no host or secret.
    A signed-in staff member also gets the detail (`detail`)."""
    report = {
        "database": "ok" if _database_ok() else "unavailable",
        "cache": "ok" if _cache_ok() else "unavailable",
        "broker": _broker_status(),
    }
    healthy = all(v in ("ok", "inline") for v in report.values())
    body = {"status": "ok" if healthy else "degraded", **report}
    if report["database"] == "ok" and _is_staff(request):
        body["detail"] = _staff_detail()
    return JsonResponse(body, status=200 if healthy else 503)
