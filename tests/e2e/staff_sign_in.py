"""Staff sign in to the admin in a real browser as a person would: login name, password
and the code their authenticator app shows, computed here from the device's key."""

import re

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from tests.accounts.factories import PASSWORD

PASSWORD_LABEL = re.compile(r"^Password:?$")


def current_code(device) -> str:
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{value:0{device.digits}d}"


def enrolled_device(login: str) -> TOTPDevice:
    user = User.objects.get(login_name=login)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)


def admin_sign_in(page, login: str, password: str = PASSWORD) -> None:
    device = enrolled_device(login)
    page.goto("/admin/login/")
    page.get_by_label("Login name").fill(login)
    page.get_by_label(PASSWORD_LABEL).fill(password)
    page.get_by_label("Authentication code").fill(current_code(device))
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r".*/admin/(?!login).*"))
