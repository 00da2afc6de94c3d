"""Staff work support tickets here: assign, prioritise, move, internal notes, replies, and
the phone contacts logged on them.

Every write goes through support.tickets.services; an invalid move is reported with
`message_user`. Who may open what follows the roles (support.tickets.access and the
registry's categories), whatever model permissions a group may have been given by mistake."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html

from bestqm.admin import ReadOnlyInline
from bestqm.http.form_errors import service_error_text
from bestqm.http.site_url import site_url
from privacy.admin_masking import RegistryMaskedAdmin
from privacy.audit.services import Actor
from privacy.registry import registry
from privacy.roles import roles_of
from support import errors
from support.models import (
    PhoneContact,
    Ticket,
    TicketMessage,
    TicketNote,
)
from support.tickets import services
from support.tickets.access import may_read_tickets, may_work_tickets
from support.tickets.admin_forms import (
    PhoneContactForm,
    TicketWorkForm,
)

MOVED = "{count} ticket(s) moved to “{status}”."


WORK_SECTION = "Work on this ticket"


class AssignmentFilter(admin.SimpleListFilter):
    """Mine / nobody's: what an agent needs, without listing colleagues by name."""

    title = "assigned"
    parameter_name = "assigned"

    def lookups(self, request, model_admin):
        return [("me", "To me"), ("nobody", "To nobody")]

    def queryset(self, request, queryset):
        if self.value() == "me":
            return queryset.filter(assignee=request.user)
        if self.value() == "nobody":
            return queryset.filter(assignee=None)
        return queryset


class _ReadOnlyInline(ReadOnlyInline):
    """Conversation records on the ticket page: shown to whoever may read the ticket,
    never changed here (the work form and the services add to them)."""

    def has_view_permission(self, request, obj=None):
        return may_read_tickets(request.user)


class TicketMessageInline(_ReadOnlyInline, admin.StackedInline):
    model = TicketMessage
    verbose_name = "message the member sees"
    verbose_name_plural = "conversation (what the member sees)"
    fields = ("created_at", "written_by", "body")
    readonly_fields = fields

    @admin.display(description="written by")
    def written_by(self, message):
        if message.sender == TicketMessage.Sender.MEMBER:
            return "The member"
        author = message.author
        name = (author.get_full_name() or author.login_name) if author else "a former agent"
        return f"Support ({name})"


class PhoneContactInline(_ReadOnlyInline, admin.TabularInline):
    model = PhoneContact
    fields = ("contacted_at", "direction", "outcome", "summary")
    readonly_fields = fields


class TicketNoteInline(_ReadOnlyInline, admin.StackedInline):
    model = TicketNote
    verbose_name = "internal note"
    verbose_name_plural = "internal notes (never shown to the member)"
    fields = ("created_at", "body")
    readonly_fields = fields


