"""The fixed demo logins a newcomer signs in with: one member, one staff account per role
and a superuser, all sharing a published password."""

from datetime import date

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from accounts.models import PublicProfile, User, Visibility
from demo.fake_members import LIFESTYLE_PHRASES
from privacy.roles import Role

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - printed for the newcomer on purpose
DEMO_MEMBER = "demo"
DEMO_USERNAME = "sunnyside_walker"
STAFF_LOGINS = {
    Role.SUPPORT_AGENT: "staff-support",
    Role.BILLING_AGENT: "staff-billing",
    Role.PRIVACY_OFFICER: "staff-privacy",
    Role.LEGAL_OFFICER: "staff-legal",
    Role.LEGAL_APPROVER: "staff-approver",
}
ADMIN_LOGIN = "admin"
# Staff appear in the admin by name and role ("Lena Ortiz, Legal officer"): fake names.
STAFF_NAMES = {
    Role.SUPPORT_AGENT: ("Sam", "Okafor"),
    Role.BILLING_AGENT: ("Bea", "Lindqvist"),
    Role.PRIVACY_OFFICER: ("Priya", "Raman"),
    Role.LEGAL_OFFICER: ("Lena", "Ortiz"),
    Role.LEGAL_APPROVER: ("Arno", "Keller"),
}


@transaction.atomic
def demo_logins_create(*, password_hash: str) -> None:
    """The fixed demo logins: a member with a public profile, one staff account per role
    and a superuser, all with DEMO_PASSWORD. Re-runnable: they are updated in place."""
    defaults = {
        "password": password_hash,
        "zip_code": "94110",
        "is_active": True,
        "email_verified_at": timezone.now(),
    }
    demo, _ = User.objects.update_or_create(
        login_name=DEMO_MEMBER,
        defaults={
            **defaults,
            "email": "demo@example.com",
            "first_name": "Dana",
            "last_name": "Demo",
            "screen_name": "Dana",
        },
    )
    PublicProfile.objects.update_or_create(
        member=demo,
        defaults={
            "username": DEMO_USERNAME,
            "gender": PublicProfile.Gender.FEMALE,
            "birth_date": date(timezone.localdate().year - 34, 6, 15),
            "looking_for": PublicProfile.LookingFor.ACTIVITY_PARTNERS,
            "lifestyle": PublicProfile.Lifestyle.ACTIVE,
            "lifestyle_text": LIFESTYLE_PHRASES[0],
            "country": "US",
            "region": "California",
            "city": "Oakland",
            "gender_visibility": Visibility.EVERYONE,
            "age_visibility": Visibility.MEMBERS,
            "ethnic_background_visibility": Visibility.ONLY_ME,
            "lifestyle_visibility": Visibility.EVERYONE,
            "location_visibility": Visibility.MEMBERS,
            "listed_in_directory": True,
        },
    )
    for role, login in STAFF_LOGINS.items():
        staff, _ = User.objects.update_or_create(
            login_name=login,
            defaults={
                **defaults,
                "email": f"{login}@example.com",
                "first_name": STAFF_NAMES[role][0],
                "last_name": STAFF_NAMES[role][1],
                "is_staff": True,
            },
        )
        staff.groups.set([Group.objects.get(name=role.label)])
    User.objects.update_or_create(
        login_name=ADMIN_LOGIN,
        defaults={
            **defaults,
            "email": "admin@example.com",
            "first_name": "Ada",
            "last_name": "Admin",
            "is_staff": True,
            "is_superuser": True,
        },
    )


@transaction.atomic
def demo_staff_devices_create() -> dict[str, str]:
    """An enrolled authenticator-app key for each demo staff login and the superuser (kept
    on re-runs), so a newcomer can add it to any app and open the staff pages; returns each
    login's key as the apps take it typed in (base32)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.staff_otp.qr import key_text
    from accounts.staff_otp.services import APP_DEVICE_NAME

    keys = {}
    for login in [*STAFF_LOGINS.values(), ADMIN_LOGIN]:
        user = User.objects.get(login_name=login)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=True)
        keys[login] = key_text(device).replace(" ", "")
    return keys
