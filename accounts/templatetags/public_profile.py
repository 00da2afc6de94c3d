from functools import cache

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django_countries import countries

from accounts.models import PublicProfile

register = template.Library()

LABELS = {"age": "Age", "lifestyle_text": "About my lifestyle", "region": "Region or state"}


@cache
def _label(name: str) -> str:
    if name in LABELS:
        return LABELS[name]
    return str(PublicProfile._meta.get_field(name).verbose_name).capitalize()


def _display(name: str, value) -> str:
    if name == "country":
        return countries.name(value)
    if name == "age":
        return str(value)
    return str(_choices(name).get(value, value))


@cache
def _choices(name: str) -> dict:
    """A field's choices, value -> label (lazy: shown in the language of the page)."""
    return dict(PublicProfile._meta.get_field(name).flatchoices)


@register.filter
def public_rows(shown: dict) -> list[tuple[str, str, str]]:
    """(name, label, display value) for each shown public field but the username."""
    return [(n, _label(n), _display(n, v)) for n, v in shown.items() if n != "username"]


def _fields_html(shown: dict) -> str:
    """accounts/_public_fields.html, made in Python."""
    rows = public_rows(shown)
    if not rows:
        return mark_safe('<p class="helptext">Nothing but the username.</p>')
    items = format_html_join(
        "", '<dt>{}</dt><dd data-field="{}">{}</dd>', ((label, n, v) for n, label, v in rows)
    )
    return format_html('<dl class="details">\n  {}\n</dl>', items)


@register.filter
def directory_cards(rows: list[dict]) -> str:
    """The directory's cards, one per shown profile: the markup of the template loop
    over accounts/_public_fields.html, made in Python (50 template includes were most of
    the directory page's time; tests/accounts/directory/test_cards.py compares them)."""
    return format_html_join(
        "\n",
        '<li class="card">\n  <h3><a href="{}">{}</a></h3>\n  {}\n</li>',
        (
            (reverse("directory:detail", args=[s["username"]]), s["username"], _fields_html(s))
            for s in rows
        ),
    )
