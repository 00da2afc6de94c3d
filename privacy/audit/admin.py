"""The audit log in the admin: read-only for everyone."""

from django.contrib import admin

from bestqm.admin import ReadOnlyAdmin
from privacy.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """Read-only for everyone, superusers included: the log is append-only."""

    list_display = ("occurred_at", "event_type", "category", "actor_kind", "fields")
    list_filter = ("event_type", "category", "actor_kind")
    date_hierarchy = "occurred_at"
    search_fields = ("=subject_pseudonym", "=actor_pseudonym")
    show_full_result_count = False
