"""django-filter filters and form fields for a FilterSet made on every request.

django-filter makes a FilterSet's filters and its form again for every FilterSet, that
is for every directory request: it deep-copies each declared filter, builds a form class
from them, and the form deep-copies each field (widget, messages, validators, choices).
The directory's filters and fields are never changed once declared, so these copy them
shallowly, and a choice is checked against a set made once. bench/directory.py found the
copies a quarter of the API's time.
"""

import copy

import django_filters
from django import forms


class _FilterCopiedShallow:
    """A filter whose copy per FilterSet is shallow. Its only state per FilterSet is the
    parent and model that django-filter sets after copying. The method is bound again,
    so that it resolves on the copy's parent, not on the original's."""

    def __deepcopy__(self, memo):
        clone = copy.copy(self)
        clone.method = self.method
        return clone


class _FieldCopiedShallow:
    """A form field whose copy per form shares the widget, messages, validators and
    choices of the declared field: nothing changes them (rendering reads them only)."""

    def __deepcopy__(self, memo):
        clone = copy.copy(self)
        memo[id(self)] = clone
        return clone


class CharField(_FieldCopiedShallow, forms.CharField):
    pass


class DecimalField(_FieldCopiedShallow, forms.DecimalField):
    pass


class ChoiceSetField(_FieldCopiedShallow, django_filters.fields.ChoiceField):
    """Checks a value against the set of the choices' values, made once: a plain
    ChoiceField walks its choices for every value it checks (for a country, 250 names in
    the language of the request)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.valid_values = frozenset(_choice_values(self.choices))

    def valid_value(self, value) -> bool:
        return str(value) in self.valid_values


def _choice_values(choices):
    for value, label in choices:
        if isinstance(label, list | tuple):  # a group of choices
            yield from (str(inner) for inner, _ in label)
        elif value != "":  # the empty choice means "no filter", never a value to check
            yield str(value)


class CharFilter(_FilterCopiedShallow, django_filters.CharFilter):
    field_class = CharField


class NumberFilter(_FilterCopiedShallow, django_filters.NumberFilter):
    field_class = DecimalField


class ChoiceSetFilter(_FilterCopiedShallow, django_filters.ChoiceFilter):
    field_class = ChoiceSetField
