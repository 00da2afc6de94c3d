"""Retention: shortened addresses, daily roll-ups, deletion, legal holds, and a job that
may be interrupted and run again."""

from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone

from activity.models import ClientSession, DailyFigure, PageView, RolledUpDay, VisitorSalt
from activity.retention import last_final_day, retention_run
from activity.tasks import apply_activity_retention
from activity.visits.visitor_hashes import salt_of
from privacy.holds.models import LegalHold
from privacy.registry import Category
from tests.activity.factories import ClientSessionFactory, PageViewFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)


def days_ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


def _hold(**fields):
    return LegalHold.objects.create(
        reason="Court order 2026-17", expires_at=timezone.now() + timedelta(days=365), **fields
    )


@pytest.fixture(autouse=True)
def _at_noon(settings):
    settings.IP_RETENTION_DAYS = 90
    settings.ACTIVITY_EVENT_RETENTION_DAYS = 180


def test_addresses_past_their_retention_are_shortened_to_their_network():
    old_v4 = PageViewFactory(occurred_at=days_ago(91), ip_address="198.51.100.77")
    old_v6 = PageViewFactory(occurred_at=days_ago(100), ip_address="2001:db8:abcd:12::5")
    recent = PageViewFactory(occurred_at=days_ago(89), ip_address="198.51.100.78")
    old_session = ClientSessionFactory.ended(
        started_at=days_ago(95), length=timedelta(hours=1), ip_address="203.0.113.9"
    )

    report = retention_run(now=NOW)

    assert report.addresses_truncated == 3
    for row, shortened in (
        (old_v4, "198.51.100.0"),
        (old_v6, "2001:db8:abcd::"),
        (old_session, "203.0.113.0"),
    ):
        row.refresh_from_db()
        assert (row.ip_address, row.ip_truncated) == (shortened, True)
    recent.refresh_from_db()
    assert (recent.ip_address, recent.ip_truncated) == ("198.51.100.78", False)


def test_finished_days_are_rolled_up_once_and_their_visitor_salts_deleted():
    yesterday = NOW.date() - timedelta(days=1)
    at_yesterday = datetime.combine(yesterday, datetime.min.time(), tzinfo=UTC)
    PageViewFactory.create_batch(3, occurred_at=at_yesterday + timedelta(hours=9))
    PageViewFactory(occurred_at=NOW - timedelta(minutes=5))  # today: not final yet
    salt_of(yesterday)
    salt_of(NOW.date())

    assert retention_run(now=NOW).days_rolled_up == 1
    assert retention_run(now=NOW).days_rolled_up == 0

    assert last_final_day(NOW) == yesterday
    assert list(RolledUpDay.objects.values_list("day", flat=True)) == [yesterday]
    figure = DailyFigure.objects.get(day=yesterday, metric="page_views")
    assert figure.value == 3
    assert not DailyFigure.objects.filter(day=NOW.date()).exists()
    assert list(VisitorSalt.objects.values_list("day", flat=True)) == [NOW.date()]


def test_yesterday_is_not_final_until_a_silent_session_could_have_been_declared_ended():
    just_after_midnight = datetime(2026, 6, 15, 0, 5, tzinfo=UTC)
    assert last_final_day(just_after_midnight) == datetime(2026, 6, 13).date()
    an_hour_later = just_after_midnight + timedelta(hours=1)
    assert last_final_day(an_hour_later) == datetime(2026, 6, 14).date()


def test_raw_events_past_retention_are_deleted_and_their_figures_stay():
    old_view = PageViewFactory(occurred_at=days_ago(181))
    kept_view = PageViewFactory(occurred_at=days_ago(179))
    old_session = ClientSessionFactory.ended(started_at=days_ago(200), length=timedelta(hours=2))
    still_open = ClientSessionFactory(started_at=days_ago(200), last_seen_at=NOW)

    report = retention_run(now=NOW)

    assert (report.page_views_deleted, report.sessions_deleted) == (1, 1)
    assert not PageView.objects.filter(pk=old_view.pk).exists()
    assert PageView.objects.filter(pk=kept_view.pk).exists()
    assert not ClientSession.objects.filter(pk=old_session.pk).exists()
    assert ClientSession.objects.filter(pk=still_open.pk).exists()
    old_day = old_view.occurred_at.date()
    assert DailyFigure.objects.get(day=old_day, metric="page_views").value == 1


