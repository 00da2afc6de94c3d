"""Writes for staff two-factor sign-in. Each owns its transaction and records its audit
event; a wrong code counts as a failed sign-in (django-axes and the per-address lockout)."""

from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.db import transaction
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.staff_otp.events import StaffOtpEvent
from privacy.audit.services import Actor, audit_record
from privacy.registry import Category

RECOVERY_CODE_COUNT = 10
APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"

WRONG_CODE = "That code is not right. Codes change every 30 seconds; try the current one."
WRONG_PASSWORD = "That is not your password."  # noqa: S105 - a message
TOO_FAST = "Too many wrong codes in a row: wait a few seconds, then enter the current code."
CODE_REQUIRED = "Enter the code from your authenticator app, or a recovery code."
NOT_YOURS = "You cannot reset your own two-factor sign-in; ask another privacy officer."
NOTHING_TO_RESET = "This account has no two-factor device."


def needs_enrolment(user) -> bool:
    """A staff account (or superuser) that has no confirmed device yet."""
    return (
        getattr(user, "is_authenticated", False)
        and user.is_active
        and (user.is_staff or user.is_superuser)
        and not user_has_device(user, confirmed=True)
    )


def count_failed_attempt(*, request, login: str) -> None:
    """A wrong code or re-entered password counts like a wrong sign-in password."""
    user_login_failed.send(sender=__name__, credentials={"username": login}, request=request)


def pending_app_device(*, user) -> TOTPDevice:
    """The authenticator-app device being enrolled: its key is shown until a first code
    from it confirms it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def staff_device_enrol(*, user, actor: Actor, request, password: str, code: str) -> list[str]:
    """Confirm the pending authenticator app with a code from it (and the password, so a
    session left open cannot enrol someone else's phone); return the recovery codes,
    which are shown once."""
    errors = {}
    if not user.check_password(password):
        errors["password"] = WRONG_PASSWORD
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(pk=pending_app_device(user=user).pk)
        device = device.get()
        allowed, _ = device.verify_is_allowed()
        if not errors and not allowed:
            errors["code"] = TOO_FAST
        elif not errors and not device.verify_token(code.strip()):
            errors["code"] = WRONG_CODE
        if not errors:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            StaticDevice.objects.filter(user=user).delete()
            recovery = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME)
            codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
            StaticToken.objects.bulk_create(
                [StaticToken(device=recovery, token=code) for code in codes]
            )
            audit_record(
                actor=actor,
                event_type=StaffOtpEvent.ENROLLED,
                category=Category.ACCOUNT,
                subject=user,
            )
    if errors:
        count_failed_attempt(request=request, login=user.login_name)
        raise ValidationError(errors)
    request.enrolled_device = device
    return codes


def staff_code_verify(*, user, actor: Actor, code: str):
    """The device that accepts `code`: the authenticator app for six digits, otherwise
    the recovery codes (each works once). None when neither does; django-otp throttles
    each device after failures on its own."""
    code = code.strip().replace(" ", "")
    if code.isdigit():
        devices = TOTPDevice.objects.filter(user=user, confirmed=True)
    else:
        devices = StaticDevice.objects.filter(user=user, confirmed=True)
    with transaction.atomic():
        for device in devices.select_for_update():
            if device.verify_token(code.lower()):
                if isinstance(device, StaticDevice):
                    audit_record(
                        actor=actor,
                        event_type=StaffOtpEvent.RECOVERY_CODE_USED,
                        category=Category.ACCOUNT,
                        subject=user,
                    )
                return device
    return None


def staff_devices_reset(*, member, actor: Actor) -> None:
    """Remove every two-factor device of a staff member, so they enrol again at their next
    sign-in. Never one's own: a stolen session must not be able to swap the phone."""
    if actor.user is not None and actor.user.pk == member.pk:
        raise ValidationError(NOT_YOURS)
    with transaction.atomic():
        removed = TOTPDevice.objects.filter(user=member).delete()[0]
        removed += StaticDevice.objects.filter(user=member).delete()[0]
        if not removed:
            raise ValidationError(NOTHING_TO_RESET)
        audit_record(
            actor=actor,
            event_type=StaffOtpEvent.DEVICE_REMOVED,
            category=Category.ACCOUNT,
            subject=member,
        )
