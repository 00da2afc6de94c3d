"""Admin masking derived from the registry, and an audit event for every opening.

A staff member sees a personal field only when the registry names one of their roles for
it; the other fields are left out of the form (so they are not in the page, not in the
HTML source, and cannot be searched or sorted on) and listed by name as hidden.
Opening a member's record records which personal fields were shown.
"""

from contextlib import suppress

from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.db import transaction
from django.db.models.constants import LOOKUP_SEP

from privacy.audit.services import Actor, AuditEventType, audit_record
from privacy.registry import Category, owner_of, registry
from privacy.roles import roles_of

HIDDEN_FOR_ROLE = "Hidden for your role"


class RegistryMaskedAdmin(admin.ModelAdmin):
    def _declared_personal(self) -> list[str]:
        return [f.name for f in registry.personal_fields(self.model)]

    def shown_personal_fields(self, request) -> list[str]:
        return registry.staff_visible_fields(self.model, roles_of(request.user))

    def hidden_personal_fields(self, request) -> list[str]:
        shown = set(self.shown_personal_fields(request))
        return [name for name in self._declared_personal() if name not in shown]

    # -- the form ------------------------------------------------------------------------
    def get_fieldsets(self, request, obj=None):
        hidden = set(self.hidden_personal_fields(request))
        fieldsets = []
        for title, options in super().get_fieldsets(request, obj):
            names = [n for n in options.get("fields", ()) if n not in hidden]
            if names:
                fieldsets.append((title, {**options, "fields": names}))
        if hidden and obj is not None:
            fieldsets.append((HIDDEN_FOR_ROLE, {"fields": ["masked_fields"]}))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "masked_fields"]

    def get_exclude(self, request, obj=None):
        return [*(super().get_exclude(request, obj) or ()), *self.hidden_personal_fields(request)]

    def get_object(self, request, object_id, from_field=None):
        # The admin instance is shared by every request; per-request facts ride on the
        # object fetched for this request.
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            obj.admin_hidden_fields = self.hidden_personal_fields(request)
            request.privacy_admin_object = obj
        return obj

    @admin.display(description=HIDDEN_FOR_ROLE)
    def masked_fields(self, obj):
        # Only names, never values: the values are simply not sent to this browser.
        names = getattr(obj, "admin_hidden_fields", ())
        return ", ".join(str(self.model._meta.get_field(n).verbose_name) for n in names) or "—"

    # -- lists and search ----------------------------------------------------------------------
    def get_list_display(self, request):
        hidden = set(self.hidden_personal_fields(request))
        return [n for n in super().get_list_display(request) if n not in hidden]

    def get_search_fields(self, request):
        hidden = set(self.hidden_personal_fields(request))
        return [n for n in super().get_search_fields(request) if n.lstrip("=^@") not in hidden]

    def get_list_filter(self, request):
        hidden = set(self.hidden_personal_fields(request))
        return [n for n in super().get_list_filter(request) if n not in hidden]

    def get_sortable_by(self, request):
        hidden = set(self.hidden_personal_fields(request))
        return [n for n in self.get_list_display(request) if n not in hidden]

    def _personal_fields_on_the_page(self, request) -> set[str]:
        """Personal fields this role is shown somewhere: the record's form (the change
        page's fieldsets, not the add form's), the list, its filters."""
        shown = set(self.shown_personal_fields(request))
        if self.fieldsets:
            names = {n for _, options in self.fieldsets for n in options.get("fields", ())}
        else:
            names = set(self.fields or ()) or {
                f.name for f in self.model._meta.fields if f.editable
            }
        names |= set(self.list_display) | {n for n in self.list_filter if isinstance(n, str)}
        names -= set(self.exclude or ())
        return shown & names

    def lookup_allowed(self, lookup, value, request):
        # The admin lets any field of the model be filtered on from the address
        # (?email__startswith=a): on a field the role is not shown (a hidden one, or one
        # shown to no one, such as the password hash) the count of rows would spell out
        # its value a letter at a time. Refused like any disallowed lookup (400).
        first = lookup.split(LOOKUP_SEP, 1)[0]
        with suppress(FieldDoesNotExist):
            first = self.model._meta.get_field(first).name  # "member_id" is "member"
        if first in self._declared_personal() and first not in self._personal_fields_on_the_page(
            request
        ):
            return False
        return super().lookup_allowed(lookup, value, request)

    # -- audit ---------------------------------------------------------------------------
    def change_view(self, request, object_id, form_url="", extra_context=None):
        with transaction.atomic():
            response = super().change_view(request, object_id, form_url, extra_context)
            obj = getattr(request, "privacy_admin_object", None)
            if obj is not None and request.method == "GET" and response.status_code == 200:
                self._record(
                    request,
                    obj,
                    AuditEventType.STAFF_VIEWED_PRIVATE,
                    self.shown_personal_fields(request),
                )
        return response

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        personal = set(self._declared_personal())
        touched = [n for n in form.changed_data if n in personal]
        if change and touched:
            self._record(request, obj, AuditEventType.STAFF_CHANGED_PRIVATE, touched)

    def _record(self, request, obj, event_type, fields):
        member = owner_of(obj)
        if member is None or not fields:
            return
        categories = {f.category for f in registry.personal_fields(self.model) if f.name in fields}
        audit_record(
            actor=Actor.from_request(request),
            event_type=event_type,
            category=categories.pop() if len(categories) == 1 else Category.ACCOUNT,
            subject=member,
            obj=obj,
            fields=fields,
        )
