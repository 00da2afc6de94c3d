from django import template
from django_countries import countries

from accounts.models import PublicProfile

register = template.Library()

LABELS = {"age": "Age", "lifestyle_text": "About my lifestyle", "region": "Region or state"}


def _label(name: str) -> str:
    if name in LABELS:
        return LABELS[name]
    return str(PublicProfile._meta.get_field(name).verbose_name).capitalize()


def _display(name: str, value) -> str:
    if name == "country":
        return countries.name(value)
    if name == "age":
        return str(value)
    choices = dict(PublicProfile._meta.get_field(name).flatchoices)
    return str(choices.get(value, value))


@register.filter
def public_rows(shown: dict) -> list[tuple[str, str, str]]:
    """(name, label, display value) for each shown public field but the username."""
    return [(n, _label(n), _display(n, v)) for n, v in shown.items() if n != "username"]
