from dataclasses import dataclass

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path

from activity.daily_figures import SESSION_LENGTHS
from activity.models import ActivityDashboard, ClientSession, DailyFigure, DeviceType
from activity.selectors import PERIODS, dashboard, open_sessions_count
from activity.templatetags.activity_format import duration_text
from bestqm.admin import ReadOnlyAdmin
from bestqm.charts import BarChart, ColumnChart, bar_chart, column_chart
from privacy.admin_masking import RegistryMaskedAdmin

Metric = DailyFigure.Metric


@dataclass(frozen=True)
class ChartSection:
    """One chart of the dashboard with the table of its numbers."""

    slug: str
    title: str
    note: str
    columns: ColumnChart | None = None
    bars: BarChart | None = None
    rows: tuple[tuple[str, str], ...] = ()


def _bucket_label(day, period: str) -> str:
    return f"{day:%-d %b}" if period == "day" else f"Week of {day:%-d %b}"


def _columns(slug, title, note, labels, values, shown=None) -> ChartSection:
    shown = shown or [f"{v:,}" for v in values]
    return ChartSection(
        slug=slug,
        title=title,
        note=note,
        # Three gridlines (0, middle, top) suit a card this small.
        columns=column_chart(
            [(label, [value]) for label, value in zip(labels, values, strict=True)], max_steps=2
        ),
        rows=tuple(zip(labels, shown, strict=True)),
    )


def _bars(slug, title, note, items, empty) -> ChartSection:
    if not items or not any(value for _, value in items):
        return ChartSection(slug=slug, title=title, note=empty)
    chart = bar_chart(items)
    rows = tuple((bar.label, f"{bar.value:,} ({bar.share:g} %)") for bar in chart.bars)
    return ChartSection(slug=slug, title=title, note=note, bars=chart, rows=rows)


def dashboard_sections(board) -> list[ChartSection]:
    period = board.period
    per = "day" if period == "day" else "week"
    labels = [_bucket_label(b, period) for b in board.buckets]
    visitors_note = (
        "Counted from a hash whose salt changes daily and is then deleted, never from addresses."
    )
    if period == "week":
        visitors_note += " A week adds up its days: a visitor on two days counts twice."
    device_labels = dict(DeviceType.choices)
    average_minutes = [round((s or 0) / 60) for s in board.average_session_seconds]
    return [
        _columns(
            "page-views",
            "Page views",
            f"Pages served per {per}.",
            labels,
            board.totals[Metric.PAGE_VIEWS],
        ),
        _columns(
            "visitors", "Distinct visitors", visitors_note, labels, board.totals[Metric.VISITORS]
        ),
        _bars(
            "browsers",
            "Browser share",
            "Page views by browser over the whole period.",
            board.breakdowns[Metric.BROWSER],
            "No page views in this period.",
        ),
        _bars(
            "devices",
            "Device types",
            "Page views by kind of device.",
            [(device_labels.get(k, k), v) for k, v in board.breakdowns[Metric.DEVICE]],
            "No page views in this period.",
        ),
        _bars(
            "systems",
            "Operating systems",
            "Page views by operating system.",
            board.breakdowns[Metric.OS],
            "No page views in this period.",
        ),
        _columns(
            "sessions",
            "Client sessions",
            f"Sessions of the BestQM software started per {per}.",
            labels,
            board.totals[Metric.SESSIONS],
        ),
        _columns(
            "concurrent",
            "Concurrent sessions",
            f"The most sessions open at the same moment in each {per}.",
            labels,
            board.totals[Metric.PEAK_CONCURRENT],
        ),
        _bars(
            "versions",
            "Client versions",
            "Sessions started, by software version.",
            board.breakdowns[Metric.CLIENT_VERSION],
            "No client sessions in this period.",
        ),
        _bars(
            "cameras",
            "Camera types",
            "Sessions started, by camera type.",
            board.breakdowns[Metric.CAMERA_TYPE],
            "No client sessions in this period.",
        ),
        _bars(
            "durations",
            "Session durations",
            "Sessions ended in the period, by length.",
            board.session_lengths,
            "No client session ended in this period.",
        ),
        _columns(
            "average-duration",
            "Average session length",
            f"Mean length of the sessions ended in each {per}, in minutes on the axis.",
            labels,
            average_minutes,
            shown=[duration_text(s) if s else "—" for s in board.average_session_seconds],
        ),
    ]


@admin.register(ActivityDashboard)
class ActivityDashboardAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """Aggregate figures for staff: no member, no address, only counts per day or week."""

    def get_urls(self):
        # The dashboard is the only page: a single daily figure has nothing to show.
        view = self.admin_site.admin_view(self.changelist_view)
        name = f"{self.opts.app_label}_{self.opts.model_name}_changelist"
        return [path("", view, name=name)]

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        period = request.GET.get("period", "day")
        if period not in PERIODS:
            period = "day"
        board = dashboard(period=period)
        context = {
            **self.admin_site.each_context(request),
            "title": "Activity dashboard",
            "opts": self.opts,
            "period": period,
            "periods": [(key, label) for key, (label, _) in PERIODS.items()],
            "sections": dashboard_sections(board),
            "open_now": open_sessions_count(),
            "live_days": board.live_days,
            "session_lengths": SESSION_LENGTHS,
        }
        return TemplateResponse(request, "activity/admin/dashboard.html", context)


@admin.register(ClientSession)
class ClientSessionAdmin(ReadOnlyAdmin, RegistryMaskedAdmin):
    """Client sessions, read-only: support sees how the software runs (version, camera,
    times), the privacy officer also the address and serial. Every opening is logged.
    Only the client software opens sessions; erasure and retention delete them."""

    list_display = ("__str__", "member", "status", "started_at", "ended_at", "software_version")
    list_filter = ("status",)
    search_fields = ("=member__login_name",)
    ordering = ("-started_at",)
    show_full_result_count = False
    fieldsets = (
        (
            "Session",
            {
                "fields": (
                    "member",
                    "status",
                    "started_at",
                    "last_seen_at",
                    "ended_at",
                    "software_version",
                    "camera_type",
                    "serial",
                    "ip_address",
                    "ip_truncated",
                )
            },
        ),
    )
