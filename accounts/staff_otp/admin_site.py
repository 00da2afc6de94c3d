from functools import wraps

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path, reverse

from accounts.staff_otp.forms import StaffSignInForm
from accounts.staff_otp.services import needs_enrolment


class StaffAdminSite(admin.AdminSite):
    """The admin opens only to staff verified by a second factor in this session (an API
    token or a password alone never opens it). A staff account with no device yet is sent
    to enrol one before any admin page opens."""

    login_form = StaffSignInForm
    login_template = "admin/staff_otp/login.html"

    def has_permission(self, request):
        user = request.user
        return super().has_permission(request) and user.is_verified()

    def admin_view(self, view, cacheable=False):
        return super().admin_view(_permission_before_existence(view), cacheable)

    def login(self, request, extra_context=None):
        if needs_enrolment(request.user):
            return redirect("admin:staff_otp_enrol")
        return super().login(request, extra_context)

    def get_urls(self):
        from accounts.staff_otp.views import EnrolView

        return [
            path(
                "two-factor/enrol/",
                EnrolView.as_view(admin_site=self),
                name="staff_otp_enrol",
            ),
            *super().get_urls(),
        ]

    def enrol_url(self):
        return reverse("admin:staff_otp_enrol")


def _permission_before_existence(view):
    """Django's history page looks the record up before it checks the permission, so a
    role that may not see a model got 403 for a record that exists and a redirect for one
    that does not: the answer told them which ids exist. Checked first here, as the change
    and delete pages already do, so both answers are the same 403."""
    model_admin = getattr(view, "__self__", None)
    if not isinstance(model_admin, admin.ModelAdmin) or view.__name__ != "history_view":
        return view

    @wraps(view)
    def checked(request, *args, **kwargs):
        if not model_admin.has_view_or_change_permission(request):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return checked
