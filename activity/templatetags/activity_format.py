"""How the activity pages write lengths of time."""

from datetime import timedelta

from django import template

register = template.Library()


@register.filter
def duration_text(value) -> str:
    """A duration (timedelta or seconds) as "2 h 05 min", "4 min 10 s", "35 s"."""
    if value is None or value == "":
        return "—"
    seconds = round(value.total_seconds() if isinstance(value, timedelta) else float(value))
    hours, rest = divmod(max(seconds, 0), 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    if minutes:
        return f"{minutes} min {seconds:02d} s"
    return f"{seconds} s"
