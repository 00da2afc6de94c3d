"""Orders in the Django admin, for billing staff.

An order is read-only here: it moves only through the actions, which call the services
(refunds need the billing role, and a refused move is reported with message_user). The
registry decides what each role sees: billing agents see the billing contact, the masked
card ("Visa •••• 4242"), the member's phone and the calls logged; support agents see that
an order exists and its status, not who paid or how. Every opening is audited.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from bestqm.admin import ReadOnlyInline
from orders import services
from orders.cards.numbers import contains_card_number
from orders.errors import OrderWorkflowError
from orders.models import Licence, Order, Payment, PhoneContact, Product
from orders.selectors import charged_payment
from privacy.admin_masking import RegistryMaskedAdmin
from privacy.audit.services import Actor, AuditEventType, audit_record
from privacy.registry import Category, registry
from privacy.roles import Role, roles_of

REFUNDED = "{order} was refunded; the licences it delivered were revoked."
REFUNDED_MANY = "Refunded {count} order(s)."
FULFILLED_MANY = "Delivered {count} order(s)."
REFUSED = "{order}: {message}"


def _sees(request, model, field: str) -> bool:
    return field in registry.staff_visible_fields(model, roles_of(request.user))


def _is_billing(request) -> bool:
    return Role.BILLING_AGENT in roles_of(request.user)


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "price", "currency", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}

    def has_delete_permission(self, request, obj=None):
        return False  # past orders keep their product: take it off sale instead


class PaymentInline(ReadOnlyInline, admin.TabularInline):
    model = Payment
    fields = ("created_at", "kind", "outcome", "amount", "card", "reference")
    readonly_fields = fields
    ordering = ("-created_at", "-id")

    @admin.display(description="Card")
    def card(self, payment):
        return payment.card_display or "—"


class LicenceInline(ReadOnlyInline, admin.TabularInline):
    model = Licence
    fk_name = "order"
    fields = ("serial", "issued_at", "revoked_at")
    readonly_fields = fields


class PhoneContactHistoryInline(ReadOnlyInline, admin.TabularInline):
    model = PhoneContact
    verbose_name_plural = "Phone calls about this order"
    fields = ("contacted_at", "staff", "outcome", "note")
    readonly_fields = fields


class PhoneContactForm(forms.ModelForm):
    class Meta:
        model = PhoneContact
        fields = ("outcome", "note")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A tabular inline shows labels only as column headings: name each input too.
        for field in self.fields.values():
            field.widget.attrs.setdefault("aria-label", str(field.label))

    def clean_note(self):
        note = self.cleaned_data["note"]
        if contains_card_number(note):
            raise forms.ValidationError(services.NOTE_HAS_CARD_NUMBER)
        return note


class PhoneContactAddInline(admin.TabularInline):
    """One empty row to log a call; saved through the service (orders.services)."""

    model = PhoneContact
    form = PhoneContactForm
    verbose_name = "phone call to log"
    verbose_name_plural = "Log a phone call"
    extra = 1
    max_num = 1
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).none()

    def has_add_permission(self, request, obj=None):
        return _is_billing(request) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Order)
class OrderAdmin(RegistryMaskedAdmin):
    list_display = ("__str__", "status", "product_name", "amount", "currency", "created_at")
    list_filter = ("status", "product")
    search_fields = ("=id", "=billing_email")
    date_hierarchy = "created_at"
    ordering = ("-created_at", "-id")
    show_full_result_count = False
    actions = ["refund_orders", "fulfil_orders"]
    _DATES = (
        "created_at",
        "status_changed_at",
        "paid_at",
        "fulfilled_at",
        "cancelled_at",
        "refunded_at",
        "anonymised_at",
    )
    _ORDER = ("status", "member", "product_name", "amount", "currency", "membership_until")
    fieldsets = (
        ("Order", {"fields": _ORDER}),
        ("Billing contact", {"fields": services.billing_field_names()}),
        ("Dates", {"fields": _DATES}),
    )
    readonly_fields = (
        *_ORDER,
        *services.billing_field_names(),
        *_DATES,
        "card",
        "member_phone",
        "refund",
    )

    # -- who may do what --------------------------------------------------------------------
    def has_add_permission(self, request):
        return False  # members place orders at checkout

    def has_delete_permission(self, request, obj=None):
        return False  # accounting records: retention anonymises them, nobody deletes them

    def has_refund_permission(self, request):
        return _is_billing(request)

    def has_fulfil_permission(self, request):
        return _is_billing(request)

    def save_model(self, request, obj, form, change):
        """Nothing of an order is edited in a form: it moves through the actions."""

    def save_formset(self, request, form, formset, change):
        # Only a new phone call is ever saved here, through its service; the admin's
        # change message reads what was saved from these lists.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        if formset.model is not PhoneContact:
            return
        actor = Actor.from_request(request)
        for row in formset.forms:
            if row.instance.pk is None and row.has_changed():
                contact = services.phone_contact_log(
                    order=form.instance,
                    actor=actor,
                    outcome=row.cleaned_data["outcome"],
                    note=row.cleaned_data.get("note", ""),
                )
                formset.new_objects.append(contact)

    # -- what each role sees ------------------------------------------------------------------
    def _sees_card(self, request) -> bool:
        return _sees(request, Payment, "card_last4")

    def _sees_phone(self, request) -> bool:
        # The phone is for trouble with an order: staff who see its billing contact.
        return _sees(request, get_user_model(), "phone") and _sees(request, Order, "billing_name")

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        extra = []
        if obj is not None and self._sees_card(request):
            extra.append("card")
        if obj is not None and self._sees_phone(request):
            extra.append("member_phone")
        if obj is not None and _is_billing(request) and obj.can_refund():
            extra.append("refund")
        if extra:
            fieldsets.insert(1, ("Payment and contact", {"fields": extra}))
        return fieldsets

    def get_inlines(self, request, obj):
        if obj is None:
            return []
        inlines = []
        if self._sees_card(request):
            inlines.append(PaymentInline)
        if _sees(request, Licence, "serial"):
            inlines.append(LicenceInline)
        if _sees(request, PhoneContact, "note"):
            inlines.append(PhoneContactHistoryInline)
            if _is_billing(request):
                inlines.append(PhoneContactAddInline)
        return inlines

    @admin.display(description="Card")
    def card(self, order):
        payment = charged_payment(order) or order.payments.filter(kind=Payment.Kind.CHARGE).first()
        return payment.card_display if payment is not None and payment.card_display else "—"

    @admin.display(description="Member's phone")
    def member_phone(self, order):
        phone = order.member.phone if order.member is not None else None
        return str(phone) if phone else "—"

    @admin.display(description="Refund")
    def refund(self, order):
        url = reverse("admin:orders_order_refund", args=[order.pk])
        return format_html('<a class="button" href="{}">Refund this order</a>', url)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        order = getattr(request, "privacy_admin_object", None)
        if order is not None and request.method == "GET" and response.status_code == 200:
            self._record_extras(request, order)
        return response

    def _record_extras(self, request, order: Order) -> None:
        """The registry masking records the order's own fields; what this page shows of the
        order's payments, licences, calls and of the member's account is recorded here."""
        if order.member is None:
            return
        actor = Actor.from_request(request)
        shown = []
        if self._sees_card(request) and order.payments.exists():
            shown += ["card_brand", "card_last4", "card_exp_month", "card_exp_year", "reference"]
        if _sees(request, Licence, "serial") and order.licences.exists():
            shown.append("serial")
        if _sees(request, PhoneContact, "note") and order.phone_contacts.exists():
            shown += ["outcome", "note"]
        if shown:
            audit_record(
                actor=actor,
                event_type=AuditEventType.STAFF_VIEWED_PRIVATE,
                category=Category.FINANCIAL,
                subject=order.member,
                obj=order,
                fields=shown,
            )
        if self._sees_phone(request) and order.member.phone:
            audit_record(
                actor=actor,
                event_type=AuditEventType.STAFF_VIEWED_PRIVATE,
                category=Category.ACCOUNT,
                subject=order.member,
                obj=order.member,
                fields=["phone"],
            )

    # -- refunds and fulfilment -----------------------------------------------------------------
    def get_urls(self):
        return [
            path(
                "<path:object_id>/refund/",
                self.admin_site.admin_view(self.refund_view),
                name="orders_order_refund",
            ),
            *super().get_urls(),
        ]

    def refund_view(self, request, object_id):
        """Confirm and make a refund of one order. Billing agents only: anyone else 403."""
        if not _is_billing(request):
            raise PermissionDenied
        order = self.get_object(request, object_id)
        if order is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        change_url = reverse("admin:orders_order_change", args=[order.pk])
        if request.method == "POST":
            try:
                services.order_refund(order=order, actor=Actor.from_request(request))
            except OrderWorkflowError as exc:
                self.message_user(request, exc.message, messages.ERROR)
            else:
                self.message_user(request, REFUNDED.format(order=order), messages.SUCCESS)
            return redirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Refund {order}?",
            "order": order,
            "card": self.card(order),
            "change_url": change_url,
        }
        return TemplateResponse(request, "orders/admin_refund_confirm.html", context)

    @admin.action(description="Refund selected orders", permissions=["refund"])
    def refund_orders(self, request, queryset):
        self._each(request, queryset, services.order_refund, REFUNDED_MANY)

    @admin.action(description="Deliver selected paid orders", permissions=["fulfil"])
    def fulfil_orders(self, request, queryset):
        self._each(request, queryset, services.order_fulfil, FULFILLED_MANY)

    def _each(self, request, queryset, service, done_message: str) -> None:
        actor, done = Actor.from_request(request), 0
        for order in queryset:
            try:
                service(order=order, actor=actor)
            except OrderWorkflowError as exc:
                self.message_user(
                    request, REFUSED.format(order=order, message=exc.message), messages.ERROR
                )
            else:
                done += 1
        if done:
            self.message_user(request, done_message.format(count=done), messages.SUCCESS)
