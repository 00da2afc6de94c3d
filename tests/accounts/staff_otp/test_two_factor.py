"""Staff sign in to the admin with a second factor (django-otp): an authenticator app's
code, or a single-use recovery code. Without a device they enrol before any admin page."""

import time

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from accounts.staff_otp.events import StaffOtpEvent
from privacy.audit.models import AuditEvent
from privacy.roles import Role
from tests.accounts.factories import PASSWORD, StaffFactory, sign_in_verified

pytestmark = pytest.mark.django_db

ADMIN_LOGIN = reverse("admin:login")
ADMIN_INDEX = reverse("admin:index")
ENROL = reverse("admin:staff_otp_enrol")


def code_of(device) -> str:
    """The code an authenticator app shows for the device now (RFC 6238)."""
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{value:0{device.digits}d}"


@pytest.fixture
def staff():
    return StaffFactory(login_name="sam.staff", roles=[Role.SUPPORT_AGENT])


@pytest.fixture
def enrolled(staff):
    device = TOTPDevice.objects.create(user=staff, name="app", confirmed=True)
    recovery = StaticDevice.objects.create(user=staff, name="recovery")
    StaticToken.objects.create(device=recovery, token="abcd2345ef")
    return device


def admin_sign_in(client, code, login="sam.staff", password=PASSWORD, ip="203.0.113.9"):
    return client.post(
        ADMIN_LOGIN,
        {"username": login, "password": password, "otp_token": code, "next": ADMIN_INDEX},
        REMOTE_ADDR=ip,
    )


def test_staff_sign_in_with_password_and_the_apps_code_opens_the_admin(client, enrolled):
    response = admin_sign_in(client, code_of(enrolled))

    assert response.status_code == 302
    assert response["Location"] == ADMIN_INDEX
    assert client.get(ADMIN_INDEX).status_code == 200


def test_the_password_alone_does_not_open_the_admin_of_an_enrolled_account(client, enrolled):
    response = admin_sign_in(client, "")

    assert response.status_code == 200
    assert "Enter the code from your authenticator app" in response.text
    assert client.get(ADMIN_INDEX).status_code == 302


def test_a_wrong_code_is_a_form_error_and_counts_toward_the_lockout(client, enrolled):
    response = admin_sign_in(client, "000000" if code_of(enrolled) != "000000" else "111111")
    assert response.status_code == 200
    assert "That code is not right" in response.text
    assert client.get(ADMIN_INDEX).status_code == 302

    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        admin_sign_in(client, "123456" if code_of(enrolled) != "123456" else "654321")
    locked = admin_sign_in(client, code_of(enrolled))

    assert locked.status_code == 429
    assert client.get(ADMIN_INDEX).status_code == 302


def test_a_recovery_code_signs_in_once_and_is_then_refused(enrolled, staff):
    first = Client()
    assert admin_sign_in(first, "ABCD 2345 EF").status_code == 302
    assert first.get(ADMIN_INDEX).status_code == 200
    assert AuditEvent.objects.filter(event_type=StaffOtpEvent.RECOVERY_CODE_USED).count() == 1

    second = Client()
    response = admin_sign_in(second, "abcd2345ef")
    assert response.status_code == 200
    assert "That code is not right" in response.text
    assert second.get(ADMIN_INDEX).status_code == 302


def test_a_staff_members_api_token_never_opens_the_admin(enrolled, staff):
    _, secret = AuthToken.objects.create(user=staff)

    response = Client().get(ADMIN_INDEX, headers={"Authorization": f"Token {secret}"})

    assert response.status_code == 302
    assert response["Location"].startswith(ADMIN_LOGIN)


def test_staff_without_a_device_enrol_with_the_key_shown_and_get_recovery_codes(client, staff):
    signed_in = admin_sign_in(client, "")
    assert signed_in.status_code == 302
    assert client.get(ADMIN_INDEX)["Location"].startswith(ADMIN_LOGIN)
    assert client.get(ADMIN_LOGIN)["Location"] == ENROL

    page = client.get(ENROL)
    assert page.status_code == 200
    assert "<svg" in page.text and "QR code of your key" in page.text
    device = TOTPDevice.objects.get(user=staff, confirmed=False)
    key = page.context["key_text"].replace(" ", "")
    assert key in page.text.replace(" ", "")

    wrong = client.post(ENROL, {"password": PASSWORD, "code": "not-a-code"})
    assert wrong.status_code == 400
    assert not TOTPDevice.objects.filter(user=staff, confirmed=True).exists()
    assert TOTPDevice.objects.get(pk=device.pk).throttling_failure_count == 1
    time.sleep(1.1)  # django-otp's throttle: 1 s after one wrong code, doubling after each

    done = client.post(ENROL, {"password": PASSWORD, "code": code_of(device)})
    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == 10 and all(code in done.text for code in codes)
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert AuditEvent.objects.filter(event_type=StaffOtpEvent.ENROLLED).count() == 1
    assert client.get(ADMIN_INDEX).status_code == 200
    # Enrolled now: the page is gone for good.
    assert client.get(ENROL)["Location"] == ADMIN_INDEX


def test_enrolment_needs_the_password_too(client, staff):
    client.force_login(staff, backend="accounts.backends.LoginNameOrEmailBackend")
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=staff, confirmed=False)

    response = client.post(ENROL, {"password": "not-my-password", "code": code_of(device)})

    assert response.status_code == 400
    assert "That is not your password" in response.text
    assert not TOTPDevice.objects.filter(user=staff, confirmed=True).exists()


def test_a_privacy_officer_resets_a_colleagues_device_but_never_their_own(enrolled, staff):
    officer = StaffFactory(login_name="pia.officer", roles=[Role.PRIVACY_OFFICER])
    client = sign_in_verified(Client(), officer)
    changelist = reverse("admin:accounts_user_changelist")

    own = client.post(changelist, {"action": "reset_two_factor", "_selected_action": [officer.pk]})
    assert own.status_code == 302
    assert TOTPDevice.objects.filter(user=officer).exists()

    client.post(changelist, {"action": "reset_two_factor", "_selected_action": [staff.pk]})

    assert not TOTPDevice.objects.filter(user=staff).exists()
    assert not StaticDevice.objects.filter(user=staff).exists()
    assert AuditEvent.objects.filter(event_type=StaffOtpEvent.DEVICE_REMOVED).count() == 1


def test_only_a_privacy_officer_is_offered_the_reset(enrolled, staff):
    client = sign_in_verified(Client(), StaffFactory(roles=[Role.SUPPORT_AGENT]))

    client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_two_factor", "_selected_action": [staff.pk]},
    )

    assert TOTPDevice.objects.filter(user=staff).exists()
