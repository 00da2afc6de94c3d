"""Monthly partitions of page views and client sessions (PostgreSQL): created ahead by
the retention job, a month past retention dropped whole, the straddling month trimmed,
held rows kept. SQLite keeps plain tables."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from activity.models import ClientSession, PageView
from activity.partitions import (
    default_name,
    is_partitioned,
    month_partitions,
    partition_create,
    partition_name,
)
from activity.retention import retention_run
from privacy.holds.models import LegalHold
from tests.activity.factories import ClientSessionFactory, PageViewFactory

pytestmark = pytest.mark.django_db
on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="partitions exist on PostgreSQL only"
)

# Retention 180 days before 15 June 2026 ends on 17 December 2025: November 2025 is wholly
# past it, December 2025 straddles it.
NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)
NOV, DEC = datetime(2025, 11, 1, tzinfo=UTC), datetime(2025, 12, 1, tzinfo=UTC)
PV, CS = PageView._meta.db_table, ClientSession._meta.db_table


@pytest.fixture(autouse=True)
def _retention(settings):
    settings.IP_RETENTION_DAYS = 90
    settings.ACTIVITY_EVENT_RETENTION_DAYS = 180


def _rows_in(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
        return cursor.fetchone()[0]


def _names(table: str) -> set[str]:
    return {p.name for p in month_partitions(table)}


def _old_months():
    """Rows in November and December 2025, and those months' partitions."""
    views = {
        "nov": PageViewFactory.create_batch(3, occurred_at=NOV + timedelta(days=10)),
        "dec_early": PageViewFactory.create_batch(2, occurred_at=DEC + timedelta(days=5)),
        "dec_late": PageViewFactory.create_batch(2, occurred_at=DEC + timedelta(days=25)),
    }
    sessions = [
        ClientSessionFactory.ended(started_at=NOV + timedelta(days=3), length=timedelta(hours=1))
        for _ in range(2)
    ]
    for table in (PV, CS):
        for month in (NOV, DEC):
            partition_create(table, month)
    return views, sessions


@on_postgres
def test_both_tables_are_partitioned_by_month_with_a_default_partition():
    assert is_partitioned(PV) and is_partitioned(CS)
    this_month = datetime(timezone.now().year, timezone.now().month, 1, tzinfo=UTC)
    assert partition_name(PV, this_month) in _names(PV)
    # A row of a month without its partition is kept in the default partition ...
    PageViewFactory(occurred_at=NOV + timedelta(days=1))
    assert _rows_in(default_name(PV)) == 1
    # ... and moves into that month's partition once it is made.
    assert partition_create(PV, NOV) is True
    assert partition_create(PV, NOV) is False
    assert _rows_in(default_name(PV)) == 0
    assert _rows_in(partition_name(PV, NOV)) == 1
    assert PageView.objects.count() == 1


@on_postgres
def test_the_retention_job_creates_the_coming_months_ahead():
    report = retention_run(now=datetime(2027, 9, 20, tzinfo=UTC))
    for table in (PV, CS):
        for month in (9, 10, 11, 12):
            assert partition_name(table, datetime(2027, month, 1, tzinfo=UTC)) in _names(table)
    assert report.partitions_created == 8
    assert retention_run(now=datetime(2027, 9, 20, tzinfo=UTC)).partitions_created == 0


@on_postgres
def test_a_month_past_retention_is_dropped_whole_and_the_straddling_month_trimmed():
    views, _ = _old_months()

    report = retention_run(now=NOW)

    assert partition_name(PV, NOV) not in _names(PV)
    assert partition_name(CS, NOV) not in _names(CS)
    assert partition_name(PV, DEC) in _names(PV)
    assert report.partitions_dropped == 2
    # December: the days before the retention date go, the later ones stay.
    kept = set(PageView.objects.values_list("pk", flat=True))
    assert kept == {v.pk for v in views["dec_late"]}
    assert report.page_views_deleted == 5 and report.sessions_deleted == 2
    assert not ClientSession.objects.exists()


@on_postgres
def test_a_month_holding_held_rows_is_not_dropped_and_keeps_them(member):
    views, _ = _old_months()
    held = PageViewFactory(occurred_at=NOV + timedelta(days=12), member=member)
    LegalHold.objects.create(
        reason="Court order 2026-17",
        expires_at=timezone.now() + timedelta(days=365),
        member=member,
        categories=["aggregate"],
    )

    report = retention_run(now=NOW)

    assert partition_name(PV, NOV) in _names(PV)
    assert set(PageView.objects.values_list("pk", flat=True)) == {held.pk} | {
        v.pk for v in views["dec_late"]
    }
    assert report.page_views_deleted == 5


@on_postgres
def test_addresses_are_still_shortened_in_a_partition():
    partition_create(PV, datetime(2026, 2, 1, tzinfo=UTC))
    view = PageViewFactory(occurred_at=datetime(2026, 2, 10, tzinfo=UTC), ip_address="198.51.100.7")
    retention_run(now=NOW)
    view.refresh_from_db()
    assert (view.ip_address, view.ip_truncated) == ("198.51.100.0", True)


def test_sqlite_keeps_plain_tables():
    if connection.vendor == "postgresql":
        pytest.skip("the PostgreSQL tests above cover it")
    assert not is_partitioned(PV) and month_partitions(PV) == []
    assert retention_run(now=NOW).partitions_created == 0