def test_raw_events_of_a_day_not_rolled_up_are_never_deleted(settings):
    settings.ACTIVITY_EVENT_RETENTION_DAYS = 0  # everything is past retention
    view = PageViewFactory(occurred_at=NOW - timedelta(minutes=30))  # today: not final

    retention_run(now=NOW)

    assert PageView.objects.filter(pk=view.pk).exists()


def test_data_of_a_member_under_a_legal_hold_is_neither_shortened_nor_deleted(member):
    _hold(member=member, categories=[Category.AGGREGATE, Category.SYSTEM])
    held_view = PageViewFactory(member=member, occurred_at=days_ago(200))
    held_session = ClientSessionFactory.ended(
        member=member, started_at=days_ago(200), length=timedelta(hours=1)
    )
    other_view = PageViewFactory(occurred_at=days_ago(200))

    retention_run(now=NOW)

    held_view.refresh_from_db()
    held_session.refresh_from_db()
    assert held_view.ip_truncated is False and held_session.ip_truncated is False
    assert not PageView.objects.filter(pk=other_view.pk).exists()


def test_a_hold_covers_only_its_categories(member):
    _hold(member=member, categories=[Category.SYSTEM])
    view = PageViewFactory(member=member, occurred_at=days_ago(200))
    session = ClientSessionFactory.ended(
        member=member, started_at=days_ago(200), length=timedelta(hours=1)
    )

    retention_run(now=NOW)

    assert not PageView.objects.filter(pk=view.pk).exists()
    assert ClientSession.objects.filter(pk=session.pk).exists()


def test_a_hold_on_a_network_keeps_its_addresses_in_its_window_only():
    _hold(
        ip_network="198.51.100.0/25",
        window_start=days_ago(150),
        window_end=days_ago(120),
        categories=[Category.AGGREGATE, Category.SYSTEM],
    )
    in_window = PageViewFactory(occurred_at=days_ago(130), ip_address="198.51.100.7")
    outside_network = PageViewFactory(occurred_at=days_ago(130), ip_address="198.51.100.200")
    before_window = PageViewFactory(occurred_at=days_ago(160), ip_address="198.51.100.8")
    session_across = ClientSessionFactory.ended(
        started_at=days_ago(151), length=timedelta(days=2), ip_address="198.51.100.9"
    )

    retention_run(now=NOW)

    for row in (in_window, session_across):
        row.refresh_from_db()
        assert row.ip_truncated is False
    outside_network.refresh_from_db()
    before_window.refresh_from_db()
    assert outside_network.ip_truncated and before_window.ip_truncated


def test_an_address_shortened_before_a_narrow_hold_is_kept_as_it_may_be_the_held_one(settings):
    view = PageViewFactory(occurred_at=days_ago(200), ip_address="198.51.100.7")
    settings.ACTIVITY_EVENT_RETENTION_DAYS = 365
    retention_run(now=NOW)
    view.refresh_from_db()
    assert (view.ip_address, view.ip_truncated) == ("198.51.100.0", True)

    _hold(ip_network="198.51.100.7", categories=[Category.AGGREGATE])
    settings.ACTIVITY_EVENT_RETENTION_DAYS = 180
    retention_run(now=NOW)

    assert PageView.objects.filter(pk=view.pk).exists()


def test_an_expired_or_released_hold_protects_nothing(member):
    LegalHold.objects.create(
        member=member,
        categories=[Category.AGGREGATE],
        reason="Expired",
        expires_at=timezone.now() - timedelta(days=1),
    )
    view = PageViewFactory(member=member, occurred_at=days_ago(200))

    retention_run(now=NOW)

    assert not PageView.objects.filter(pk=view.pk).exists()


