"""Reads of the activity app: a member's own usage history, the staff dashboard's figures,
and the IP trace the legal workflow runs."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from django.db.models import Count, Max, Min, Q, QuerySet
from django.utils import timezone

from activity.daily_figures import (
    SESSION_LENGTH_LABELS,
    SESSION_LENGTHS,
    TAKES_MAXIMUM,
    Figures,
    earliest_raw_day,
    figures_of_day,
)
from activity.ip_networks import TRUNCATED_PREFIX, address_in, parse_network
from activity.models import ClientSession, DailyFigure, PageView, RolledUpDay

Metric = DailyFigure.Metric

# --- The member's own history -------------------------------------------------------------


def client_sessions_of(*, member) -> QuerySet[ClientSession]:
    return ClientSession.objects.filter(member=member).order_by("-started_at", "-pk")


def client_session_of(*, member, session_id: str) -> ClientSession | None:
    """The member's session with this id; None for a malformed id or anyone else's."""
    try:
        key = uuid.UUID(str(session_id))
    except ValueError:
        return None
    return ClientSession.objects.filter(pk=key, member=member).first()


def page_views_of(*, member) -> QuerySet[PageView]:
    return PageView.objects.filter(member=member).order_by("-occurred_at", "-pk")


def open_sessions_count(*, now: datetime | None = None) -> int:
    """Sessions whose client reported within the timeout: running now."""
    now = now or timezone.now()
    return ClientSession.objects.filter(
        status=ClientSession.Status.OPEN, last_seen_at__gte=now - ClientSession.timeout()
    ).count()


# --- The staff dashboard --------------------------------------------------------------------

PERIODS = {"day": ("Per day", 30), "week": ("Per week", 12)}
# Breakdowns show their largest entries; the rest are summed as this.
BREAKDOWN_SIZE = 8
REST = "All others"


@dataclass
class Dashboard:
    period: str
    buckets: list[date]
    totals: dict[str, list[int]]
    breakdowns: dict[str, list[tuple[str, int]]]
    session_lengths: list[tuple[str, int]]
    average_session_seconds: list[int | None]
    live_days: list[date] = field(default_factory=list)

    def series(self, metric: str) -> list[tuple[date, int]]:
        return list(zip(self.buckets, self.totals[metric], strict=True))


def _bucket_of(day: date, period: str) -> date:
    return day if period == "day" else day - timedelta(days=day.weekday())


def _figures_by_day(first: date, last: date, *, now: datetime) -> tuple[dict[date, Figures], list]:
    """Stored figures of rolled-up days; the others computed from raw events as asked
    (normally only today and yesterday, when the scheduled roll-up runs)."""
    rolled = set(RolledUpDay.objects.filter(day__range=(first, last)).values_list("day", flat=True))
    by_day: dict[date, Figures] = defaultdict(dict)
    stored = DailyFigure.objects.filter(day__in=rolled).values_list("day", "metric", "key", "value")
    for day, metric, key, value in stored:
        by_day[day][metric, key] = value
    earliest = earliest_raw_day()
    live = []
    day = first
    while day <= last:
        if day not in rolled and earliest is not None and day >= earliest:
            by_day[day] = figures_of_day(day, now=now)
            live.append(day)
        day += timedelta(days=1)
    return by_day, live


def dashboard(*, period: str = "day", now: datetime | None = None) -> Dashboard:
    """Figures per day (the last 30) or per ISO week (the last 12), up to today."""
    now = now or timezone.now()
    today = now.astimezone(UTC).date()
    _, count = PERIODS[period]
    last_bucket = _bucket_of(today, period)
    step = timedelta(days=1 if period == "day" else 7)
    buckets = [last_bucket - step * n for n in reversed(range(count))]
    by_day, live = _figures_by_day(buckets[0], today, now=now)

    combined: dict[date, Figures] = {b: {} for b in buckets}
    for day, figures in by_day.items():
        target = combined[_bucket_of(day, period)]
        for (metric, key), value in figures.items():
            if metric in TAKES_MAXIMUM:
                target[metric, key] = max(target.get((metric, key), 0), value)
            else:
                target[metric, key] = target.get((metric, key), 0) + value

    totals = {
        metric: [combined[b].get((metric, ""), 0) for b in buckets]
        for metric in (
            Metric.PAGE_VIEWS,
            Metric.VISITORS,
            Metric.SESSIONS,
            Metric.PEAK_CONCURRENT,
            Metric.SESSIONS_ENDED,
            Metric.SESSION_SECONDS,
        )
    }
    average = [
        round(seconds / ended) if ended else None
        for seconds, ended in zip(
            totals[Metric.SESSION_SECONDS], totals[Metric.SESSIONS_ENDED], strict=True
        )
    ]
    whole_range: dict[tuple[str, str], int] = defaultdict(int)
    for figures in combined.values():
        for (metric, key), value in figures.items():
            if metric not in TAKES_MAXIMUM:
                whole_range[metric, key] += value
    breakdowns = {
        metric: _largest(
            [(key, value) for (m, key), value in whole_range.items() if m == metric and value]
        )
        for metric in (
            Metric.BROWSER,
            Metric.OS,
            Metric.DEVICE,
            Metric.ROUTE,
            Metric.CLIENT_VERSION,
            Metric.CAMERA_TYPE,
        )
    }
    lengths = [
        (SESSION_LENGTH_LABELS[key], whole_range.get((Metric.SESSION_LENGTH, key), 0))
        for key, _, _ in SESSION_LENGTHS
    ]
    return Dashboard(
        period=period,
        buckets=buckets,
        totals=totals,
        breakdowns=breakdowns,
        session_lengths=lengths,
        average_session_seconds=average,
        live_days=live,
    )


def _largest(items: list[tuple[str, int]]) -> list[tuple[str, int]]:
    items = sorted(items, key=lambda item: (-item[1], item[0]))
    if len(items) <= BREAKDOWN_SIZE:
        return items
    kept, rest = items[: BREAKDOWN_SIZE - 1], items[BREAKDOWN_SIZE - 1 :]
    return [*kept, (REST, sum(value for _, value in rest))]


# --- IP trace (for the legal workflow) -------------------------------------------------------


@dataclass(frozen=True)
class AccountSeen:
    """An account that used the traced address or network in the window."""

    member_id: int
    first_seen: datetime
    last_seen: datetime
    page_views: int
    client_sessions: int


@dataclass(frozen=True)
class AddressSeen:
    """An address an account used in the window. `truncated`: only its network is kept
    (older than IP_RETENTION_DAYS), shown as the network's first address."""

    ip_address: str
    truncated: bool
    first_seen: datetime
    last_seen: datetime
    page_views: int
    client_sessions: int


