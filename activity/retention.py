"""Retention of activity data, as declared in activity/privacy.py:

1. open client sessions whose client stopped reporting are ended at their last heartbeat;
2. every finished day is rolled up into DailyFigure rows (which name no one) and its
   visitor salt deleted;
3. raw events older than ACTIVITY_EVENT_RETENTION_DAYS are deleted, if their day is
   rolled up: on PostgreSQL a month partition wholly past that date goes at once (dropped),
   the month that straddles it is trimmed row by row (activity.partitions);
4. addresses older than IP_RETENTION_DAYS are shortened to their /24 (IPv4) or /48
   (IPv6) network.

The job first creates the month partitions of the coming months (PostgreSQL).

Data under an active legal hold for its category (by member, or by address and time
window) is left alone by 3 and 4. Work is done in batches, each in its own short
transaction (a lock lasts one batch), so the job can be interrupted at any point and run
again: every step only looks for what is still to do.
"""

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, connection, models, transaction
from django.db.models import Q
from django.utils import timezone

from activity.daily_figures import day_bounds, earliest_raw_day, figures_of_day
from activity.ip_networks import (
    TRUNCATED_PREFIX,
    TruncatedAddress,
    address_in,
    parse_network,
    truncated_address,
)
from activity.models import ClientSession, DailyFigure, PageView, RolledUpDay, VisitorSalt
from activity.partitions import month_partitions, partition_drop, partitions_create_ahead
from activity.services import client_sessions_close_stale
from privacy.holds.selectors import held_ip_windows, held_member_ids
from privacy.registry import Category

DEFAULT_BATCH_SIZE = 5000


class _Progress:
    """What the job reports to: tqdm in the command, nothing in the scheduled task."""

    def update(self, n: int = 1) -> None: ...


ProgressFactory = Callable[..., AbstractContextManager]


def no_progress(*, total: int, desc: str) -> AbstractContextManager:
    return nullcontext(_Progress())


@dataclass
class RetentionReport:
    sessions_closed: int = 0
    days_rolled_up: int = 0
    addresses_truncated: int = 0
    page_views_deleted: int = 0
    sessions_deleted: int = 0
    partitions_created: int = 0
    partitions_dropped: int = 0


# --- Days ------------------------------------------------------------------------------


def last_final_day(now: datetime) -> date:
    """The latest day whose figures can no longer change: over, and over for longer than
    a silent session takes to be declared ended (plus the page view buffer's wait)."""
    settle = ClientSession.timeout() + timedelta(minutes=10)
    return (now - settle).astimezone(UTC).date() - timedelta(days=1)


def days_to_roll_up(now: datetime) -> list[date]:
    """Final days not rolled up yet, from the first day with raw events on."""
    first, last = earliest_raw_day(), last_final_day(now)
    if first is None or first > last:
        return []
    rolled = set(RolledUpDay.objects.filter(day__gte=first).values_list("day", flat=True))
    days = (first + timedelta(days=n) for n in range((last - first).days + 1))
    return [day for day in days if day not in rolled]


def roll_up_day(day: date, *, now: datetime) -> bool:
    """Store one final day's figures; False when another run already did."""
    figures = figures_of_day(day, now=now)
    try:
        with transaction.atomic():
            RolledUpDay.objects.create(day=day, rolled_up_at=now)
            DailyFigure.objects.filter(day=day).delete()
            DailyFigure.objects.bulk_create(
                DailyFigure(day=day, metric=metric, key=key, value=value)
                for (metric, key), value in figures.items()
            )
            VisitorSalt.objects.filter(day=day).delete()
    except IntegrityError:
        return False
    return True


def days_roll_up(*, now: datetime, progress: ProgressFactory = no_progress) -> int:
    days = days_to_roll_up(now)
    done = 0
    with progress(total=len(days), desc="Rolling up days") as bar:
        for day in days:
            done += roll_up_day(day, now=now)
            bar.update(1)
    # Salts of final days are no longer needed, including one a late view made again.
    VisitorSalt.objects.filter(day__lte=last_final_day(now)).delete()
    return done


def _first_unrolled_day(now: datetime) -> date:
    pending = days_to_roll_up(now)
    return pending[0] if pending else last_final_day(now) + timedelta(days=1)


# --- Legal holds ------------------------------------------------------------------------


def _held(category: Category, start_field: str, end_field: str) -> Q | None:
    """Rows under an active hold of `category`: the member's, or an address of a held
    network active in the hold's window ([start_field, end_field] overlaps it). A
    shortened address is held when its network overlaps the held one: it may be the held
    address, and preserving too much is the safe side."""
    conditions = []
    members = held_member_ids(category=category)
    if members:
        conditions.append(Q(member_id__in=members))
    for network, start, end in held_ip_windows(category=category):
        try:
            net = parse_network(network)
        except ValueError:
            continue
        address = address_in(net)
        if net.prefixlen > TRUNCATED_PREFIX[net.version]:
            shortened = truncated_address(str(net.network_address))
            address |= Q(ip_truncated=True, ip_address=shortened)
        window = Q()
        if start is not None:
            window &= Q(**{f"{end_field}__gte": start})
        if end is not None:
            window &= Q(**{f"{start_field}__lte": end})
        conditions.append(address & window)
    if not conditions:
        return None
    held = conditions[0]
    for condition in conditions[1:]:
        held |= condition
    return held


def _not_held(queryset: models.QuerySet, category: Category, start_field: str, end_field: str):
    held = _held(category, start_field, end_field)
    return queryset if held is None else queryset.exclude(held)


# --- Batches -------------------------------------------------------------------------------