def test_silent_sessions_are_ended_at_their_last_heartbeat(settings):
    settings.ACTIVITY_SESSION_TIMEOUT_SECONDS = 900
    silent = ClientSessionFactory(
        started_at=NOW - timedelta(hours=2), last_seen_at=NOW - timedelta(minutes=20)
    )
    alive = ClientSessionFactory(
        started_at=NOW - timedelta(hours=2), last_seen_at=NOW - timedelta(minutes=1)
    )

    assert retention_run(now=NOW).sessions_closed == 1

    silent.refresh_from_db()
    alive.refresh_from_db()
    assert silent.status == ClientSession.Status.TIMED_OUT
    assert silent.ended_at == NOW - timedelta(minutes=20)
    assert alive.status == ClientSession.Status.OPEN


class InterruptAfter:
    """A progress bar that stops the job (like Ctrl-C) after `batches` batches."""

    def __init__(self, batches: int):
        self.left = batches

    def __call__(self, *, total, desc):
        return self

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def update(self, n=1):
        self.left -= 1
        if self.left < 0:
            raise KeyboardInterrupt


AGES = (10, 9, 8.5, 8, 6, 5, 4.5, 3, 2, 1.5)


def _build():
    """The same data every time: two views and a session on each of several days."""
    for n, days in enumerate(AGES):
        for host in (1, 2):
            PageViewFactory(occurred_at=days_ago(days), ip_address=f"198.51.{n}.{host}")
        ClientSessionFactory.ended(
            started_at=days_ago(days), length=timedelta(minutes=30), ip_address=f"203.0.{n}.9"
        )


def _state():
    """What the tables hold, without their keys (rebuilt rows get new ones)."""
    return (
        sorted(PageView.objects.values_list("occurred_at", "ip_address", "ip_truncated")),
        sorted(ClientSession.objects.values_list("started_at", "ip_address", "ip_truncated")),
        sorted(DailyFigure.objects.values_list("day", "metric", "key", "value")),
        sorted(RolledUpDay.objects.values_list("day", flat=True)),
    )


class CountBatches(InterruptAfter):
    def __init__(self):
        super().__init__(batches=10**9)

    @property
    def counted(self):
        return 10**9 - self.left


def test_the_job_can_be_interrupted_anywhere_and_run_again_to_the_same_end(settings):
    settings.IP_RETENTION_DAYS = 4
    settings.ACTIVITY_EVENT_RETENTION_DAYS = 7
    _build()
    counter = CountBatches()
    retention_run(now=NOW, batch_size=3, progress=counter)
    expected = _state()
    assert len(expected[0]) == 12  # the views of the six youngest days are left
    assert sum(truncated for *_, truncated in expected[0]) == 6  # three days are older than 4
    # Ten days rolled up, five batches deleted, three batches of addresses shortened.
    assert counter.counted == 18

    for stop_after in range(counter.counted):
        for model in (PageView, ClientSession, DailyFigure, RolledUpDay):
            model.objects.all().delete()
        _build()
        with pytest.raises(KeyboardInterrupt):
            retention_run(now=NOW, batch_size=3, progress=InterruptAfter(stop_after))
        if stop_after < counter.counted - 1:  # the last stop comes after the last batch
            assert _state() != expected, "the job was stopped before it was done"

        retention_run(now=NOW, batch_size=3)

        assert _state() == expected, stop_after


def test_the_command_reports_what_it_did(capsys):
    PageViewFactory(occurred_at=timezone.now() - timedelta(days=200))

    call_command("activity_retention", "--batch-size", "10")

    out = capsys.readouterr()
    assert "deleted 1 page views" in out.out
    assert "Deleting old page views" in out.err  # the progress bar


def test_the_command_can_run_quietly_and_refuses_an_empty_batch(capsys):
    call_command("activity_retention", "--no-progress")
    assert capsys.readouterr().err == ""
    with pytest.raises(CommandError, match="at least 1"):
        call_command("activity_retention", "--batch-size", "0")


def test_the_scheduled_task_runs_the_job_hourly():
    entry = settings.CELERY_BEAT_SCHEDULE["activity-retention"]
    assert entry["task"] == apply_activity_retention.name
    assert entry["schedule"] == timedelta(hours=1)
    PageViewFactory(occurred_at=timezone.now() - timedelta(days=200))

    apply_activity_retention.delay()  # inline: no broker in the tests

    assert not PageView.objects.exists()
