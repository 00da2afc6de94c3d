"""Partners in the admin, and the shares members made with them."""

from django.contrib import admin

from bestqm.admin import ReadOnlyAdmin
from privacy.admin_masking import RegistryMaskedAdmin
from privacy.registry import CATEGORY_STAFF_ROLES, Category
from privacy.roles import roles_of
from support.models import (
    Partner,
    PartnerShare,
)
from support.partners.admin_forms import PartnerForm
from support.partners.selectors import field_label


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    """Partner services members may share details with. Switch a partner off rather than
    deleting it: members' records of what they shared keep naming it."""

    form = PartnerForm
    list_display = ("name", "is_active", "asks_for")
    list_filter = ("is_active",)
    prepopulated_fields = {"slug": ("name",)}

    @admin.display(description="asks for")
    def asks_for(self, partner):
        return ", ".join(field_label(name) for name in partner.shared_fields)


@admin.register(PartnerShare)
class PartnerShareAdmin(ReadOnlyAdmin, RegistryMaskedAdmin):
    """What members chose to share with partners: names of details and when, never
    values. A record: read-only for everyone."""

    list_display = ("__str__", "member", "partner", "fields", "shared_at")
    list_filter = (("partner", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("partner", "member")
    ordering = ("-shared_at",)
    show_full_result_count = False
    fields = ("member", "partner", "fields", "shared_at")
    readonly_fields = fields

    def has_view_permission(self, request, obj=None):
        readers = CATEGORY_STAFF_ROLES[Category.ACCOUNT]
        allowed = not roles_of(request.user).isdisjoint(readers)
        return super().has_view_permission(request, obj) and allowed
