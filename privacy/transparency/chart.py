"""What the transparency report's chart shows: four figures per half-year, side by side,
for the last five years. The layout is bestqm.charts' (inline SVG, colours from classes in
privacy/transparency.css, no script and no inline style)."""

from __future__ import annotations

from collections.abc import Sequence

from bestqm.charts import ColumnChart, Series, column_chart
from privacy.transparency.report import HalfYearFigures, TransparencyReport

# (figure, series), drawn left to right within each half-year.
SERIES = (
    ("requests", Series("Requests", "bar-requests")),
    ("with_data_disclosed", Series("Some data disclosed", "bar-disclosed")),
    ("rejected", Series("Rejected", "bar-rejected")),
    ("preservation_requests", Series("Preservation requests", "bar-preservation")),
)
HALF_YEARS_SHOWN = 10  # five years; the tables below the chart hold every half-year


def charted_half_years(report: TransparencyReport) -> tuple[HalfYearFigures, ...]:
    """The half-years the chart shows, oldest first."""
    return report.chronological[-HALF_YEARS_SHOWN:]


def report_chart(half_years: Sequence[HalfYearFigures]) -> ColumnChart:
    """Columns as wide as the half-years need, at most 28 units each."""
    return column_chart(
        [(h.period.label, [getattr(h, name) for name, _ in SERIES]) for h in half_years],
        [series for _, series in SERIES],
        width=None,
        left=40,
        top=18,
        plot_height=180,
        max_bar=28,
    )