@admin.register(Ticket)
class TicketAdmin(RegistryMaskedAdmin):
    """Support tickets. Support agents work them; the privacy officer may read them.
    Opening one is recorded in the member's audit trail."""

    form = TicketWorkForm
    list_display = ("__str__", "subject", "status", "priority", "assigned_to", "last_message_at")
    list_filter = ("status", "priority", AssignmentFilter)
    search_fields = ("=id", "=member__login_name", "=member__email")
    list_select_related = ("assignee",)
    ordering = ("-last_message_at",)
    show_full_result_count = False
    readonly_fields = (
        "member_link",
        "subject",
        "status",
        "created_at",
        "last_message_at",
        "answered_at",
        "closed_at",
        "phone_contact_link",
    )
    fieldsets = (
        (
            "Ticket",
            {
                "fields": (
                    "member_link",
                    "subject",
                    "status",
                    "created_at",
                    "last_message_at",
                    "answered_at",
                    "closed_at",
                )
            },
        ),
        ("Handling", {"fields": ("assignee", "priority", "phone_contact_link")}),
        (WORK_SECTION, {"fields": ("move_to", "internal_note", "reply")}),
    )
    inlines = (TicketMessageInline, PhoneContactInline, TicketNoteInline)
    actions = ("mark_answered", "close", "reopen")

    # -- who may do what -------------------------------------------------------------------
    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and may_read_tickets(request.user)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and may_work_tickets(request.user)

    def shown_personal_fields(self, request):
        # The page also shows the conversation, notes and calls: the record of an opening
        # (RegistryMaskedAdmin) names their fields too.
        shown = super().shown_personal_fields(request)
        roles = roles_of(request.user)
        inline = {
            name
            for model in (TicketMessage, TicketNote, PhoneContact)
            for name in registry.staff_visible_fields(model, roles)
        }
        return [*shown, *sorted(inline - set(shown))]

    def has_add_permission(self, request):
        return False  # members open tickets

    def has_delete_permission(self, request, obj=None):
        return False  # a member's erasure removes them, nothing else

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or not self.has_change_permission(request, obj):
            fieldsets = [(title, opts) for title, opts in fieldsets if title != WORK_SECTION]
        return fieldsets

    # -- display ---------------------------------------------------------------------------
    @admin.display(description="assigned to", ordering="assignee")
    def assigned_to(self, ticket):
        agent = ticket.assignee
        return (agent.get_full_name() or agent.login_name) if agent else "—"

    @admin.display(description="member")
    def member_link(self, ticket):
        # The account page masks what this role may not see, and records the opening.
        url = reverse("admin:accounts_user_change", args=[ticket.member_id])
        return format_html('<a href="{}">{}</a>', url, ticket.member)

    @admin.display(description="phone")
    def phone_contact_link(self, ticket):
        url = reverse("admin:support_phonecontact_add")
        return format_html('<a href="{}?ticket={}">Log a phone contact</a>', url, ticket.pk)

    # -- saving through the services ----------------------------------------------------------
    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        # Only what the agent changed: an untouched assignee is not a reassignment.
        handling = {
            name: data[name] for name in ("assignee", "priority") if name in form.changed_data
        }
        try:
            services.ticket_work(
                ticket=obj,
                actor=Actor.from_request(request),
                base_url=site_url(request),
                note=data.get("internal_note", ""),
                reply=data.get("reply", ""),
                move_to=data.get("move_to", ""),
                **handling,
            )
        except (errors.SupportError, ValidationError) as exc:
            self.message_user(request, service_error_text(exc), messages.ERROR)

    def save_related(self, request, form, formsets, change):
        # The inlines are read-only, so this saves nothing; it lets the admin's history
        # see that no inline changed. The services above wrote what did.
        super().save_related(request, form, formsets, change)

    # -- actions ---------------------------------------------------------------------------
    def _move(self, request, queryset, status: Ticket.Status, move) -> None:
        actor, moved = Actor.from_request(request), 0
        for ticket in queryset:
            try:
                move(ticket, actor)
            except errors.SupportError as exc:
                self.message_user(request, f"{ticket}: {exc.message}", messages.ERROR)
            else:
                moved += 1
        if moved:
            self.message_user(request, MOVED.format(count=moved, status=status.label))

    @admin.action(description="Mark as answered", permissions=["change"])
    def mark_answered(self, request, queryset):
        self._move(
            request,
            queryset,
            Ticket.Status.ANSWERED,
            lambda ticket, actor: services.ticket_answer(ticket=ticket, actor=actor),
        )

    @admin.action(description="Close (the member is told by e-mail)", permissions=["change"])
    def close(self, request, queryset):
        base_url = site_url(request)
        self._move(
            request,
            queryset,
            Ticket.Status.CLOSED,
            lambda ticket, actor: services.ticket_close(
                ticket=ticket, actor=actor, base_url=base_url
            ),
        )

    @admin.action(description="Reopen", permissions=["change"])
    def reopen(self, request, queryset):
        self._move(
            request,
            queryset,
            Ticket.Status.OPEN,
            lambda ticket, actor: services.ticket_reopen(ticket=ticket, actor=actor),
        )


@admin.register(PhoneContact)
class PhoneContactAdmin(RegistryMaskedAdmin):
    """Phone calls with members about their tickets, logged by support agents. A logged
    call is a record: it is not changed afterwards."""

    form = PhoneContactForm
    list_display = ("__str__", "ticket", "contacted_at", "direction", "outcome")
    list_filter = ("outcome", "direction")
    list_select_related = ("ticket",)
    raw_id_fields = ("ticket",)
    ordering = ("-contacted_at",)
    show_full_result_count = False
    fieldsets = ((None, {"fields": ("ticket", "direction", "outcome", "summary", "contacted_at")}),)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and may_read_tickets(request.user)

    def has_add_permission(self, request):
        return super().has_add_permission(request) and may_work_tickets(request.user)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        contact = services.phone_contact_log(
            ticket=obj.ticket,
            actor=Actor.from_request(request),
            direction=obj.direction,
            outcome=obj.outcome,
            summary=obj.summary,
            contacted_at=obj.contacted_at,
        )
        obj.pk = contact.pk  # the admin's history and redirect name the record logged

    def response_add(self, request, obj, post_url_continue=None):
        self.message_user(request, f"{obj} logged on {obj.ticket}.", messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:support_ticket_change", args=[obj.ticket_id]))
