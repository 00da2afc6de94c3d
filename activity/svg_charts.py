"""Geometry of the dashboard's charts, drawn by the template as inline SVG.

Server-rendered SVG needs no script and no third party: the admin's strict content
policy holds, and staff browsers fetch nothing from elsewhere. Colours come from the
app's stylesheet (classes, no inline style). Every chart is paired with a table of its
numbers in the template, for screen readers and for copying.
"""

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 720


def _nice_ceiling(value: int) -> int:
    """The smallest 1, 2 or 5 times a power of ten that is at least `value` (axis top)."""
    if value <= 0:
        return 1
    magnitude = 1
    while magnitude * 10 <= value:
        magnitude *= 10
    for step in (1, 2, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    raise AssertionError("unreachable: 10 x magnitude exceeds value")


@dataclass(frozen=True)
class Column:
    label: str
    value: int
    x: float
    y: float
    width: float
    height: float
    label_x: float
    show_label: bool


@dataclass(frozen=True)
class Gridline:
    y: float
    label: str
    label_x: float


@dataclass(frozen=True)
class ColumnChart:
    columns: list[Column]
    gridlines: list[Gridline]
    width: int
    height: int
    plot_left: int
    plot_right: int
    baseline: float
    label_y: float


def column_chart(
    points: Sequence[tuple[str, int]], *, width: int = WIDTH, height: int = 220
) -> ColumnChart:
    """Vertical columns, one per point, on a 0-based axis with three gridlines. At most
    about ten x-axis labels are shown so that they never overlap."""
    left, right, top, bottom = 56, width - 8, 12, height - 30
    top_value = _nice_ceiling(max((value for _, value in points), default=0))
    slot = (right - left) / max(len(points), 1)
    every = max(1, -(-len(points) // 10))
    columns = []
    for index, (label, value) in enumerate(points):
        bar_height = (bottom - top) * value / top_value
        x = left + index * slot + slot * 0.15
        columns.append(
            Column(
                label=label,
                value=value,
                x=round(x, 1),
                y=round(bottom - bar_height, 1),
                width=round(slot * 0.7, 1),
                height=round(bar_height, 1),
                label_x=round(left + index * slot + slot / 2, 1),
                show_label=(len(points) - 1 - index) % every == 0,
            )
        )
    gridlines = [
        Gridline(
            y=round(bottom - (bottom - top) * share, 1),
            label=f"{top_value * share:,g}",
            label_x=left - 6,
        )
        for share in (0, 0.5, 1)
    ]
    return ColumnChart(
        columns=columns,
        gridlines=gridlines,
        width=width,
        height=height,
        plot_left=left,
        plot_right=right,
        baseline=bottom,
        label_y=height - 10,
    )


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
    """Horizontal bars, largest first as given, each labelled with its value and share."""
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
