"""The directory's filters, shared by the page and the API (django-filter).

A filter on a field only ever matches members who let this viewer see that field:
otherwise "gender=female" would reveal the gender of members who hid it.
"""

from datetime import date

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django_countries import countries

from accounts.directory.filter_fields import CharFilter, ChoiceSetFilter, NumberFilter
from accounts.models import PublicProfile
from accounts.profile.selectors import viewer_visibilities
from bestqm.prerendered_select import prerender_long_selects
from privacy.registry import registry

MAX_AGE = 120
AGE_RANGE_BACKWARDS = "Must be at least 'Age from'."


def _country_choices():
    return list(countries)


class DirectoryFilterForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        prerender_long_selects(self.fields)

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("age_min"), cleaned.get("age_max")
        if low is not None and high is not None and low > high:
            self.add_error("age_max", AGE_RANGE_BACKWARDS)
        return cleaned


def _years_before(today: date, years: int) -> date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February in a year without one
        return today.replace(year=today.year - years, day=28)


class DirectoryFilter(django_filters.FilterSet):
    q = CharFilter(
        label="Search",
        method="filter_search",
        max_length=60,
        help_text="Part of a username or of the lifestyle text.",
    )
    gender = ChoiceSetFilter(choices=PublicProfile.Gender.choices, method="filter_visible")
    age_min = NumberFilter(
        label="Age from", method="filter_age_min", min_value=0, max_value=MAX_AGE
    )
    age_max = NumberFilter(label="Age to", method="filter_age_max", min_value=0, max_value=MAX_AGE)
    # A callable: the names are those of the language of the page that shows them.
    country = ChoiceSetFilter(choices=_country_choices, method="filter_visible")
    region = CharFilter(label="Region or state", method="filter_place", max_length=80)
    city = CharFilter(method="filter_place", max_length=80)
    lifestyle = ChoiceSetFilter(choices=PublicProfile.Lifestyle.choices, method="filter_visible")
    looking_for = ChoiceSetFilter(
        label="Looking for", choices=PublicProfile.LookingFor.choices, method="filter_visible"
    )

    class Meta:
        model = PublicProfile
        fields = []
        form = DirectoryFilterForm

    # Which column holds the visibility of each filtered field: the registry knows.
    _VISIBILITY = {
        f.name: f.visibility_field
        for f in registry.published_fields(PublicProfile)
        if f.visibility_field
    }

    def get_form_class(self):
        """The form class, made once: its fields depend on the declarations only."""
        cls = type(self)
        if "_form_class" not in cls.__dict__:
            cls._form_class = super().get_form_class()
        return cls._form_class

    @property
    def visibilities(self):
        return viewer_visibilities(getattr(self.request, "user", None))

    def _visible(self, field: str) -> Q:
        return Q(**{f"{self._VISIBILITY[field]}__in": self.visibilities})

    def filter_visible(self, queryset, name, value):
        return queryset.filter(Q(**{name: value}) & self._visible(name))

    def filter_place(self, queryset, name, value):
        return queryset.filter(Q(**{f"{name}__iexact": value.strip()}) & self._visible(name))

    def filter_age_min(self, queryset, name, value):
        latest_birth = _years_before(timezone.localdate(), int(value))
        return queryset.filter(Q(birth_date__lte=latest_birth) & self._visible("birth_date"))

    def filter_age_max(self, queryset, name, value):
        earliest_birth = _years_before(timezone.localdate(), int(value) + 1)
        return queryset.filter(Q(birth_date__gt=earliest_birth) & self._visible("birth_date"))

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(username__icontains=value)
            | (Q(lifestyle_text__icontains=value) & self._visible("lifestyle_text"))
        )
