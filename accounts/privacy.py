"""Private account information ('Private Information', 'Account Information')."""

from accounts.models import PublicProfile, User
from accounts.services import account_correct
from privacy.registry import (
    Category,
    Erasure,
    MemberAccess,
    NonPersonal,
    PersonalField,
    registry,
)
from privacy.roles import Role, grant

PUBLIC_PURPOSE = "Bringing people together: shown to whom the member chose."
SUPPORT_CONTACT = frozenset({Role.SUPPORT_AGENT, Role.BILLING_AGENT})
AUTHORISATION = "staff authorisation flag, set by administrators; says nothing of the member"

registry.declare(
    User,
    owner="",
    corrected_by=account_correct,
    fields={
        "id": NonPersonal("surrogate key"),
        "login_name": PersonalField(
            Category.ACCOUNT,
            purpose="Signing in; identifies the account to support.",
            erasure=Erasure.ANONYMISE,
            member_access=MemberAccess.VIEW,
            extra_staff_roles=frozenset({Role.SUPPORT_AGENT}),
            topic="account",
            correctable=True,
        ),
        "email": PersonalField(
            Category.ACCOUNT,
            purpose="Signing in, password reset, service announcements, support replies.",
            erasure=Erasure.ANONYMISE,
            member_access=MemberAccess.EDIT,
            extra_staff_roles=SUPPORT_CONTACT,
            topic="account",
        ),
        "first_name": PersonalField(
            Category.ACCOUNT,
            purpose="Addressing the member in messages.",
            erasure=Erasure.BLANK,
            member_access=MemberAccess.EDIT,
            extra_staff_roles=SUPPORT_CONTACT,
            topic="account",
        ),
        "last_name": PersonalField(
            Category.ACCOUNT,
            purpose="Addressing the member in messages.",
            erasure=Erasure.BLANK,
            member_access=MemberAccess.EDIT,
            extra_staff_roles=SUPPORT_CONTACT,
            topic="account",
        ),
        "zip_code": PersonalField(
            Category.ACCOUNT,
            purpose="Billing contact and regional service notices.",
            erasure=Erasure.BLANK,
            member_access=MemberAccess.EDIT,
            extra_staff_roles=frozenset({Role.BILLING_AGENT}),
            topic="account",
        ),
        "phone": PersonalField(
            Category.ACCOUNT,
            purpose="Reaching the member about their account or an order (optional).",
            erasure=Erasure.BLANK,
            member_access=MemberAccess.EDIT,
            extra_staff_roles=SUPPORT_CONTACT,
            topic="account",
        ),
        "screen_name": PersonalField(
            Category.ACCOUNT,
            purpose="Greeting the member on their own pages (optional).",
            erasure=Erasure.BLANK,
            member_access=MemberAccess.EDIT,
            extra_staff_roles=frozenset({Role.SUPPORT_AGENT}),
            topic="account",
        ),
        "theme": PersonalField(
            Category.ACCOUNT,
            purpose="User settings: colour scheme on every device.",
            member_access=MemberAccess.EDIT,
            topic="settings",
        ),
        "text_size": PersonalField(
            Category.ACCOUNT,
            purpose="User settings: text size on every device.",
            member_access=MemberAccess.EDIT,
            topic="settings",
        ),
        "time_zone": PersonalField(
            Category.ACCOUNT,
            purpose="User settings: times shown in the member's own time zone.",
            member_access=MemberAccess.EDIT,
            topic="settings",
        ),
        "newsletter_opt_in": PersonalField(
            Category.ACCOUNT,
            purpose="User settings: whether optional newsletters are sent.",
            member_access=MemberAccess.EDIT,
            topic="settings",
        ),
        "password": PersonalField(
            Category.ACCOUNT,
            purpose="Signing in. Stored only as an Argon2 hash; shown to no one.",
            erasure=Erasure.ANONYMISE,
            member_access=MemberAccess.NONE,
            disclosable_under=frozenset(),
        ),
        "last_login": PersonalField(
            Category.ACCOUNT,
            purpose="Showing the member when their account was last used.",
            erasure=Erasure.BLANK,
            member_access=MemberAccess.VIEW,
        ),
        "date_joined": PersonalField(
            Category.ACCOUNT,
            purpose="Registration information.",
            erasure=Erasure.KEEP,
            member_access=MemberAccess.VIEW,
        ),
        "email_verified_at": PersonalField(
            Category.ACCOUNT,
            purpose="Knowing that the e-mail address is the member's before mail is sent to it.",
            erasure=Erasure.BLANK,
            member_access=MemberAccess.VIEW,
        ),
        "is_active": NonPersonal("whether the account may sign in"),
        "session_generation": NonPersonal("counter bumped to end all the member's sessions"),
        "is_staff": NonPersonal(AUTHORISATION),
        "is_superuser": NonPersonal(AUTHORISATION),
        "groups": NonPersonal(AUTHORISATION),
        "user_permissions": NonPersonal(AUTHORISATION),
    },
)


