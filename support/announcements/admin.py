"""Announcements in the admin: drafts, sending, and each recipient's delivery."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html

from bestqm.admin import ReadOnlyAdmin
from bestqm.http.form_errors import service_error_text
from bestqm.http.site_url import site_url
from privacy.admin_masking import RegistryMaskedAdmin
from privacy.audit.services import Actor
from support import errors
from support.announcements import services
from support.announcements.admin_forms import AnnouncementForm
from support.announcements.selectors import delivery_counts
from support.models import (
    Announcement,
    AnnouncementDelivery,
)
from support.tickets.access import may_read_tickets

SENDING = "Sending “{subject}” in the background. Delivery status is on its page."


@admin.register(Announcement)
class AnnouncementAdmin(admin.ModelAdmin):
    """Announcements to members, composed here and sent with the “Send” action. Who
    receives one is decided when it is sent: every active member for a service
    announcement, members who opted in for a newsletter."""

    form = AnnouncementForm
    list_display = ("subject", "kind", "status", "created_at", "sent_at")
    list_filter = ("kind", "status")
    ordering = ("-created_at",)
    fields = (
        "kind",
        "subject",
        "body",
        "status",
        "created_at",
        "sending_at",
        "sent_at",
        "delivery",
    )
    readonly_fields = ("status", "created_at", "sending_at", "sent_at", "delivery")
    actions = ("send",)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not obj.can_edit():
            return self.fields  # sent: the members have it as it was
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or obj.can_edit())

    def get_deleted_objects(self, objs, request):
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        # Sent announcements are records of what members received: never deleted.
        if any(not obj.can_edit() for obj in objs):
            protected = [*protected, *(str(o) for o in objs if not o.can_edit())]
        return deleted, model_count, perms_needed, protected

    @admin.display(description="delivery status")
    def delivery(self, announcement):
        if announcement.pk is None or announcement.can_edit():
            return "Not sent yet."
        counts = delivery_counts(announcement=announcement)
        url = reverse("admin:support_announcementdelivery_changelist")
        summary = ", ".join(
            f"{label.lower()}: {counts[value]}"
            for value, label in AnnouncementDelivery.Status.choices
        )
        return format_html(
            '{} — <a href="{}?announcement__id__exact={}">each recipient</a>',
            summary,
            url,
            announcement.pk,
        )

    def save_model(self, request, obj, form, change):
        try:
            services.announcement_draft_save(announcement=obj, actor=Actor.from_request(request))
        except (errors.SupportError, ValidationError) as exc:
            self.message_user(request, service_error_text(exc), messages.ERROR)

    @admin.action(description="Send the selected announcements", permissions=["change"])
    def send(self, request, queryset):
        for announcement in queryset:
            try:
                services.announcement_send(
                    announcement=announcement,
                    actor=Actor.from_request(request),
                    base_url=site_url(request),
                )
            except errors.SupportError as exc:
                self.message_user(request, f"“{announcement}”: {exc.message}", messages.ERROR)
            else:
                self.message_user(request, SENDING.format(subject=announcement.subject))


@admin.register(AnnouncementDelivery)
class AnnouncementDeliveryAdmin(ReadOnlyAdmin, RegistryMaskedAdmin):
    """Per-recipient delivery status. Recipients appear as “Member #n”; the address is
    never stored here."""

    list_display = ("__str__", "announcement", "member", "status", "sent_at", "detail")
    list_filter = ("status", ("announcement", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("announcement", "member")
    search_fields = ("=member__id",)
    ordering = ("-id",)
    show_full_result_count = False
    fields = ("announcement", "member", "status", "detail", "created_at", "sent_at")
    readonly_fields = fields

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and may_read_tickets(request.user)
