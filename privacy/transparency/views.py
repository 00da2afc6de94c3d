"""The public transparency report page."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from privacy.transparency.chart import charted_half_years, report_chart
from privacy.transparency.report import FIGURES, transparency_report


@require_safe
def transparency(request):
    """The public transparency report: anyone may read it, and it names no one."""
    report = transparency_report()
    charted = charted_half_years(report)
    context = {
        "report": report,
        "chart": report_chart(charted),
        "charted": (charted[0].period, charted[-1].period),
        "figures": FIGURES,
    }
    return render(request, "privacy/transparency.html", context)