def _window(start: datetime, end: datetime) -> None:
    if timezone.is_naive(start) or timezone.is_naive(end):
        raise ValueError("The window's ends must carry a time zone.")
    if start > end:
        raise ValueError("The window ends before it starts.")


def _address_in(network: str) -> Q:
    """Rows whose address lies in the network. A shortened address only counts when the
    network is at least as wide as what was kept (/24, /48): inside a narrower one it
    might or might not have been, and a trace names no one on a maybe."""
    net = parse_network(network)
    inside = address_in(net)
    if net.prefixlen > TRUNCATED_PREFIX[net.version]:
        inside &= Q(ip_truncated=False)
    return inside


def _merge(rows_by_source, key) -> dict:
    """Per key(row): first and last use over both sources, and the count from each."""
    merged: dict = {}
    for source, rows in rows_by_source:
        for row in rows:
            seen = merged.setdefault(
                key(row),
                {"first": row["first"], "last": row["last"], "page_views": 0, "client_sessions": 0},
            )
            seen["first"] = min(seen["first"], row["first"])
            seen["last"] = max(seen["last"], row["last"])
            seen[source] += row["n"]
    return merged


def accounts_seen_at(*, network: str, start: datetime, end: datetime) -> list[AccountSeen]:
    """Accounts that used an address, or any address of a network ("198.51.100.0/24"),
    between start and end: signed-in page views and client sessions open in the window.
    Raises ValueError for a malformed network or window. Ordered by first use."""
    _window(start, end)
    inside = _address_in(network)
    views = (
        PageView.objects.filter(inside, occurred_at__gte=start, occurred_at__lte=end)
        .exclude(member=None)
        .values("member_id")
        .annotate(first=Min("occurred_at"), last=Max("occurred_at"), n=Count("pk"))
        .order_by()
    )
    sessions = (
        ClientSession.objects.filter(inside, started_at__lte=end, last_seen_at__gte=start)
        .values("member_id")
        .annotate(first=Min("started_at"), last=Max("last_seen_at"), n=Count("pk"))
        .order_by()
    )
    merged = _merge(
        [("page_views", views), ("client_sessions", sessions)], lambda row: row["member_id"]
    )
    found = [
        AccountSeen(
            member_id=key,
            first_seen=s["first"],
            last_seen=s["last"],
            page_views=s["page_views"],
            client_sessions=s["client_sessions"],
        )
        for key, s in merged.items()
    ]
    return sorted(found, key=lambda a: (a.first_seen, a.member_id))


def addresses_used_by(*, member, start: datetime, end: datetime) -> list[AddressSeen]:
    """Addresses an account used between start and end, in page views and client
    sessions. Raises ValueError for a malformed window. Ordered by first use."""
    _window(start, end)
    views = (
        PageView.objects.filter(member=member, occurred_at__gte=start, occurred_at__lte=end)
        .exclude(ip_address=None)
        .values("ip_address", "ip_truncated")
        .annotate(first=Min("occurred_at"), last=Max("occurred_at"), n=Count("pk"))
        .order_by()
    )
    sessions = (
        ClientSession.objects.filter(member=member, started_at__lte=end, last_seen_at__gte=start)
        .exclude(ip_address=None)
        .values("ip_address", "ip_truncated")
        .annotate(first=Min("started_at"), last=Max("last_seen_at"), n=Count("pk"))
        .order_by()
    )
    merged = _merge(
        [("page_views", views), ("client_sessions", sessions)],
        lambda row: (row["ip_address"], row["ip_truncated"]),
    )
    found = [
        AddressSeen(
            ip_address=address,
            truncated=truncated,
            first_seen=s["first"],
            last_seen=s["last"],
            page_views=s["page_views"],
            client_sessions=s["client_sessions"],
        )
        for (address, truncated), s in merged.items()
    ]
    return sorted(found, key=lambda a: (a.first_seen, a.ip_address))
