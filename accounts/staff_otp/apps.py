from django.contrib.admin.apps import AdminConfig


class StaffAdminConfig(AdminConfig):
    """Django's admin, with the two-factor admin site as `admin.site`."""

    default_site = "accounts.staff_otp.admin_site.StaffAdminSite"
