"""Geometry of the server-drawn SVG charts: laid out in Python, drawn by templates as inline
SVG with colours from CSS classes, no script, no inline style.

A page that draws its charts this way fetches nothing from elsewhere and passes a
Content-Security-Policy without 'unsafe-inline'. The layouts here are pure numbers (SVG
user units): the template writes them into attributes, inside `{% localize off %}` so that
a coordinate is never "12,5". Every chart stands beside a table of its figures in its
template, for screen readers and for copying.

- `nice_axis`: a 0-based value axis with round ticks (1, 2 or 5 times a power of ten).
- `column_chart`: vertical columns, one group per x-axis position; a group holds one
  column per series (the activity dashboard has one series, the transparency report four).
- `bar_chart`: horizontal bars with their values and shares (the dashboard's breakdowns).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 720  # a chart's default width; templates scale it to the page with its viewBox

# --- The value axis -------------------------------------------------------------------------


@dataclass(frozen=True)
class Axis:
    top: int
    step: int

    @property
    def ticks(self) -> tuple[int, ...]:
        return tuple(range(0, self.top + 1, self.step))


def nice_axis(largest: int, *, max_steps: int = 5) -> Axis:
    """The axis for values up to `largest`: the smallest step of 1, 2, 5, 10, 20, 50, ...
    that reaches `largest` in at most `max_steps` steps, and the first multiple of it at
    or above `largest` as the top (one step when everything is zero)."""
    magnitude = 1
    while True:
        for step in (magnitude, 2 * magnitude, 5 * magnitude):
            steps = math.ceil(max(largest, 0) / step)
            if steps <= max_steps:
                return Axis(top=max(steps, 1) * step, step=step)
        magnitude *= 10


# --- Vertical columns ---------------------------------------------------------------------

RIGHT, BOTTOM = 8, 30  # margins right of and below the plot (the x-axis labels)
LABEL_BELOW = 18  # from the baseline to the x-axis labels' baseline
FILL = 0.7  # of each group's slot taken by its columns; the rest is the gap between groups
BAR_GAP = 2  # between the columns of one group
MIN_BAR, MIN_PLOT_WIDTH = 14, 480  # only for a chart as wide as its groups need (width=None)
MAX_LABELS = 10  # x-axis labels shown at most, so that they never overlap


@dataclass(frozen=True)
class Series:
    """One figure drawn in every group: its name (in the legend and in each column's title;
    empty for a chart of a single series) and the CSS class that colours it."""

    label: str
    css_class: str


COLUMN = Series(label="", css_class="chart-column")  # the series of a single-series chart


@dataclass(frozen=True)
class Column:
    x: float
    y: float
    width: float
    height: float
    value: int
    label: str  # its title: "5 Nov: 12", or "2024 H1, requests: 5" with a named series
    css_class: str

    @property
    def center(self) -> float:
        return round(self.x + self.width / 2, 1)

    @property
    def value_y(self) -> float:
        """Where the figure is written: just above the column."""
        return round(self.y - 4, 1)


@dataclass(frozen=True)
class Group:
    """One position on the x-axis: its label (centred at `x`, shown or thinned out) and a
    column per series, left to right."""

    label: str
    x: float
    show_label: bool
    columns: tuple[Column, ...]


@dataclass(frozen=True)
class Tick:
    y: float
    value: int

    @property
    def label(self) -> str:
        return f"{self.value:,}"


@dataclass(frozen=True)
class ColumnChart:
    width: int
    height: int
    plot_left: int
    plot_right: int
    baseline: float
    label_y: float  # the x-axis labels' baseline
    groups: tuple[Group, ...]
    ticks: tuple[Tick, ...]
    series: tuple[Series, ...]  # the legend

    @property
    def columns(self) -> tuple[Column, ...]:
        """Every column, group by group."""
        return tuple(column for group in self.groups for column in group.columns)

    @property
    def axis_x(self) -> int:
        """Where the tick labels end, right-aligned left of the plot."""
        return self.plot_left - 6


def column_chart(
    groups: Sequence[tuple[str, Sequence[int]]],
    series: Sequence[Series] = (COLUMN,),
    *,
    width: int | None = WIDTH,
    left: int = 56,
    top: int = 12,
    plot_height: int = 178,
    max_bar: float | None = None,
    max_steps: int = 5,
) -> ColumnChart:
    """Columns on a 0-based axis with round ticks: one group per (label, values) pair,
    holding one column per series (`values` in the order of `series`).

    With a `width`, the groups share it. With `width=None` the chart is as wide as its
    groups need: columns at least MIN_BAR wide, the plot at least MIN_PLOT_WIDTH (a few
    groups get wider columns, not a tiny chart). Columns are at most `max_bar` wide if
    given. About MAX_LABELS x-axis labels are shown, always the last one's."""
    count = max(len(groups), 1)
    gaps = (len(series) - 1) * BAR_GAP
    if width is None:
        slot = max(MIN_PLOT_WIDTH / count, (len(series) * MIN_BAR + gaps) / FILL)
        width = round(left + count * slot + RIGHT)
    else:
        slot = (width - left - RIGHT) / count
    bar_width = (slot * FILL - gaps) / len(series)
    if max_bar is not None:
        bar_width = min(bar_width, max_bar)
    group_width = len(series) * bar_width + gaps
    axis = nice_axis(
        max((value for _, values in groups for value in values), default=0), max_steps=max_steps
    )
    baseline = top + plot_height
    every = math.ceil(len(groups) / MAX_LABELS) or 1

    def y_of(value: int) -> float:
        return round(baseline - value * plot_height / axis.top, 1)

    laid_out = []
    for i, (label, values) in enumerate(groups):
        start = left + i * slot + (slot - group_width) / 2
        columns = []
        for j, (one, value) in enumerate(zip(series, values, strict=True)):
            y = y_of(value)
            columns.append(
                Column(
                    x=round(start + j * (bar_width + BAR_GAP), 1),
                    y=y,
                    width=round(bar_width, 1),
                    height=round(baseline - y, 1),
                    value=value,
                    label=(
                        f"{label}, {one.label.lower()}: {value}"
                        if one.label
                        else f"{label}: {value}"
                    ),
                    css_class=one.css_class,
                )
            )
        laid_out.append(
            Group(
                label=label,
                x=round(left + i * slot + slot / 2, 1),
                show_label=(len(groups) - 1 - i) % every == 0,
                columns=tuple(columns),
            )
        )
    return ColumnChart(
        width=width,
        height=baseline + BOTTOM,
        plot_left=left,
        plot_right=width - RIGHT,
        baseline=baseline,
        label_y=baseline + LABEL_BELOW,
        groups=tuple(laid_out),
        ticks=tuple(Tick(y=y_of(value), value=value) for value in axis.ticks),
        series=tuple(series),
    )


# --- Horizontal bars ----------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    share: float  # percent of the chart's total
    y: float
    length: float
    text_y: float
    value_x: float


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    width: int
    height: int
    bar_x: int
    label_x: int
    bar_height: int


def bar_chart(
    items: Sequence[tuple[str, int]], *, width: int = WIDTH, row: int = 26, label_width: int = 200
) -> BarChart:
    """Horizontal bars, in the order given (largest first, as a rule), each as long as its
    value against the largest and labelled with its value and its share of the total."""
    total = sum(value for _, value in items)
    largest = max((value for _, value in items), default=0) or 1
    room = width - label_width - 120
    bars = []
    for index, (label, value) in enumerate(items):
        length = round(room * value / largest, 1)
        bars.append(
            Bar(
                label=label,
                value=value,
                share=round(100 * value / total, 1) if total else 0.0,
                y=index * row + 4,
                length=length,
                text_y=index * row + row / 2 + 4,
                value_x=label_width + length + 6,
            )
        )
    return BarChart(
        bars=bars,
        width=width,
        height=len(items) * row + 8,
        bar_x=label_width,
        label_x=label_width - 8,
        bar_height=row - 8,
    )