def _public(
    visibility_field: str, purpose: str = PUBLIC_PURPOSE, published_as: str = ""
) -> PersonalField:
    return PersonalField(
        Category.PUBLIC,
        purpose=purpose,
        erasure=Erasure.DELETE,
        member_access=MemberAccess.EDIT,
        visibility_field=visibility_field,
        published_as=published_as,
        topic="profile",
    )


def _choice(purpose: str) -> PersonalField:
    return PersonalField(
        Category.ACCOUNT,
        purpose=f"The member's choice of who sees {purpose}.",
        erasure=Erasure.DELETE,
        member_access=MemberAccess.EDIT,
        topic="profile",
    )


# Declaration order is the order of the profile form: each field, then who may see it.
registry.declare(
    PublicProfile,
    owner="member",
    fields={
        "id": NonPersonal("surrogate key"),
        "member": NonPersonal("link to the private account; never published"),
        "username": PersonalField(
            Category.PUBLIC,
            purpose="The member's public name in the directory; never the login name.",
            erasure=Erasure.DELETE,
            member_access=MemberAccess.EDIT,
            topic="profile",
        ),
        "gender": _public("gender_visibility"),
        "gender_visibility": _choice("the gender"),
        "birth_date": PersonalField(
            Category.ACCOUNT,
            purpose="Keeps the published age current; the date itself is never published.",
            erasure=Erasure.DELETE,
            member_access=MemberAccess.EDIT,
            visibility_field="age_visibility",
            published_as="age",
            topic="profile",
        ),
        "age_visibility": _choice("the age"),
        "ethnic_background": _public("ethnic_background_visibility"),
        "ethnic_background_visibility": _choice("the ethnic background"),
        "looking_for": _public("lifestyle_visibility"),
        "lifestyle": _public("lifestyle_visibility"),
        "lifestyle_text": _public("lifestyle_visibility"),
        "lifestyle_visibility": _choice("preferences and lifestyle"),
        "country": _public("location_visibility", published_as="country"),
        "region": _public("location_visibility"),
        "city": _public("location_visibility"),
        "location_visibility": _choice("the general location"),
        "listed_in_directory": _choice("the profile at all (listed in the directory or not)"),
        "created_at": NonPersonal("when the profile was made; orders the newest listing"),
        "updated_at": NonPersonal("when the profile last changed"),
    },
)

for _role in Role:
    grant(_role, "accounts.view_user")
grant(Role.SUPPORT_AGENT, "accounts.view_publicprofile")
grant(
    Role.PRIVACY_OFFICER,
    "accounts.change_user",
    "accounts.view_publicprofile",
    "accounts.change_publicprofile",
    "accounts.delete_publicprofile",
)

# The third-party apps signing in brings: axes, knox, sessions, auth groups.
from accounts import sign_in_privacy  # noqa: F401,E402
