"""Staff read the outbox in the admin: every job and e-mail with its delivery state, the
failed ones first to look for. Read-only: the services and the relay write it."""

from django.contrib import admin

from bestqm.admin import ReadOnlyAdmin
from outbox.models import OutboxMessage, OutboxRefusal
from privacy.admin_masking import RegistryMaskedAdmin


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin, RegistryMaskedAdmin):
    list_display = (
        "created_at",
        "kind",
        "task_label",
        "status",
        "attempts",
        "last_error",
        "finished_at",
    )
    list_filter = ("status", "kind", "task")
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
