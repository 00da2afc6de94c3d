"""The admin side of staff two-factor sign-in: django-otp's own device admins are removed
(they would show keys and recovery codes to whoever holds the permission), and a privacy
officer resets a colleague's devices with an action on the account list."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.staff_otp import services
from privacy.audit.services import Actor
from privacy.roles import Role, roles_of

RESET_DONE = "Two-factor sign-in was reset for {name}; they set it up again at their next sign-in."

for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


def may_reset_devices(request) -> bool:
    return Role.PRIVACY_OFFICER in roles_of(request.user)


@admin.action(description="Reset two-factor sign-in (lost phone)")
def reset_two_factor(modeladmin, request, queryset):
    for member in queryset:
        try:
            services.staff_devices_reset(member=member, actor=Actor.from_request(request))
        except ValidationError as exc:
            modeladmin.message_user(request, f"{member}: {exc.messages[0]}", messages.ERROR)
        else:
            modeladmin.message_user(request, RESET_DONE.format(name=member), messages.SUCCESS)
