"""A long select made from options made once must be, for every value, exactly the select
Django's own widget and templates make."""

import copy

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils import translation

from accounts.directory.filters import DirectoryFilter
from bestqm.prerendered_select import MANY_OPTIONS, PrerenderedOptions, prerender_long_selects
from tests.bestqm.test_form_renderer import _instances, _project_forms


def _djangos(widget, name, value, attrs=None) -> str:
    """What the widget's own class (without the mixin) makes through Django's templates."""
    plain = copy.deepcopy(widget)
    plain.__class__ = next(c for c in type(widget).__mro__[1:] if c is not PrerenderedOptions)
    return plain.render(name, value, attrs, renderer=DjangoTemplates())


def _values(widget) -> list:
    choices = [value for value, _ in widget.choices]
    return [None, "", choices[1], choices[-1], "not-a-choice", [choices[-1], choices[1]]]


def _long_selects():
    forms_ = [form for cls in _project_forms() for form in _instances(cls)]
    forms_.append(DirectoryFilter().form)
    for form in forms_:
        for name, field in form.fields.items():
            if isinstance(field.widget, PrerenderedOptions):
                yield type(form).__name__, form[name]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en-us", "de"])
def test_every_long_select_of_the_project_renders_as_djangos_for_every_value(language):
    seen = set()
    with translation.override(language):
        for form_name, bound in _long_selects():
            seen.add((form_name, bound.name))
            widget = bound.field.widget
            attrs = bound.build_widget_attrs({"id": bound.auto_id})
            for value in _values(widget):
                ours = widget.render(bound.html_name, value, attrs, renderer=DjangoTemplates())
                assert ours == _djangos(widget, bound.html_name, value, attrs), (
                    form_name,
                    bound.name,
                    value,
                )
            # And the bound field itself, as the page shows it.
            assert "<option" in str(bound)
    # The selects this is for: the time zones, the profile's and the filter's countries.
    assert {("SettingsForm", "time_zone"), ("ProfileForm", "country")} <= seen
    assert ("DirectoryFilterForm", "country") in seen


def test_labels_and_values_are_escaped_as_django_escapes_them():
    choices = [("", "---------"), ('a"b', "<b>bold</b> & co"), ("<x>", "x")]
    choices += [(f"v{n}", f"label {n}") for n in range(MANY_OPTIONS)]
    field = forms.ChoiceField(choices=choices, required=False)
    prerender_long_selects({"pick": field})
    assert isinstance(field.widget, PrerenderedOptions)
    for value in (None, 'a"b', "<x>", "v3"):
        ours = field.widget.render("pick", value, {"id": "id_pick"})
        assert ours == _djangos(field.widget, "pick", value, {"id": "id_pick"})
        assert "<b>" not in ours


def test_short_multiple_and_grouped_selects_are_left_to_django():
    short = forms.ChoiceField(choices=[("a", "A"), ("b", "B")])
    many = forms.MultipleChoiceField(choices=[(str(n), str(n)) for n in range(50)])
    groups = [("Group", [(str(n), str(n)) for n in range(50)])]
    groups += [(str(n), str(n)) for n in range(100, 100 + MANY_OPTIONS)]
    grouped = forms.ChoiceField(choices=groups)
    prerender_long_selects({"short": short, "many": many, "grouped": grouped})
    assert not isinstance(short.widget, PrerenderedOptions)
    assert not isinstance(many.widget, PrerenderedOptions)
    # A grouped one is given the class but rendered by Django, to the same HTML.
    html = grouped.widget.render("grouped", "3", {"id": "id_g"})
    assert '<optgroup label="Group">' in html
    assert html == _djangos(grouped.widget, "grouped", "3", {"id": "id_g"})
