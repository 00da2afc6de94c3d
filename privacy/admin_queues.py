"""The queues staff work in the admin (data requests, legal requests): closed requests are
hidden unless asked for, an "overdue" filter, and every date in one format."""

from django.contrib import admin
from django.utils import timezone
from django.utils.formats import date_format

DATE_FORMAT = "j M Y"
OPEN = "open"
ALL = "all"


def queue_date(value) -> str:
    return date_format(timezone.localtime(value), DATE_FORMAT) if value else "—"


class OpenByDefaultStatusFilter(admin.SimpleListFilter):
    """Status, showing the open requests unless another status (or all) is chosen."""

    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        statuses = model_admin.model._meta.get_field("status").choices
        return [(OPEN, "Open (default)"), *statuses, (ALL, "All, closed included")]

    def value(self):
        return super().value() or OPEN

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == str(lookup),
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        value = self.value()
        if value == ALL:
            return queryset
        if value == OPEN:
            return queryset.filter(status__in=queryset.model.OPEN)
        return queryset.filter(status=value)


class OverdueFilter(admin.SimpleListFilter):
    """Requests past their answer date that still wait on us (the model's
    `overdue_q()` says which: a delivered legal case is never overdue)."""

    title = "answer due"
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", "Overdue")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(queryset.model.overdue_q(timezone.now()))
        return queryset
