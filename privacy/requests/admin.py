"""Staff work on data requests in the admin: listed by due date with overdue ones marked,
filtered by status and kind; a field-by-field review of corrections; extensions with a
reason; expedited erasure; and exports produced for a member. Every action calls the
workflow services, which check the privacy-officer role and the transition table."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from bestqm.admin import ReadOnlyInline
from privacy.admin_queues import OpenByDefaultStatusFilter, OverdueFilter, queue_date
from privacy.audit.services import Actor
from privacy.requests.correctable_fields import correctable_fields_by_key, correction_key
from privacy.requests.corrections import correction_decide
from privacy.requests.deletions import deletion_expedite
from privacy.requests.erasure import erasure_preview
from privacy.requests.errors import DataRequestError
from privacy.requests.exports import export_request_for_member
from privacy.requests.models import CorrectionItem, DataRequest
from privacy.requests.services import MAX_EXTENSION_MONTHS, data_request_extend
from privacy.roles import Role, roles_of

EXPORT_PRODUCED = "An export for the member is being built: request #{pk}."
EXTENDED = "The deadline is now {due:%d %B %Y}; the member has been told why."
DECIDED = "The decisions were saved and the member has been told."
EXPEDITED = "Request #{pk}: {outcome}"


def _review_errors(exc: ValidationError, items, posted, labels):
    """Errors of a failed review: by item where the key is an item id, or a field the
    approved items propose (an owning service's refusal); the rest above the table."""
    by_item: dict[int, list[str]] = {}
    general: list[str] = []
    details = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
    for key, problems in details.items():
        if key.isdigit() and int(key) in labels:
            by_item.setdefault(int(key), []).extend(problems)
            continue
        matched = [
            i for i in items if i.field_name == key and posted.get(i.pk, ("",))[0] == "approve"
        ]
        for item in matched:
            by_item.setdefault(item.pk, []).extend(problems)
        if not matched:
            general.extend(problems)
    return by_item, general


def member_named(member) -> str:
    """How the confirmation names the member to the privacy officer, who may see it."""
    full = " ".join(p for p in (member.first_name, member.last_name) if p)
    return f"{full} ({member.login_name}, member #{member.pk})" if full else str(member)


class CorrectionItemInline(ReadOnlyInline, admin.TabularInline):
    model = CorrectionItem
    fields = ("field", "proposed_value", "decision", "reason", "decided_at")
    readonly_fields = fields

    @admin.display(description="field")
    def field(self, item):
        return item.described


class ProduceExportForm(forms.ModelForm):
    class Meta:
        model = DataRequest
        fields = ["member"]
        help_texts = {"member": "The member whose data is exported. They are told by e-mail."}


class ExtendForm(forms.Form):
    months = forms.TypedChoiceField(
        coerce=int, choices=[(n, f"{n} month(s)") for n in range(1, MAX_EXTENSION_MONTHS + 1)]
    )
    reason = forms.CharField(widget=forms.Textarea, help_text="Sent to the member.")


@admin.register(DataRequest)
class DataRequestAdmin(admin.ModelAdmin):
    list_display = ("__str__", "kind", "status", "received", "due", "progress")
    list_filter = (OpenByDefaultStatusFilter, OverdueFilter, "kind")
    ordering = ("due_at", "id")
    raw_id_fields = ("member",)
    inlines = [CorrectionItemInline]
    actions = ["expedite_erasure"]
    show_full_result_count = False

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return [f.name for f in DataRequest._meta.fields] + ["workflow"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["member"]
        return ["workflow", *[f.name for f in DataRequest._meta.fields if f.name != "id"]]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = ProduceExportForm
        return super().get_form(request, obj, **kwargs)

    def has_add_permission(self, request):
        # "Add" produces an export for a member; only privacy officers may.
        return Role.PRIVACY_OFFICER in roles_of(request.user)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            return
        # Only privacy officers reach the add form; the service checks the role again.
        created, _ = export_request_for_member(
            member=form.cleaned_data["member"], actor=Actor.from_request(request)
        )
        obj.pk = created.pk
        messages.success(request, EXPORT_PRODUCED.format(pk=created.pk))

    def save_related(self, request, form, formsets, change):
        if change:
            super().save_related(request, form, formsets, change)

    @admin.display(description="received", ordering="received_at")
    def received(self, obj):
        return queue_date(obj.received_at)

    @admin.display(description="answer due", ordering="due_at")
    def due(self, obj):
        if obj.is_overdue:
            return format_html(
                '<strong class="overdue">{} — overdue</strong>', queue_date(obj.due_at)
            )
        return queue_date(obj.due_at)

    @admin.display(description="workflow")
    def workflow(self, obj):
        links = []
        if obj.is_open and obj.kind == DataRequest.Kind.CORRECTION:
            links.append(("Review the corrections", "admin:privacy_datarequest_review"))
        if obj.is_open:
            links.append(("Extend the deadline", "admin:privacy_datarequest_extend"))
        if not links:
            return "No further steps."
        return format_html(
            " · ".join(['<a href="{}">{}</a>'] * len(links)),
            *[part for label, name in links for part in (reverse(name, args=[obj.pk]), label)],
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/review/",
                self.admin_site.admin_view(self.review_view),
                name="privacy_datarequest_review",
            ),
            path(
                "<int:pk>/extend/",
                self.admin_site.admin_view(self.extend_view),
                name="privacy_datarequest_extend",
            ),
            *super().get_urls(),
        ]

    def _get_or_403(self, request, pk) -> DataRequest:
        data_request = get_object_or_404(DataRequest.objects.select_related("member"), pk=pk)
        if not self.has_change_permission(request, data_request):
            raise PermissionDenied
        return data_request

    def _back(self, data_request):
        return redirect("admin:privacy_datarequest_change", data_request.pk)

    def review_view(self, request, pk):
        """Field by field: the value now, the value proposed; approve or deny with a
        reason the member is shown. A submission that fails keeps every decision and
        reason typed and shows every error, on its field or above the table."""
        data_request = self._get_or_403(request, pk)
        items = list(data_request.items.all())
        correctable = correctable_fields_by_key(data_request.member)
        labels = {}
        for item in items:
            found = correctable.get(
                correction_key(item.model_label, item.object_id, item.field_name)
            )
            labels[item.pk] = (
                found.label if found else item.described,
                found.current_value if found else "—",
            )
        errors: dict[int, list[str]] = {}
        general: list[str] = []
        posted: dict[int, tuple[str, str]] = {}
        if request.method == "POST":
            decisions = {}
            for item in items:
                choice = request.POST.get(f"decision-{item.pk}", "")
                reason = request.POST.get(f"reason-{item.pk}", "")
                posted[item.pk] = (choice, reason)
                if choice in ("approve", "deny"):
                    decisions[item.pk] = (choice == "approve", reason)
            try:
                correction_decide(
                    request=data_request, actor=Actor.from_request(request), decisions=decisions
                )
            except DataRequestError as exc:
                # Nothing left to decide (the request is no longer open): back to it, saying why.
                self.message_user(request, exc.message, messages.ERROR)
                return self._back(data_request)
            except ValidationError as exc:
                errors, general = _review_errors(exc, items, posted, labels)
            else:
                self.message_user(request, DECIDED, messages.SUCCESS)
                return self._back(data_request)
        rows = [
            (item, *labels[item.pk], *posted.get(item.pk, ("", "")), errors.get(item.pk, []))
            for item in items
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": f"Review {data_request}",
            "data_request": data_request,
            "rows": rows,
            "general_errors": general,
            "opts": self.model._meta,
        }
        # 200 with the errors, as the admin answers a form that did not save.
        return TemplateResponse(request, "admin/privacy/review_correction.html", context)

    def _erase_confirmation(self, request, queryset):
        previews = []
        for data_request in queryset:
            lines = (
                erasure_preview(member=data_request.member)
                if data_request.kind == DataRequest.Kind.DELETION and data_request.is_open
                else None
            )
            previews.append((data_request, member_named(data_request.member), lines))
        context = {
            **self.admin_site.each_context(request),
            "title": "Erase now?",
            "previews": previews,
            "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
            "action": "expedite_erasure",
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/privacy/erase_confirm.html", context)

    def extend_view(self, request, pk):
        data_request = self._get_or_403(request, pk)
        form = ExtendForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                data_request = data_request_extend(
                    request=data_request,
                    actor=Actor.from_request(request),
                    months=form.cleaned_data["months"],
                    reason=form.cleaned_data["reason"],
                )
            except DataRequestError as exc:
                self.message_user(request, exc.message, messages.ERROR)
            else:
                self.message_user(
                    request, EXTENDED.format(due=data_request.due_at), messages.SUCCESS
                )
            return self._back(data_request)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Extend {data_request}",
            "data_request": data_request,
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/privacy/extend_request.html", context)

    @admin.action(description="Erase now (end the grace period of deletion requests)")
    def expedite_erasure(self, request, queryset):
        """First a confirmation page naming each member and what will be erased, deleted,
        anonymised or kept; only its "Yes, erase now" runs the erasure."""
        queryset = queryset.select_related("member")
        if request.POST.get("confirmed") != "yes":
            return self._erase_confirmation(request, queryset)
        for data_request in queryset:
            try:
                done = deletion_expedite(request=data_request, actor=Actor.from_request(request))
            except DataRequestError as exc:
                self.message_user(request, f"{data_request}: {exc.message}", messages.ERROR)
            else:
                self.message_user(
                    request, EXPEDITED.format(pk=done.pk, outcome=done.outcome), messages.SUCCESS
                )
