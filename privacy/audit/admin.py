"""The audit log in the admin: read-only for everyone."""

from django.contrib import admin

from bestqm.admin import ReadOnlyAdmin
from privacy.audit.models import AuditEvent
from privacy.audit.staff_accesses import field_labels, roles_described


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """Read-only for everyone, superusers included: the log is append-only."""

    list_display = ("occurred_at", "event_type", "category", "actor_kind", "fields_touched")
    list_filter = ("event_type", "category", "actor_kind")
    date_hierarchy = "occurred_at"
    search_fields = ("=subject_pseudonym", "=actor_pseudonym")
    show_full_result_count = False
    fields = (
        "occurred_at",
        "event_type",
        "category",
        "actor_kind",
        "acted_as",
        "actor_pseudonym",
        "subject_pseudonym",
        "object_type",
        "object_id",
        "ip_address",
        "fields_touched",
    )
    readonly_fields = fields

    @admin.display(description="acted as")
    def acted_as(self, event):
        """The staff roles the actor held then, by name."""
        return (roles_described(event.actor_roles or []) or ("-", ""))[0]

    @admin.display(description="fields")
    def fields_touched(self, event):
        """The fields by their labels ("Billing ZIP code"), never their column names."""
        return ", ".join(field_labels(event.object_type, list(event.fields or []))) or "-"
