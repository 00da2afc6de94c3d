"""The shared chart geometry: round axes, columns for one series or a group of them, and
horizontal bars, all inside their chart and in proportion to their figures."""

from itertools import pairwise

import pytest

from bestqm.charts import (
    COLUMN,
    MAX_LABELS,
    WIDTH,
    Series,
    bar_chart,
    column_chart,
    nice_axis,
)


@pytest.mark.parametrize(
    ("largest", "top", "step"),
    [(0, 1, 1), (1, 1, 1), (7, 8, 2), (10, 10, 2), (11, 15, 5), (99, 100, 20), (101, 150, 50)],
)
def test_the_axis_reaches_the_largest_value_in_at_most_five_round_steps(largest, top, step):
    axis = nice_axis(largest)
    assert (axis.top, axis.step) == (top, step)
    assert axis.ticks == tuple(range(0, top + 1, step))
    assert axis.ticks[0] == 0 and axis.ticks[-1] >= largest
    assert len(axis.ticks) - 1 <= 5


@pytest.mark.parametrize(
    ("largest", "ticks"),
    [
        (0, (0, 1)),
        (1, (0, 1)),
        (7, (0, 5, 10)),
        (10, (0, 5, 10)),
        (11, (0, 10, 20)),
        (99, (0, 50, 100)),
        (101, (0, 100, 200)),
        (40, (0, 20, 40)),
    ],
)
def test_an_axis_of_two_steps_has_its_middle_line_on_a_round_number(largest, ticks):
    assert nice_axis(largest, max_steps=2).ticks == ticks


def test_a_single_series_draws_one_column_per_label():
    points = [("1 Nov", 4), ("2 Nov", 0), ("3 Nov", 10)]
    chart = column_chart([(label, [value]) for label, value in points])

    assert (chart.width, chart.height) == (WIDTH, 220)
    assert chart.series == (COLUMN,)
    assert [g.label for g in chart.groups] == ["1 Nov", "2 Nov", "3 Nov"]
    assert [len(g.columns) for g in chart.groups] == [1, 1, 1]
    first, empty, tallest = chart.columns
    assert [t.value for t in chart.ticks] == [0, 2, 4, 6, 8, 10]
    assert chart.ticks[0].y == chart.baseline
    assert tallest.y == chart.ticks[-1].y  # the largest value reaches the axis' top
    assert first.height == pytest.approx(tallest.height * 4 / 10, abs=0.1)
    assert empty.height == 0 and empty.y == chart.baseline
    assert (first.label, empty.label) == ("1 Nov: 4", "2 Nov: 0")
    assert {c.css_class for c in chart.columns} == {"chart-column"}
    # Equal slots: each column centred under its label, all inside the plot.
    for group in chart.groups:
        (column,) = group.columns
        assert column.center == pytest.approx(group.x, abs=0.2)  # rounded to 0.1
        assert chart.plot_left <= column.x and column.x + column.width <= chart.plot_right
    assert chart.groups[1].x - chart.groups[0].x == pytest.approx(
        (chart.plot_right - chart.plot_left) / 3, abs=0.1
    )


def test_grouped_series_draw_their_columns_side_by_side_with_a_legend():
    series = (Series("Requests", "bar-requests"), Series("Rejected", "bar-rejected"))
    chart = column_chart([("2024 H1", [5, 1]), ("2024 H2", [3, 0])], series, width=None, max_bar=28)

    assert chart.series == series
    assert len(chart.groups) == 2 and len(chart.columns) == 4
    assert chart.plot_right - chart.plot_left >= 480  # a few groups still fill a chart
    for group in chart.groups:
        requests, rejected = group.columns
        assert (requests.css_class, rejected.css_class) == ("bar-requests", "bar-rejected")
        assert requests.x + requests.width < rejected.x  # side by side, not overlapping
        assert requests.width == rejected.width == 28  # capped by max_bar
        assert (requests.x + rejected.x + rejected.width) / 2 == pytest.approx(group.x, abs=0.2)
    h1_requests, h1_rejected, h2_requests, h2_rejected = chart.columns
    assert h1_requests.label == "2024 H1, requests: 5"
    assert h2_rejected.label == "2024 H2, rejected: 0"
    assert h1_rejected.x + h1_rejected.width < h2_requests.x
    assert [t.value for t in chart.ticks] == [0, 1, 2, 3, 4, 5]
    assert h2_requests.height == pytest.approx(h1_requests.height * 3 / 5, abs=0.1)
    assert h1_requests.value_y < h1_requests.y  # its figure is written above it


def test_many_groups_keep_their_columns_at_least_fourteen_wide():
    four = [Series(str(n), f"bar-{n}") for n in range(4)]
    chart = column_chart([(str(i), [1, 2, 3, 4]) for i in range(10)], four, width=None)
    assert min(c.width for c in chart.columns) >= 14
    previous_right = chart.plot_left
    for column in chart.columns:
        assert column.x >= previous_right
        previous_right = column.x + column.width
    assert previous_right <= chart.plot_right


@pytest.mark.parametrize(
    ("count", "shown"), [(1, 1), (7, 7), (10, 10), (11, 6), (30, 10), (84, 10)]
)
def test_labels_are_thinned_to_about_ten_evenly_always_keeping_the_last(count, shown):
    chart = column_chart([(f"day {i}", [i]) for i in range(count)])
    indices = [i for i, g in enumerate(chart.groups) if g.show_label]
    assert len(indices) == shown <= MAX_LABELS
    assert indices[-1] == count - 1
    assert len({b - a for a, b in pairwise(indices)}) <= 1  # evenly spaced


def test_an_empty_column_chart_still_has_a_scale():
    chart = column_chart([])
    assert chart.columns == () and chart.groups == ()
    assert [t.value for t in chart.ticks] == [0, 1]


def test_bars_are_as_long_as_their_value_against_the_largest():
    chart = bar_chart([("Firefox", 30), ("Chrome", 15), ("Edge", 5), ("Lynx", 0)])

    firefox, chrome, edge, lynx = chart.bars
    assert firefox.length == WIDTH - 200 - 120  # the largest fills the room for bars
    assert chrome.length == pytest.approx(firefox.length / 2, abs=0.1)
    assert edge.length == pytest.approx(firefox.length / 6, abs=0.1)
    assert lynx.length == 0
    assert [b.share for b in chart.bars] == [60.0, 30.0, 10.0, 0.0]
    assert [b.y for b in chart.bars] == [4, 30, 56, 82]  # one row each, in the order given
    assert chart.height == 4 * 26 + 8
    for bar in chart.bars:
        assert bar.value_x == chart.bar_x + bar.length + 6  # the figure just after the bar
        assert chart.bar_x + bar.length <= chart.width


def test_bars_of_nothing_are_empty_not_an_error():
    chart = bar_chart([("Firefox", 0)])
    (bar,) = chart.bars
    assert (bar.length, bar.share) == (0, 0.0)
