from django import forms
from django.contrib import admin
from django.contrib.auth.forms import BaseUserCreationForm

from accounts.directory.public_cache import directory_changed
from accounts.models import PublicProfile, User
from accounts.staff_otp.admin import may_reset_devices, reset_two_factor
from privacy.admin_masking import RegistryMaskedAdmin
from privacy.registry import registry


class ChangesTheDirectory:
    """Staff changes to an account or a profile may change what visitors see: cached
    public pages are stale once they commit (accounts/directory/public_cache.py)."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        directory_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        directory_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        directory_changed()


class StaffAccountCreationForm(BaseUserCreationForm):
    class Meta:
        model = User
        fields = ("login_name", "email", "first_name", "last_name", "zip_code")


@admin.register(User)
class MemberAccountAdmin(ChangesTheDirectory, RegistryMaskedAdmin):
    """Members' private accounts. The list shows no private value; staff find a member by
    the exact login name or e-mail address, and every opening is in the audit log."""

    list_display = ("__str__", "is_active", "is_staff")
    list_filter = ("is_active", "is_staff", "groups")
    search_fields = ("=login_name", "=email")
    ordering = ("pk",)
    readonly_fields = ("last_login", "date_joined")

    # The staff roles are a handful: plain checkboxes, labelled for screen readers (the
    # two-box filter widget is not), rather than filter_horizontal.
    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups":
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    fieldsets = (
        ("Account", {"fields": registry.member_fields(User, topic="account", editable=False)}),
        ("Settings", {"fields": registry.member_fields(User, topic="settings", editable=False)}),
        ("Staff access", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "fields": (
                    "login_name",
                    "email",
                    "first_name",
                    "last_name",
                    "zip_code",
                    "password1",
                    "password2",
                )
            },
        ),
    )

    actions = [reset_two_factor]

    def has_add_permission(self, request):
        # Members sign up themselves; only a superuser creates accounts here (for staff).
        return request.user.is_superuser

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not may_reset_devices(request):
            actions.pop("reset_two_factor", None)
        return actions

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.add_fieldsets
        return super().get_fieldsets(request, obj)

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = StaffAccountCreationForm
            return forms.models.modelform_factory(
                User, form=StaffAccountCreationForm, fields=StaffAccountCreationForm.Meta.fields
            )
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            # Only a superuser grants staff powers.
            fields += ["is_staff", "is_superuser", "groups"]
        return fields


@admin.register(PublicProfile)
class PublicProfileAdmin(ChangesTheDirectory, RegistryMaskedAdmin):
    """Public profiles, for support and the privacy officer. The private birth date is
    masked for roles the registry does not name; opening a profile is audited."""

    list_display = ("username", "listed_in_directory", "created_at")
    list_filter = ("listed_in_directory",)
    search_fields = ("=username",)
    ordering = ("username",)
    readonly_fields = ("created_at", "updated_at")
    fieldsets = (
        (
            "Profile",
            {"fields": registry.member_fields(PublicProfile, topic="profile", editable=False)},
        ),
        ("Dates", {"fields": ("created_at", "updated_at")}),
    )

    def has_add_permission(self, request):
        return False  # members create their own public profile
