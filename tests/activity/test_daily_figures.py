"""A day's figures: what the roll-up stores and the dashboard draws."""

from datetime import UTC, date, datetime, timedelta

import pytest

from activity.daily_figures import figures_of_day
from activity.models import DailyFigure, RolledUpDay
from activity.retention import retention_run
from activity.selectors import dashboard
from tests.activity.factories import ClientSessionFactory, PageViewFactory

pytestmark = pytest.mark.django_db

Metric = DailyFigure.Metric
DAY = date(2026, 6, 10)  # a Wednesday
LATER = datetime(2026, 6, 20, 12, tzinfo=UTC)


def at(hour: float, day: date = DAY) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=hour)


def test_page_views_visitors_and_breakdowns():
    PageViewFactory.create_batch(3, occurred_at=at(9), visitor_hash="a" * 32)
    PageViewFactory(occurred_at=at(10), visitor_hash="b" * 32, browser_family="Chrome")
    PageViewFactory(occurred_at=at(23.99), visitor_hash="b" * 32, route="home")
    PageViewFactory(occurred_at=at(24), visitor_hash="c" * 32)  # the next day

    figures = figures_of_day(DAY, now=LATER)

    assert figures[Metric.PAGE_VIEWS, ""] == 5
    assert figures[Metric.VISITORS, ""] == 2
    assert figures[Metric.BROWSER, "Firefox"] == 4
    assert figures[Metric.BROWSER, "Chrome"] == 1
    assert figures[Metric.ROUTE, "directory:list"] == 4
    assert figures[Metric.ROUTE, "home"] == 1
    assert figures[Metric.DEVICE, "desktop"] == 5


def test_sessions_count_where_they_start_and_their_length_where_they_end():
    ClientSessionFactory.ended(started_at=at(1), length=timedelta(seconds=30))
    ClientSessionFactory.ended(
        started_at=at(2), length=timedelta(minutes=90), software_version="2.5.0"
    )
    ClientSessionFactory.ended(started_at=at(20), length=timedelta(hours=6), camera_type="Built-in")
    ClientSessionFactory.ended(started_at=at(-3), length=timedelta(hours=5))  # from the day before

    figures = figures_of_day(DAY, now=LATER)

    assert figures[Metric.SESSIONS, ""] == 3
    assert figures[Metric.CLIENT_VERSION, "2.4.1"] == 2
    assert figures[Metric.CLIENT_VERSION, "2.5.0"] == 1
    assert figures[Metric.CAMERA_TYPE, "Built-in"] == 1
    # Ended this day: 30 s, 90 min, and the 5 h one from the day before (not the 6 h one).
    assert figures[Metric.SESSIONS_ENDED, ""] == 3
    assert figures[Metric.SESSION_SECONDS, ""] == 30 + 90 * 60 + 5 * 3600
    assert figures[Metric.SESSION_LENGTH, "lt1m"] == 1
    assert figures[Metric.SESSION_LENGTH, "1-4h"] == 1
    assert figures[Metric.SESSION_LENGTH, "ge4h"] == 1


def test_peak_concurrent_sessions_count_overlaps_only():
    ClientSessionFactory.ended(started_at=at(8), length=timedelta(hours=4))  # 8-12
    ClientSessionFactory.ended(started_at=at(9), length=timedelta(hours=1))  # 9-10
    ClientSessionFactory.ended(started_at=at(9.5), length=timedelta(hours=2))  # 9:30-11:30
    ClientSessionFactory.ended(started_at=at(12), length=timedelta(hours=1))  # starts as 1st ends
    ClientSessionFactory.ended(started_at=at(-2), length=timedelta(hours=3))  # overnight, to 1

    assert figures_of_day(DAY, now=LATER)[Metric.PEAK_CONCURRENT, ""] == 3
    assert figures_of_day(DAY - timedelta(days=1), now=LATER)[Metric.PEAK_CONCURRENT, ""] == 1


def test_a_quiet_day_has_its_totals_as_zeros():
    figures = figures_of_day(DAY, now=LATER)

    assert figures == {
        (Metric.PAGE_VIEWS, ""): 0,
        (Metric.VISITORS, ""): 0,
        (Metric.SESSIONS, ""): 0,
        (Metric.PEAK_CONCURRENT, ""): 0,
    }


def test_the_dashboard_reads_rolled_up_days_and_computes_the_others_the_same_way():
    PageViewFactory.create_batch(2, occurred_at=at(9))
    PageViewFactory(occurred_at=at(9, DAY + timedelta(days=9)))
    live = dashboard(period="day", now=LATER)

    retention_run(now=LATER)
    assert RolledUpDay.objects.filter(day=DAY).exists()
    stored = dashboard(period="day", now=LATER)

    assert stored.totals == live.totals
    assert stored.series(Metric.PAGE_VIEWS)[-11] == (DAY, 2)
    assert stored.live_days == [LATER.date()]  # yesterday is final by noon
    assert len(stored.buckets) == 30


def test_a_week_sums_its_days_but_takes_its_busiest_moment():
    monday = date(2026, 6, 8)
    for offset in range(3):
        day = monday + timedelta(days=offset)
        PageViewFactory.create_batch(2, occurred_at=at(10, day))
        ClientSessionFactory.ended(started_at=at(10, day), length=timedelta(hours=1))
    ClientSessionFactory.ended(started_at=at(10, monday), length=timedelta(minutes=30))

    board = dashboard(period="week", now=LATER)

    week = dict(zip(board.buckets, range(len(board.buckets)), strict=True))[monday]
    assert board.totals[Metric.PAGE_VIEWS][week] == 6
    assert board.totals[Metric.SESSIONS][week] == 4
    assert board.totals[Metric.PEAK_CONCURRENT][week] == 2
    assert board.average_session_seconds[week] == round((3 * 3600 + 1800) / 4)
    assert board.breakdowns[Metric.CLIENT_VERSION] == [("2.4.1", 4)]
