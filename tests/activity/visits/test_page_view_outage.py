"""Page views survive a database outage: a batch the database refuses waits in the
process and is written once the database is back; past ACTIVITY_PAGE_VIEW_RETRY_ROWS the
oldest are dropped, counted in /healthz's detail for staff and logged. They never depend
on the broker: with one configured and away, every view is still written."""

import json
from contextlib import contextmanager

import pytest
from django.db import OperationalError, connection
from django.http import HttpResponse
from django.test import Client, RequestFactory

from activity.models import PageView
from activity.visits.buffer import hand_off
from activity.visits.middleware import page_view_of
from activity.visits.retry import waiting_views
from tests.accounts.factories import StaffFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _nothing_waits(settings):
    settings.ACTIVITY_PAGE_VIEW_RETRY_SECONDS = 0
    waiting_views.clear()
    yield
    waiting_views.clear()


@contextmanager
def database_down():
    """Every query fails the way a PostgreSQL restart makes it fail."""

    def refuse(execute, sql, params, many, context):
        raise OperationalError("server closed the connection unexpectedly")

    with connection.execute_wrapper(refuse):
        yield


def _view(path: str) -> dict:
    request = RequestFactory().get(path, REMOTE_ADDR="192.0.2.50")
    request.resolver_match = None
    return page_view_of(request, HttpResponse(content_type="text/html"))


def test_a_batch_the_database_refuses_waits_and_is_written_when_it_is_back(caplog):
    with database_down():
        hand_off([_view("/one/"), _view("/two/")])
    assert len(waiting_views) == 2
    assert "2 page views wait for the database (OperationalError)" in caplog.text
    assert "192.0.2.50" not in caplog.text

    hand_off([_view("/three/")])

    assert sorted(PageView.objects.values_list("path", flat=True)) == ["/one/", "/three/", "/two/"]
    assert len(waiting_views) == 0


def test_past_the_bound_the_oldest_are_dropped_counted_and_shown_to_staff(settings, caplog):
    settings.ACTIVITY_PAGE_VIEW_RETRY_ROWS = 3
    with database_down():
        hand_off([_view("/1/"), _view("/2/")])
        hand_off([_view("/3/"), _view("/4/")])
    assert len(waiting_views) == 3
    assert "1 page views were dropped" in caplog.text and "1 dropped in all" in caplog.text

    staff = Client()
    staff.force_login(StaffFactory(), backend="accounts.backends.LoginNameOrEmailBackend")
    detail = json.loads(staff.get("/healthz").content)["detail"]
    assert detail == {"page_views": {"waiting_here": 3, "dropped": 1}}
    assert "detail" not in json.loads(Client().get("/healthz").content)  # not for visitors

    # The quiet process's next request writes them, the newest three.
    Client().get("/healthz")
    assert sorted(PageView.objects.values_list("path", flat=True)) == ["/2/", "/3/", "/4/"]


def test_with_a_broker_configured_and_away_the_web_process_writes_every_view(settings):
    """Production settings (a broker, tasks not inline) with the broker unreachable, as in
    bench/fault_run.py's Redis stop: the views are in the database, none wait."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:9/0"  # the discard port: nobody there

    hand_off([_view("/a/"), _view("/b/")])

    assert sorted(PageView.objects.values_list("path", flat=True)) == ["/a/", "/b/"]
    assert len(waiting_views) == 0


UNREACHABLE_CACHE = {
    "BACKEND": "django_redis.cache.RedisCache",
    "LOCATION": "redis://127.0.0.1:9/0",
    "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.2},
}


def test_drops_while_the_cache_is_away_too_are_counted_once_it_is_back(settings, caplog):
    """Database and Redis down together: the drop cannot be counted in the cache then,
    so it waits in the process and is in the total staff see once the cache is back."""
    settings.ACTIVITY_PAGE_VIEW_RETRY_ROWS = 1
    working_caches = settings.CACHES
    settings.CACHES = {**working_caches, "default": UNREACHABLE_CACHE}
    with database_down():
        hand_off([_view("/1/"), _view("/2/"), _view("/3/")])
    assert "2 dropped page views could not be counted yet (ConnectionError)" in caplog.text

    settings.CACHES = working_caches
    staff = Client()
    staff.force_login(StaffFactory(), backend="accounts.backends.LoginNameOrEmailBackend")
    detail = json.loads(staff.get("/healthz").content)["detail"]
    assert detail["page_views"]["dropped"] == 2
    # Counted once: asking again adds nothing.
    assert json.loads(staff.get("/healthz").content)["detail"]["page_views"]["dropped"] == 2
