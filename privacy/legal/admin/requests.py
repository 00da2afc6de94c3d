"""Law-enforcement requests in the admin, for the legal officer and the legal approver only.

A member opening any of these pages gets 404, as if they did not exist; staff without a
legal role get 403. The request itself is read-only: every change is a step of the
workflow, offered as one link per allowed transition, with a small form where input is
needed, and done by a service (privacy.legal.services), whose refusals are shown with
`message_user`. Documents and the disclosure package are served through views that check
the role and record each opening; never through MEDIA_URL.
"""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from privacy.admin_masking import RegistryMaskedAdmin
from privacy.admin_queues import OpenByDefaultStatusFilter, OverdueFilter, queue_date
from privacy.legal.access import is_legal_staff
from privacy.legal.admin.inlines import (
    LegalDisclosureInline,
    LegalDocumentInline,
    LegalHoldInline,
    LegalTargetInline,
)
from privacy.legal.admin.pages import LegalCasePages
from privacy.legal.admin.steps import STEPS, offered_steps
from privacy.legal.intake import (
    TARGETS_OPEN,
)
from privacy.legal.models import LegalRequest
from privacy.legal.packages import DOWNLOADABLE, package_link_token
from privacy.legal.trace import trace_available
from privacy.roles import Role, roles_of

Status = LegalRequest.Status
NOT_HERE = "Nothing is changed on this page: use the workflow steps."
_INTAKE = ["request_type", "authority", "jurisdiction", "officer_name", "contact_email"]


@admin.register(LegalRequest)
class LegalRequestAdmin(LegalCasePages, RegistryMaskedAdmin):
    list_display = (
        "__str__",
        "request_type",
        "status",
        "received",
        "due",
        "follow_up",
        "notice",
    )
    list_filter = (OpenByDefaultStatusFilter, OverdueFilter, "request_type", "notice")
    search_fields = ("=reference_number",)
    ordering = ("due_at", "id")
    show_full_result_count = False
    inlines = [LegalTargetInline, LegalDocumentInline, LegalHoldInline, LegalDisclosureInline]
    fieldsets = [
        (None, {"fields": ["workflow", "status", "package"]}),
        (
            "Intake",
            {
                "fields": [
                    *_INTAKE,
                    "callback_phone",
                    "reference_number",
                    "received_at",
                    "due_at",
                    "created_by",
                ]
            },
        ),
        (
            "Verification and review",
            {
                "fields": [
                    "verification_note",
                    "verified_by",
                    "verified_at",
                    "verified_by_callback",
                    "info_requested",
                    "paused_at",
                    "scope_categories",
                    "scope_reason",
                    "reviewed_by",
                    "approved_at",
                    "rejected_at",
                    "rejection_reason",
                ]
            },
        ),
        (
            "Collection and delivery",
            {
                "fields": [
                    "collected_by",
                    "collected_at",
                    "delivery_approved_by",
                    "delivered_at",
                    "package_sha256",
                    "package_expires_at",
                    "closed_at",
                    "withdrawn_at",
                ]
            },
        ),
        (
            "Emergency and preservation",
            {"fields": ["follow_up_due_at", "follow_up_received_at", "preservation_extended_at"]},
        ),
        (
            "Member notice",
            {"fields": ["notice", "notice_sent_at", "nondisclosure_reason", "nondisclosure_until"]},
        ),
    ]

    # -- who may do what -------------------------------------------------------------------
    def has_module_permission(self, request):
        return is_legal_staff(request.user)

    def has_view_permission(self, request, obj=None):
        return is_legal_staff(request.user) and super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        # Changing means taking workflow steps; the form itself changes nothing.
        return is_legal_staff(request.user) and super().has_change_permission(request, obj)

    def has_add_permission(self, request):
        return Role.LEGAL_OFFICER in roles_of(request.user)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [
            *[f.name for f in LegalRequest._meta.fields],
            "workflow",
            "package",
            "masked_fields",
        ]

    # -- the list --------------------------------------------------------------------------
    @admin.display(description="received", ordering="received_at")
    def received(self, case):
        return queue_date(case.received_at)

    @admin.display(description="answer due", ordering="due_at")
    def due(self, case):
        if case.is_overdue:
            return format_html(
                '<strong class="overdue">{} — overdue</strong>', queue_date(case.due_at)
            )
        if case.paused_at:
            return format_html("{} (clock paused)", queue_date(case.due_at))
        return queue_date(case.due_at)

    @admin.display(description="follow-up process")
    def follow_up(self, case):
        if case.follow_up_overdue:
            return format_html(
                '<strong class="overdue">due {} — overdue</strong>',
                queue_date(case.follow_up_due_at),
            )
        if case.follow_up_received_at:
            return "received"
        return f"due {queue_date(case.follow_up_due_at)}" if case.follow_up_due_at else "—"

    # -- the case page ---------------------------------------------------------------------
    def _url(self, name: str, case: LegalRequest, *args) -> str:
        return reverse(f"admin:privacy_legalrequest_{name}", args=[case.pk, *args])

    @admin.display(description="next steps")
    def workflow(self, case):
        request = getattr(case, "admin_request", None)
        roles = roles_of(request.user) if request else frozenset()
        links = [(self._url("step", case, n), STEPS[n].label) for n in offered_steps(case, roles)]
        if case.status in TARGETS_OPEN:
            links.append((self._url("target_add", case), "Add a target"))
        if trace_available(case):
            links.append((self._url("trace_address", case), "Trace an IP address"))
            links.append((self._url("trace_account", case), "List an account's addresses"))
        links.append((self._url("document_add", case), "Add a document"))
        return format_html_join(" · ", '<a href="{}">{}</a>', links)

    @admin.display(description="disclosure package")
    def package(self, case):
        if case.status == Status.COLLECTING and case.collected_by_id:
            return "Being built from the approved scope…"
        if case.package_file and case.status in DOWNLOADABLE and not case.package_expired:
            url = self._url("package", case, package_link_token(case))
            return format_html(
                '<a href="{}">Download the package (zip; recorded)</a> · SHA-256 {}',
                url,
                case.package_sha256,
            )
        if case.package_sha256:
            return f"No longer stored · SHA-256 {case.package_sha256}"
        return "—"

    def get_object(self, request, object_id, from_field=None):
        case = super().get_object(request, object_id, from_field)
        if case is not None:
            case.admin_request = request
        return case

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "POST":
            # Other staff are refused as on every legal page, before the method is judged.
            if not is_legal_staff(request.user):
                raise PermissionDenied
            return HttpResponseNotAllowed(["GET"], NOT_HERE)
        context = {
            **(extra_context or {}),
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
            "show_delete": False,
        }
        return super().change_view(request, object_id, form_url, context)
