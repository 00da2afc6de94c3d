"""A day's figures, computed from the raw events: what the roll-up stores and what the
dashboard shows for days not rolled up yet. Days are UTC days.

Page views count on the day they happened; client sessions count as started on the day
they started and as ended (with their length) on the day they ended, so a day's figures
are complete soon after it is over, whatever time a session began.
"""

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta

from django.db.models import Count, Min

from activity.models import ClientSession, DailyFigure, PageView

Metric = DailyFigure.Metric

# Lengths of ended sessions, as (key, label, upper bound in seconds).
SESSION_LENGTHS = (
    ("lt1m", "under a minute", 60),
    ("1-10m", "1 to 10 minutes", 600),
    ("10-60m", "10 to 60 minutes", 3600),
    ("1-4h", "1 to 4 hours", 4 * 3600),
    ("ge4h", "4 hours or more", None),
)
SESSION_LENGTH_LABELS = {key: label for key, label, _ in SESSION_LENGTHS}
# A week's figure is the sum of its days', except for these (the week's highest day).
TAKES_MAXIMUM = frozenset({Metric.PEAK_CONCURRENT})
# Always present for a day, zero included, so that charts show a quiet day as zero.
TOTALS = (Metric.PAGE_VIEWS, Metric.VISITORS, Metric.SESSIONS, Metric.PEAK_CONCURRENT)

Figures = dict[tuple[str, str], int]


def earliest_raw_day() -> date | None:
    """The first day any raw event still kept happened on."""
    firsts = [
        PageView.objects.aggregate(first=Min("occurred_at"))["first"],
        ClientSession.objects.aggregate(first=Min("started_at"))["first"],
    ]
    firsts = [f for f in firsts if f is not None]
    return min(firsts).astimezone(UTC).date() if firsts else None


def day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time.min, tzinfo=UTC)
    return start, start + timedelta(days=1)


def _session_length_key(seconds: float) -> str:
    for key, _, upper in SESSION_LENGTHS:
        if upper is None or seconds < upper:
            return key
    raise AssertionError("the last bucket has no upper bound")


def _peak_concurrent(start: datetime, end: datetime, now: datetime) -> int:
    """The most sessions open at one moment of [start, end): a sweep over the moments
    sessions open and close. A session still open runs to its last heartbeat (it may yet
    be declared silent); one that ends exactly as another starts does not overlap it."""
    spans = ClientSession.objects.filter(started_at__lt=end, last_seen_at__gte=start)
    moments = []
    for opened, last_seen, ended in spans.values_list("started_at", "last_seen_at", "ended_at"):
        closed = ended or last_seen
        moments.append((max(opened, start), 1))
        moments.append((min(closed, end, now), -1))
    running = peak = 0
    for _, step in sorted(moments):  # at equal moments -1 sorts first
        running += step
        peak = max(peak, running)
    return peak


def figures_of_day(day: date, *, now: datetime) -> Figures:
    start, end = day_bounds(day)
    figures: Figures = {(metric, ""): 0 for metric in TOTALS}

    views = PageView.objects.filter(occurred_at__gte=start, occurred_at__lt=end)
    figures[Metric.PAGE_VIEWS, ""] = views.count()
    figures[Metric.VISITORS, ""] = views.values("visitor_hash").distinct().count()
    for field, metric in (
        ("browser_family", Metric.BROWSER),
        ("os_family", Metric.OS),
        ("device_type", Metric.DEVICE),
        ("route", Metric.ROUTE),
    ):
        for key, count in views.order_by().values_list(field).annotate(n=Count("id")):
            figures[metric, key] = count

    started = ClientSession.objects.filter(started_at__gte=start, started_at__lt=end)
    figures[Metric.SESSIONS, ""] = started.count()
    for field, metric in (
        ("software_version", Metric.CLIENT_VERSION),
        ("camera_type", Metric.CAMERA_TYPE),
    ):
        for key, count in started.order_by().values_list(field).annotate(n=Count("id")):
            figures[metric, key] = count

    ended = ClientSession.objects.filter(ended_at__gte=start, ended_at__lt=end)
    lengths = Counter()
    total_seconds = 0
    for opened, closed in ended.values_list("started_at", "ended_at"):
        seconds = (closed - opened).total_seconds()
        total_seconds += seconds
        lengths[_session_length_key(seconds)] += 1
    if lengths:
        figures[Metric.SESSIONS_ENDED, ""] = sum(lengths.values())
        figures[Metric.SESSION_SECONDS, ""] = round(total_seconds)
        for key, count in lengths.items():
            figures[Metric.SESSION_LENGTH, key] = count

    figures[Metric.PEAK_CONCURRENT, ""] = _peak_concurrent(start, end, now)
    return figures