def _in_batches(
    candidates: Callable[[], models.QuerySet],
    apply: Callable[[list], int],
    *,
    time_field: str,
    newest_first: bool,
    batch_size: int,
    progress: ProgressFactory,
    desc: str,
) -> int:
    """Take up to batch_size keys of what is still to do, apply the change to them in one
    short transaction, repeat until nothing is left. The candidates are asked afresh for
    every batch, so holds placed meanwhile count; each batch starts where the last one
    stopped in time, so a long backlog is walked once, not once per batch."""
    order_by = f"-{time_field}" if newest_first else time_field
    beyond = f"{time_field}__{'lte' if newest_first else 'gte'}"
    done, boundary = 0, None
    with progress(total=candidates().count(), desc=desc) as bar:
        while True:
            todo = candidates()
            if boundary is not None:
                todo = todo.filter(**{beyond: boundary})
            rows = list(todo.order_by(order_by).values_list("pk", time_field)[:batch_size])
            if not rows:
                return done
            keys = [pk for pk, _ in rows]
            boundary = rows[-1][1]
            with transaction.atomic():
                done += apply(keys)
            bar.update(len(keys))


# (model, field of its start, field of its end, category) of the raw events.
_RAW_EVENTS = (
    (PageView, "occurred_at", "occurred_at", Category.AGGREGATE),
    (ClientSession, "started_at", "last_seen_at", Category.SYSTEM),
)


def addresses_truncate(
    *, now: datetime, batch_size: int = DEFAULT_BATCH_SIZE, progress=no_progress
) -> int:
    cutoff = now - timedelta(days=settings.IP_RETENTION_DAYS)
    done = 0
    for model, time_field, end_field, category in _RAW_EVENTS:

        def candidates(model=model, time_field=time_field, end_field=end_field, category=category):
            due = model.objects.filter(ip_truncated=False, **{f"{time_field}__lt": cutoff})
            return _not_held(due, category, time_field, end_field)

        def apply(keys, model=model):
            return model.objects.filter(pk__in=keys).update(
                ip_address=TruncatedAddress("ip_address"), ip_truncated=True
            )

        done += _in_batches(
            candidates,
            apply,
            # Newest first: older addresses were shortened by earlier runs, so walking the
            # time index back from the cutoff meets the ones still to do at once (no
            # index of unshortened rows to keep up on every insert).
            time_field=time_field,
            newest_first=True,
            batch_size=batch_size,
            progress=progress,
            desc=f"Shortening addresses of {model._meta.verbose_name_plural}",
        )
    return done


def _partitions_drop_past(model, time_field, end_field, category, before) -> tuple[int, int]:
    """Drop each month partition of `model` that ends by `before` and holds nothing held
    or still to keep (a session open, or ended since); returns (partitions, rows)."""
    dropped = rows = 0
    for partition in month_partitions(model._meta.db_table):
        if partition.end > before:
            break
        in_month = model.objects.filter(
            **{f"{time_field}__gte": partition.start, f"{time_field}__lt": partition.end}
        )
        held = _held(category, time_field, end_field)
        if held is not None and in_month.filter(held).exists():
            continue  # trimmed row by row below, the held rows kept
        if (
            model is ClientSession
            and in_month.filter(
                Q(status=ClientSession.Status.OPEN) | Q(ended_at__gte=before)
            ).exists()
        ):
            continue
        with transaction.atomic():
            with connection.cursor() as cursor:  # no row arrives between count and drop
                cursor.execute(
                    f"LOCK TABLE {connection.ops.quote_name(partition.name)} "
                    "IN ACCESS EXCLUSIVE MODE"
                )
            rows += in_month.count()
            partition_drop(partition.name)
        dropped += 1
    return dropped, rows


def raw_events_purge(
    *,
    now: datetime,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress=no_progress,
    report: RetentionReport | None = None,
) -> tuple[int, int]:
    """Delete raw events past their retention whose day is rolled up; returns (page
    views, sessions) deleted. A session goes once it has ended, and its end day is
    rolled up too."""
    cutoff = now - timedelta(days=settings.ACTIVITY_EVENT_RETENTION_DAYS)
    rolled_before, _ = day_bounds(_first_unrolled_day(now))
    before = min(cutoff, rolled_before)
    deleted = []
    for model, time_field, end_field, category in _RAW_EVENTS:
        partitions, rows = _partitions_drop_past(model, time_field, end_field, category, before)
        if report is not None:
            report.partitions_dropped += partitions

        def candidates(model=model, time_field=time_field, end_field=end_field, category=category):
            due = model.objects.filter(**{f"{time_field}__lt": before})
            if model is ClientSession:
                due = due.exclude(status=ClientSession.Status.OPEN).filter(ended_at__lt=before)
            return _not_held(due, category, time_field, end_field)

        def apply(keys, model=model):
            return model.objects.filter(pk__in=keys).delete()[0]

        deleted.append(
            rows
            + _in_batches(
                candidates,
                apply,
                time_field=time_field,
                newest_first=False,
                batch_size=batch_size,
                progress=progress,
                desc=f"Deleting old {model._meta.verbose_name_plural}",
            )
        )
    return deleted[0], deleted[1]


def retention_run(
    *,
    now: datetime | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: ProgressFactory = no_progress,
) -> RetentionReport:
    """The whole job, in order. Safe to interrupt and to run again at any time."""
    now = now or timezone.now()
    report = RetentionReport()
    report.partitions_created = partitions_create_ahead(now=now)
    report.sessions_closed = client_sessions_close_stale(now=now)
    report.days_rolled_up = days_roll_up(now=now, progress=progress)
    # Deletion first: there is no point shortening addresses that are about to go.
    report.page_views_deleted, report.sessions_deleted = raw_events_purge(
        now=now, batch_size=batch_size, progress=progress, report=report
    )
    report.addresses_truncated = addresses_truncate(
        now=now, batch_size=batch_size, progress=progress
    )
    return report
