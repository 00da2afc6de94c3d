"""Page views: what the middleware records, what it leaves alone, and how it writes."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import Client
from django.utils import timezone

from activity.models import DeviceType, PageView, VisitorSalt
from activity.services import page_views_store
from activity.visits.buffer import flush_page_views, page_view_buffer
from activity.visits.middleware import page_view_of
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0"
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1"
)


def test_a_members_page_view_records_browser_system_device_address_path_and_time(
    member_client, member
):
    before = timezone.now()
    response = member_client.get(
        "/directory/?q=rosalind", HTTP_USER_AGENT=SAFARI_IPHONE, REMOTE_ADDR="192.0.2.10"
    )

    assert response.status_code == 200
    view = PageView.objects.get()
    assert view.member == member
    assert (view.browser_family, view.browser_version) == ("Mobile Safari", "17")
    assert view.os_family == "iOS"
    assert view.device_type == DeviceType.MOBILE
    assert view.ip_address == "192.0.2.10"
    assert view.path == "/directory/"  # the search is not kept
    assert view.route == "directory:list"
    assert before <= view.occurred_at <= timezone.now()
    assert len(view.visitor_hash) == 32


def test_a_visitors_page_view_has_no_member_and_the_header_itself_is_not_kept(client):
    client.get("/", HTTP_USER_AGENT=FIREFOX_WINDOWS, REMOTE_ADDR="192.0.2.11")

    view = PageView.objects.get()
    assert view.member is None
    assert (view.browser_family, view.os_family, view.device_type) == (
        "Firefox",
        "Windows",
        DeviceType.DESKTOP,
    )
    stored = " ".join(str(v) for v in PageView.objects.values_list().get())
    assert "Gecko/20100101" not in stored and "Win64" not in stored


def test_what_is_not_a_page_view_is_not_recorded(member_client, client, member):
    member_client.get("/static/css/bestqm.css")
    member_client.get("/healthz")
    member_client.get("/api/v1/directory/")
    member_client.get("/api/schema/")
    member_client.get("/no-such-page/")  # 404
    member_client.get("/accounts/login/")  # a redirect for the signed-in member
    member_client.post("/accounts/", {})  # a form post, not a view
    client.get("/admin/jsi18n/")  # the admin's script (a redirect to its login)
    client.head("/")

    assert not PageView.objects.exists()


def test_visitor_hashes_tell_visitors_apart_without_the_address(client):
    for address, agent in [
        ("192.0.2.1", FIREFOX_WINDOWS),
        ("192.0.2.1", FIREFOX_WINDOWS),
        ("192.0.2.1", SAFARI_IPHONE),
        ("192.0.2.2", FIREFOX_WINDOWS),
    ]:
        client.get("/", HTTP_USER_AGENT=agent, REMOTE_ADDR=address)

    hashes = list(PageView.objects.order_by("id").values_list("visitor_hash", flat=True))
    assert hashes[0] == hashes[1]
    assert len(set(hashes)) == 3
    assert not any("192.0.2" in h for h in hashes)


def test_an_absurdly_long_header_is_cut_not_fatal(client):
    response = client.get("/", HTTP_USER_AGENT="x" * 5000, REMOTE_ADDR="192.0.2.12")

    assert response.status_code == 200
    assert PageView.objects.get().browser_family == "Other"


def test_views_of_a_member_deleted_while_the_batch_waited_are_dropped():
    gone = UserFactory()
    view = {
        "at": timezone.now().timestamp(),
        "remote_addr": "192.0.2.13",
        "forwarded_for": "",
        "user_agent": FIREFOX_WINDOWS,
        "path": "/",
        "route": "home",
    }
    gone_id = gone.pk
    gone.delete()

    written = page_views_store(views=[{**view, "member": gone_id}, {**view, "member": None}])

    assert written == 1
    assert PageView.objects.get().member is None


def test_awkward_text_and_missing_values_are_stored_exactly():
    """Batches are written by COPY on PostgreSQL and a multi-row INSERT elsewhere: quotes,
    commas, tabs, newlines and backslashes survive, and an absent member or address is
    stored as none, an empty route as empty."""
    path = '/a,"b"\tc\\d\ne/'
    written = page_views_store(
        views=[
            {
                "at": timezone.now().timestamp(),
                "member": None,
                "remote_addr": "",
                "forwarded_for": "",
                "user_agent": "",
                "path": path,
                "route": "",
            }
        ]
    )

    assert written == 1
    view = PageView.objects.get()
    assert (view.path, view.route, view.member_id, view.ip_address) == (path, "", None, None)


def test_a_nul_in_the_path_is_dropped_before_it_reaches_the_database(rf):
    request = rf.get("/x%00y/")
    request.user = AnonymousUser()
    response = HttpResponse("<p>page</p>")

    assert page_view_of(request, response)["path"] == "/xy/"


def _view(at, **values):
    return {
        "at": at.timestamp(),
        "member": None,
        "remote_addr": "192.0.2.30",
        "forwarded_for": "",
        "user_agent": FIREFOX_WINDOWS,
        "path": "/",
        "route": "home",
        **values,
    }


def test_the_same_visitor_gets_another_hash_the_next_day_and_no_address_is_in_it():
    today = timezone.now()
    page_views_store(views=[_view(today - timedelta(days=1)), _view(today), _view(today)])

    yesterday, now, again = PageView.objects.order_by("occurred_at").values_list(
        "visitor_hash", flat=True
    )
    assert now == again
    assert yesterday != now
    assert VisitorSalt.objects.count() == 2


# --- The buffer, as it runs in production: outside any transaction -------------------------


@pytest.mark.django_db(transaction=True)
def test_views_wait_in_the_buffer_until_a_batch_is_full(settings):
    settings.ACTIVITY_PAGE_VIEW_BATCH_SIZE = 3
    settings.ACTIVITY_PAGE_VIEW_BATCH_SECONDS = 3600
    browser = Client()

    browser.get("/", REMOTE_ADDR="192.0.2.20")
    browser.get("/directory/", REMOTE_ADDR="192.0.2.20")
    assert PageView.objects.count() == 0
    assert len(page_view_buffer) == 2

    browser.get("/", REMOTE_ADDR="192.0.2.20")
    assert PageView.objects.count() == 3
    assert len(page_view_buffer) == 0


@pytest.mark.django_db(transaction=True)
def test_a_quiet_process_writes_its_views_at_the_next_request_of_any_kind(settings):
    settings.ACTIVITY_PAGE_VIEW_BATCH_SIZE = 100
    settings.ACTIVITY_PAGE_VIEW_BATCH_SECONDS = 3600
    browser = Client()
    browser.get("/", REMOTE_ADDR="192.0.2.21")
    browser.get("/healthz")
    assert PageView.objects.count() == 0

    settings.ACTIVITY_PAGE_VIEW_BATCH_SECONDS = 0  # the oldest view has now waited long enough
    browser.get("/healthz")  # not a page view, but it flushes the buffer

    assert PageView.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_failure_to_record_never_costs_the_page_and_logs_no_address(settings, caplog):
    settings.ACTIVITY_PAGE_VIEW_BATCH_SIZE = None  # a broken configuration

    response = Client().get("/", REMOTE_ADDR="192.0.2.99")

    assert response.status_code == 200
    assert "A page view was not recorded (TypeError)." in caplog.text
    assert "192.0.2.99" not in caplog.text


@pytest.mark.django_db(transaction=True)
def test_flushing_writes_everything_buffered_at_once(settings):
    settings.ACTIVITY_PAGE_VIEW_BATCH_SIZE = 100
    settings.ACTIVITY_PAGE_VIEW_BATCH_SECONDS = 3600
    browser = Client()
    for _ in range(5):
        browser.get("/", REMOTE_ADDR="192.0.2.22")
    assert PageView.objects.count() == 0

    assert flush_page_views() == 5

    assert PageView.objects.count() == 5
    assert flush_page_views() == 0
