"""A select whose options are made once per list of choices, then only marked.

The form renderer (bestqm/form_renderer.py) makes a select's HTML in Python, but Django
still builds a dictionary per option (ChoiceWidget.optgroups) for every request before
it: the account page's 600 time zones, the profile's and the directory filter's 250
countries were a third of those pages' time (bench/pages.py). This widget makes the
options' HTML once for a list of choices (in the language of the page) and then marks
the chosen one, to the very HTML Django's select template makes
(tests/bestqm/test_prerendered_select.py compares them for every project form).

Only a plain single-choice select with no option groups and no attributes on its
options is made here; anything else is rendered the usual way.
"""

from __future__ import annotations

from functools import cache, lru_cache
from itertools import islice

from django import forms
from django.utils.safestring import mark_safe

from bestqm.form_renderer import SELECT, _attrs, conditional_escape

# A select with fewer options costs too little to be worth a cache entry.
MANY_OPTIONS = 20


Choices = tuple[tuple[str, str, str], ...]  # (value, value escaped, label escaped)


class _Options:
    """One list of choices made into option tags, with where each value first is."""

    def __init__(self, choices: Choices):
        self.tags = [
            f'\n  <option value="{value}">{label}</option>\n' for _, value, label in choices
        ]
        self.first = {}
        for index, (value, _, _) in enumerate(choices):
            self.first.setdefault(value, index)

    def html(self, chosen: list[str]) -> str:
        """The tags, the first option whose value is chosen marked (Django's rule for a
        single select)."""
        index = min((self.first[v] for v in chosen if v in self.first), default=None)
        if index is None:
            return "".join(self.tags)
        tag = self.tags[index].replace(">", " selected>", 1)
        return "".join([*self.tags[:index], tag, *self.tags[index + 1 :]])


# The labels are text in the language of the page, so each language has its entries.
@lru_cache(maxsize=64)
def _options(choices: Choices) -> _Options:
    return _Options(choices)


def _plain_choices(choices) -> Choices | None:
    """The choices as text, escaped as the renderer escapes them, or None if any is a
    group of choices."""
    plain = []
    for value, label in choices:
        if isinstance(label, list | tuple):
            return None
        value = "" if value is None else value
        plain.append((str(value), conditional_escape(value), conditional_escape(label)))
    return tuple(plain)


class PrerenderedOptions:
    """Mixed into a Select: renders from the options made once (see the module)."""

    def render(self, name, value, attrs=None, renderer=None):
        plain = not (self.allow_multiple_selected or self.option_inherits_attrs)
        choices = _plain_choices(self.choices) if plain and self.template_name == SELECT else None
        if choices is None:
            return super().render(name, value, attrs, renderer)
        chosen = self.format_value(value)
        final_attrs = self.build_attrs(self.attrs, attrs)
        options = _options(choices).html(chosen)
        return mark_safe(  # noqa: S308 - every value and label in it is escaped
            f'<select name="{conditional_escape(name)}"{_attrs(final_attrs)}>{options}\n</select>'
        )


def _at_least(count: int, choices) -> bool:
    """Whether there are `count` choices (some lists of choices have no len())."""
    return sum(1 for _ in islice(choices, count)) >= count


@cache
def _prerendered_class(widget_class: type) -> type:
    return type(f"Prerendered{widget_class.__name__}", (PrerenderedOptions, widget_class), {})


def prerender_long_selects(fields) -> None:
    """Give each plain select among `fields` (a form's fields) with many choices the
    options made once; its own class (a countries select, say) is kept beneath."""
    for field in fields.values():
        widget = field.widget
        if (
            isinstance(widget, forms.Select)
            and not isinstance(widget, PrerenderedOptions)
            and not widget.allow_multiple_selected
            and _at_least(MANY_OPTIONS, widget.choices)
        ):
            widget.__class__ = _prerendered_class(type(widget))
