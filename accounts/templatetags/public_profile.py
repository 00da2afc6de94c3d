import html
from functools import cache, lru_cache
from urllib.parse import quote

from django import template
from django.urls import reverse
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
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
    if name == "age":
        return str(value)
    if name in _CHOICE_FIELDS:  # the country field's choices are the countries
        return _choice_text(get_language(), name, value)
    return str(value)


@lru_cache(maxsize=4096)
def _choice_text(language: str | None, name: str, value) -> str:
    """A fixed choice's label in the page's language (a country's name, say), looked up
    once: it was a translation lookup per field of every card."""
    if name == "country":
        return countries.name(value)
    return str(_choices(name).get(value, value))


@cache
def _choices(name: str) -> dict:
    """A field's choices, value -> label (lazy: shown in the language of the page)."""
    return dict(PublicProfile._meta.get_field(name).flatchoices)


_CHOICE_FIELDS = frozenset(
    f.name for f in PublicProfile._meta.get_fields() if getattr(f, "choices", None)
)


@register.filter
def public_rows(shown: dict) -> list[tuple[str, str, str]]:
    """(name, label, display value) for each shown public field but the username."""
    return [(n, _label(n), _display(n, v)) for n, v in shown.items() if n != "username"]


def _escaped(value) -> str:
    """django.utils.html.conditional_escape's text, without its wrapping in SafeString."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def _fields_html(shown: dict) -> str:
    """accounts/_public_fields.html, made in Python."""
    rows = public_rows(shown)
    if not rows:
        return '<p class="helptext">Nothing but the username.</p>'
    items = "".join(
        f'<dt>{_escaped(label)}</dt><dd data-field="{_escaped(n)}">{_escaped(v)}</dd>'
        for n, label, v in rows
    )
    return f'<dl class="details">\n  {items}\n</dl>'


_USERNAME_MARK = "username-here"


def _profile_link(reversed_with_mark: str, username: str) -> str:
    """What reverse() gives for `username`: the path with it quoted as reverse quotes."""
    return reversed_with_mark.replace(_USERNAME_MARK, quote(username, safe=_URL_SAFE), 1)


_URL_SAFE = RFC3986_SUBDELIMS + "/~:@"  # django.urls.resolvers quotes paths with these


@register.filter
def directory_cards(rows: list[dict]) -> str:
    """The directory's cards, one per shown profile: the markup of the template loop
    over accounts/_public_fields.html, made in Python with plain string formatting (50
    template includes, then format_html's escaping per value, were most of the directory
    page's time; tests/accounts/directory/test_cards.py compares them)."""
    link = reverse("directory:detail", args=[_USERNAME_MARK])
    cards = (
        f'<li class="card">\n  <h3><a href="{_escaped(_profile_link(link, s["username"]))}">'
        f"{_escaped(s['username'])}</a></h3>\n  {_fields_html(s)}\n</li>"
        for s in rows
    )
    return mark_safe("\n".join(cards))  # noqa: S308 - every value in it is escaped above
