"""The form renderer makes fields (label, help text, errors) and select and input widgets
in Python: the HTML must be exactly what Django's own templates make, for every form of
the project, empty and with errors."""

import contextlib
import importlib
import pkgutil
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates
from django.template import TemplateDoesNotExist, engines
from django.template.loaders.filesystem import Loader

from bestqm.form_renderer import MADE_HERE, WidgetRenderer

APPS = ("accounts", "orders", "support", "activity", "privacy")


def _project_forms() -> list[type[forms.BaseForm]]:
    for app in APPS:
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, f"{app}."):
            if "migrations" not in module.name and "management" not in module.name:
                importlib.import_module(module.name)
    found, todo = set(), [forms.Form, forms.ModelForm]
    while todo:
        for cls in todo.pop().__subclasses__():
            todo.append(cls)
            if cls.__module__.split(".")[0] in APPS:
                found.add(cls)
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__qualname__}")


def _instances(form_class):
    """The form empty and bound to nothing (every required field in error), where it can
    be made without arguments of its own."""
    made = []
    for kwargs in ({}, {"data": {}}):
        with contextlib.suppress(TypeError):  # the form needs arguments of its own
            made.append(form_class(**kwargs))
    return made


def _html(form, renderer) -> str:
    """Each field's widget alone, then as the page shows it: label, help text, errors."""
    form.renderer = renderer
    return "".join(str(bound) + bound.render(renderer=renderer) for bound in form)


@pytest.mark.django_db
def test_every_project_form_renders_exactly_as_djangos_templates():
    ours, djangos = WidgetRenderer(), DjangoTemplates()
    compared = 0
    for form_class in _project_forms():
        for form in _instances(form_class):
            if form.is_bound:
                form.is_valid()
            expected = _html(form, djangos)
            assert _html(form, ours) == expected, form_class
            compared += 1
    assert compared >= 10, compared


def test_a_select_with_groups_and_awkward_values_renders_the_same():
    class Awkward(forms.Form):
        pick = forms.ChoiceField(
            choices=[("", "---"), ("Group <b>", [("a&b", 'A "quoted" <label>'), (3, 3)])],
            initial="a&b",
        )
        many = forms.MultipleChoiceField(choices=[("x", "X"), ("y", "Y")], initial=["y"])
        flag = forms.BooleanField(initial=True, required=False)
        choice = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)
        text = forms.CharField(initial='he said "<hi>"', disabled=True)
        day = forms.DateField(widget=forms.DateInput(attrs={"type": "date", "data-x": "1"}))

    for form in (Awkward(), Awkward(data={"pick": "3", "text": "x"})):
        form.is_valid()
        assert _html(form, WidgetRenderer()) == _html(form, DjangoTemplates())


def test_the_project_overrides_none_of_the_widgets_made_in_python():
    """A template of the project's own for one of these widgets would be silently
    ignored: there must be none."""
    assert settings.FORM_RENDERER == "bestqm.form_renderer.WidgetRenderer"
    engine = engines["django"].engine
    loader = Loader(engine, [Path(d) for d in engine.dirs])
    for name in MADE_HERE:
        with pytest.raises(TemplateDoesNotExist):
            loader.get_template(name)
