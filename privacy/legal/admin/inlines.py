"""Read-only inlines of the legal request's admin page: its targets, documents (opened
through the audited view), the holds it placed and what its package holds."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from bestqm.admin import ReadOnlyInline
from privacy.holds.models import LegalHold
from privacy.legal.access import is_legal_staff
from privacy.legal.models import LegalDisclosure, LegalDocument, LegalTarget


class _ReadOnlyInline(ReadOnlyInline, admin.TabularInline):
    """Shown to the legal roles only, never changed here."""

    def has_view_permission(self, request, obj=None):
        return is_legal_staff(request.user)


class LegalTargetInline(_ReadOnlyInline):
    model = LegalTarget
    fields = ("kind", "value", "window_start", "window_end", "account")
    readonly_fields = fields

    @admin.display(description="resolved to")
    def account(self, target):
        return f"Member #{target.member_id}" if target.member_id else "No account found"


class LegalDocumentInline(_ReadOnlyInline):
    model = LegalDocument
    fields = ("title", "uploaded_at", "uploaded_by", "open")
    readonly_fields = fields

    @admin.display(description="file")
    def open(self, document):
        url = reverse(
            "admin:privacy_legalrequest_document", args=[document.request_id, document.pk]
        )
        return format_html('<a href="{}">Open (recorded)</a>', url)


class LegalHoldInline(_ReadOnlyInline):
    model = LegalHold
    fk_name = "legal_request"
    verbose_name_plural = "legal holds placed by this case"
    fields = ("holds", "categories", "window_start", "window_end", "expires", "released_at")
    readonly_fields = fields

    @admin.display(description="holds")
    def holds(self, hold):
        return f"Member #{hold.member_id}" if hold.member_id else hold.ip_network

    @admin.display(description="expires")
    def expires(self, hold):
        return hold.expires_at or "With the case"


class LegalDisclosureInline(_ReadOnlyInline):
    model = LegalDisclosure
    verbose_name_plural = "what the package holds (field names, never values)"
    fields = ("whose", "category", "model_label", "fields", "records")
    readonly_fields = fields

    @admin.display(description="member")
    def whose(self, disclosure):
        return f"Member #{disclosure.member_id}" if disclosure.member_id else "Erased member"
