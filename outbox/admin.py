"""Staff read the outbox in the admin: every job and e-mail with its delivery state, the
failed ones first to look for. Read-only: the services and the relay write it."""

from django.contrib import admin

from bestqm.admin import ReadOnlyAdmin
from outbox.models import OutboxMessage, OutboxRefusal, task_label
from privacy.admin_masking import RegistryMaskedAdmin


class TaskFilter(admin.SimpleListFilter):
    """By job or e-mail, named as in the list, not by the task's dotted path."""

    title = "job or e-mail"
    parameter_name = "task"

    def lookups(self, request, model_admin):
        tasks = OutboxMessage.objects.order_by("task").values_list("task", flat=True).distinct()
        return [(task, task_label(task)) for task in tasks]

    def queryset(self, request, queryset):
        return queryset.filter(task=self.value()) if self.value() else queryset


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin, RegistryMaskedAdmin):
    # What and how it went first: on a phone the table scrolls, and these are in view.
    list_display = (
        "task_label",
        "status",
        "created_at",
        "kind",
        "attempts",
        "last_error",
        "finished_at",
    )
    list_filter = ("status", "kind", TaskFilter)
    search_fields = ("=key",)
    date_hierarchy = "created_at"
    fields = (
        "key",
        "task",
        "kind",
        "status",
        "args",
        "attempts",
        "handovers",
        "replays",
        "last_error",
        "created_at",
        "available_at",
        "sent_at",
        "started_at",
        "lease_until",
        "finished_at",
    )
    readonly_fields = fields

    @admin.display(description="job or e-mail", ordering="task")
    def task_label(self, obj):
        return obj.task_label


@admin.register(OutboxRefusal)
class OutboxRefusalAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ("received_at", "key", "reason")
