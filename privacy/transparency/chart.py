"""The transparency report's bar chart, laid out in Python and drawn by the template as
inline SVG: geometry in attributes, colours from classes in the app's own stylesheet, no
script and no inline style, so the page needs nothing from anywhere else and passes a
Content-Security-Policy without 'unsafe-inline'."""

from __future__ import annotations

import math
from dataclasses import dataclass

from privacy.transparency.report import HalfYearFigures, TransparencyReport

# (figure, legend label, CSS class), drawn left to right within each half-year.
SERIES = (
    ("requests", "Requests", "bar-requests"),
    ("with_data_disclosed", "Some data disclosed", "bar-disclosed"),
    ("rejected", "Rejected", "bar-rejected"),
    ("preservation_requests", "Preservation requests", "bar-preservation"),
)
HALF_YEARS_SHOWN = 10  # five years; the tables below the chart hold every half-year
BAR_GAP, GROUP_GAP = 2, 28
BAR_WIDTH_MIN, BAR_WIDTH_MAX = 14, 28
LEFT, RIGHT, TOP, BOTTOM = 40, 8, 18, 30
PLOT_HEIGHT, PLOT_WIDTH_MIN = 180, 480  # a few half-years get wider bars, not a tiny chart
MAX_TICKS = 5


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: int
    label: str
    css_class: str

    @property
    def center(self) -> float:
        return self.x + self.width / 2

    @property
    def value_y(self) -> float:
        """Where the figure is written: just above the bar."""
        return round(self.y - 4, 1)


@dataclass(frozen=True)
class Tick:
    y: float
    value: int


@dataclass(frozen=True)
class ColumnLabel:
    x: float
    text: str


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    plot_left: int
    plot_right: int
    baseline: float
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    columns: tuple[ColumnLabel, ...]
    legend: tuple[tuple[str, str], ...]  # (label, CSS class)
    first: str
    last: str


def _tick_step(largest: int) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50, ... that needs no more than MAX_TICKS steps."""
    magnitude = 1
    while True:
        for step in (magnitude, 2 * magnitude, 5 * magnitude):
            if math.ceil(largest / step) <= MAX_TICKS:
                return step
        magnitude *= 10


def bar_chart(report: TransparencyReport) -> BarChart:
    half_years: tuple[HalfYearFigures, ...] = report.chronological[-HALF_YEARS_SHOWN:]
    largest = max(getattr(h, name) for h in half_years for name, _, _ in SERIES)
    step = _tick_step(largest)
    top = max(step * math.ceil(largest / step), step)
    gaps = (len(SERIES) - 1) * BAR_GAP
    slot = max(PLOT_WIDTH_MIN / len(half_years), len(SERIES) * BAR_WIDTH_MIN + gaps + GROUP_GAP)
    bar_width = min(BAR_WIDTH_MAX, (slot - GROUP_GAP - gaps) // len(SERIES))
    group = len(SERIES) * bar_width + gaps
    width = round(LEFT + len(half_years) * slot + RIGHT)
    baseline = TOP + PLOT_HEIGHT

    def y_of(value: int) -> float:
        return round(baseline - value * PLOT_HEIGHT / top, 1)

    bars, columns = [], []
    for i, figures in enumerate(half_years):
        left = round(LEFT + i * slot + (slot - group) / 2, 1)
        columns.append(ColumnLabel(x=left + group / 2, text=figures.period.label))
        for j, (name, label, css_class) in enumerate(SERIES):
            value = getattr(figures, name)
            y = y_of(value)
            bars.append(
                Bar(
                    x=round(left + j * (bar_width + BAR_GAP), 1),
                    y=y,
                    width=bar_width,
                    height=round(baseline - y, 1),
                    value=value,
                    label=f"{figures.period.label}, {label.lower()}: {value}",
                    css_class=css_class,
                )
            )
    return BarChart(
        width=width,
        height=baseline + BOTTOM,
        plot_left=LEFT,
        plot_right=width - RIGHT,
        baseline=baseline,
        bars=tuple(bars),
        ticks=tuple(Tick(y=y_of(v), value=v) for v in range(0, top + 1, step)),
        columns=tuple(columns),
        legend=tuple((label, css_class) for _, label, css_class in SERIES),
        first=half_years[0].period.months,
        last=half_years[-1].period.months,
    )
