"""The report's chart: bars in proportion to their figures against an axis with round
ticks, whatever the figures (all zero included)."""

import pytest

from privacy.transparency.chart import (
    HALF_YEARS_SHOWN,
    SERIES,
    charted_half_years,
    report_chart,
)
from privacy.transparency.report import transparency_report_compute
from tests.privacy.transparency.factories import LegalRequestFactory, utc

pytestmark = pytest.mark.django_db
NOW = utc(2025, 9, 1)  # the last ended half-year is 2025 H1


def _chart():
    return report_chart(charted_half_years(transparency_report_compute(now=NOW)))


def test_bars_are_in_proportion_to_their_figures():
    for day in range(1, 8):
        LegalRequestFactory(received_at=utc(2025, 1, day), rejected=day <= 2)
    chart = _chart()
    requests, disclosed, rejected, preservation = chart.columns
    assert (requests.value, disclosed.value, rejected.value, preservation.value) == (7, 0, 2, 0)
    assert [t.value for t in chart.ticks] == [0, 2, 4, 6, 8]
    assert requests.height == pytest.approx(7 / 8 * (chart.baseline - chart.ticks[-1].y))
    assert rejected.height == pytest.approx(requests.height * 2 / 7, abs=0.1)
    assert disclosed.height == 0 and disclosed.y == chart.baseline
    assert requests.y + requests.height == pytest.approx(chart.baseline)


def test_with_nothing_to_count_the_axis_still_has_a_scale():
    chart = _chart()
    assert [t.value for t in chart.ticks] == [0, 1]
    assert all(bar.height == 0 for bar in chart.columns)
    assert len(chart.columns) == len(SERIES)


@pytest.mark.parametrize(
    ("largest", "ticks"),
    [(1, [0, 1]), (5, [0, 1, 2, 3, 4, 5]), (6, [0, 2, 4, 6]), (23, [0, 5, 10, 15, 20, 25])],
)
def test_ticks_are_round_numbers(largest, ticks):
    for day in range(largest):
        LegalRequestFactory(received_at=utc(2025, 1, 1, day % 24, day // 24))
    assert [t.value for t in _chart().ticks] == ticks


def test_bars_stay_inside_the_chart_and_do_not_overlap():
    LegalRequestFactory(received_at=utc(2010, 1, 1))
    chart = _chart()
    assert len(chart.groups) == HALF_YEARS_SHOWN
    assert chart.groups[-1].label == "2025 H1"
    previous_right = chart.plot_left
    for bar in chart.columns:
        assert bar.x >= previous_right
        previous_right = bar.x + bar.width
    assert previous_right <= chart.plot_right
