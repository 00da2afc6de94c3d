"""Declarations of the third-party tables that signing in brings with it: django-axes'
sign-in attempts, knox's API tokens, Django's sessions, and the auth app's groups and
permissions. The accounts app brings these apps in, so it declares them (gathered by
accounts/privacy.py); a new third-party app the accounts app brings in (django-otp's
devices) is declared here too, one `registry.declare` per model.

Purpose, retention and erasure are declared exactly as for the project's own fields; the
retention job (privacy/retention.py) applies the retention, the erasure engine the erasure.
"""

from axes.models import AccessAttempt, AccessAttemptExpiration, AccessFailureLog, AccessLog
from django.contrib.auth.models import Group, Permission
from django.contrib.sessions.models import Session
from django.db.models import Q
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from privacy.registry import (
    Category,
    Erasure,
    MemberAccess,
    NonPersonal,
    OwnedBy,
    PersonalField,
    Retention,
    registry,
)

SIGN_IN_ATTEMPTS = Retention(
    "Kept while it counts towards a sign-in lockout; deleted after SIGN_IN_FAILURE_RETENTION_DAYS.",
    days_setting="SIGN_IN_FAILURE_RETENTION_DAYS",
)
SESSION = Retention("Deleted when the session ends: at sign-out, or when it expires.")
API_TOKEN = Retention("Deleted when the token is revoked or expires (API_TOKEN_TTL_DAYS).")


def _sign_in_rows(model):
    def records(member):
        # axes keys its rows by accounts.lockout.lockout_username: the login name, lower
        # case; a name typed that matched no account is kept as typed (an e-mail address).
        names = {n.lower() for n in (member.login_name, member.email) if n}
        query = Q()
        for name in names:
            query |= Q(username__iexact=name)
        return model._default_manager.filter(query) if names else model._default_manager.none()

    return OwnedBy("by the login name or e-mail address typed at sign-in", records)


def _attempt(purpose: str, **overrides) -> PersonalField:
    return PersonalField(
        Category.ACCOUNT,
        purpose=purpose,
        retention=SIGN_IN_ATTEMPTS,
        erasure=Erasure.DELETE,
        member_access=overrides.pop("member_access", MemberAccess.VIEW),
        disclosable_under=frozenset(),
        **overrides,
    )


def _sign_in_fields(extra: dict) -> dict:
    return {
        "id": NonPersonal("surrogate key"),
        "username": _attempt(
            "Counting failed sign-ins per account to lock out guessing.", label="Login name tried"
        ),
        "ip_address": _attempt(
            "Counting failed sign-ins per network.", label="IP address of the sign-in"
        ),
        "user_agent": _attempt(
            "Telling the member which browser tried.", label="Browser of the sign-in"
        ),
        "http_accept": _attempt(
            "Recorded by the lockout library with each attempt.", label="Browser's accepted formats"
        ),
        "path_info": _attempt("Which sign-in page was used.", label="Sign-in page used"),
        "attempt_time": _attempt(
            "When the sign-in was tried; the lockout ends after it.", label="Time of the sign-in"
        ),
        **extra,
    }


for _model in (AccessAttempt, AccessFailureLog, AccessLog):
    _extra = {
        AccessAttempt: {
            "get_data": _attempt(
                "What the sign-in page was asked, passwords removed.",
                member_access=MemberAccess.NONE,
                label="Sign-in request (query)",
            ),
            "post_data": _attempt(
                "What the sign-in form sent, passwords removed.",
                member_access=MemberAccess.NONE,
                label="Sign-in request (form)",
            ),
            "failures_since_start": _attempt(
                "How many sign-ins failed in a row.", label="Failed sign-ins in a row"
            ),
        },
        AccessFailureLog: {
            "locked_out": _attempt("Whether the attempt was locked out.", label="Locked out"),
        },
        # Disabled (AXES_DISABLE_ACCESS_LOG): the activity app owns successful sign-ins.
        AccessLog: {
            "logout_time": _attempt("When the session signed out.", label="Time of sign-out"),
            "session_hash": _attempt(
                "Links the log row to its session.",
                member_access=MemberAccess.NONE,
                label="Session reference",
            ),
        },
    }[_model]
    registry.declare(_model, owner=_sign_in_rows(_model), fields=_sign_in_fields(_extra))

registry.declare(
    AccessAttemptExpiration,
    # Hangs off an attempt and is deleted with it; it holds only a time.
    owner=None,
    fields={
        "access_attempt": NonPersonal("the attempt it expires; deleted with it"),
        "expires_at": NonPersonal("when the lockout ends"),
    },
)


def _sessions_of(member):
    """Sessions whose data names the member. Session data is encoded, so live sessions are
    decoded one by one; expired ones are deleted by the retention job anyway."""
    keys = [
        session.session_key
        for session in Session.objects.filter(expire_date__gte=timezone.now()).iterator()
        if str(session.get_decoded().get("_auth_user_id", "")) == str(member.pk)
    ]
    return Session.objects.filter(session_key__in=keys)


registry.declare(
    Session,
    owner=OwnedBy("by the member id inside the signed-in session's data", _sessions_of),
    fields={
        "session_key": PersonalField(
            Category.ACCOUNT,
            purpose="Keeps the member signed in in one browser.",
            retention=SESSION,
            member_access=MemberAccess.NONE,
            disclosable_under=frozenset(),
            label="Session key",
        ),
        "session_data": PersonalField(
            Category.ACCOUNT,
            purpose="Who is signed in, and the choices made in this browser.",
            retention=SESSION,
            member_access=MemberAccess.NONE,
            disclosable_under=frozenset(),
            label="Session contents",
        ),
        "expire_date": PersonalField(
            Category.ACCOUNT,
            purpose="When the session ends on its own.",
            retention=SESSION,
            member_access=MemberAccess.NONE,
            disclosable_under=frozenset(),
            label="Session end",
        ),
    },
)

registry.declare(
    AuthToken,
    owner="user",
    fields={
        "digest": PersonalField(
            Category.ACCOUNT,
            purpose="Checks an API token; the token itself is never stored.",
            retention=API_TOKEN,
            member_access=MemberAccess.NONE,
            disclosable_under=frozenset(),
            label="API token fingerprint",
        ),
        "token_key": PersonalField(
            Category.ACCOUNT,
            purpose="Finds an API token quickly: its first characters.",
            retention=API_TOKEN,
            member_access=MemberAccess.NONE,
            disclosable_under=frozenset(),
            label="API token prefix",
        ),
        "user": NonPersonal("the link to the member; the token is deleted on erasure"),
        "created": PersonalField(
            Category.ACCOUNT,
            purpose="Showing the member when they made each API token.",
            retention=API_TOKEN,
            disclosable_under=frozenset(),
            label="API token created",
        ),
        "expiry": PersonalField(
            Category.ACCOUNT,
            purpose="When the API token stops working.",
            retention=API_TOKEN,
            disclosable_under=frozenset(),
            label="API token expires",
        ),
    },
)

registry.declare(
    Group,
    owner=None,
    fields={
        "id": NonPersonal("surrogate key"),
        "name": NonPersonal("a staff role's name"),
        "permissions": NonPersonal("what a staff role may do in the admin"),
    },
)
registry.declare(
    Permission,
    owner=None,
    fields={
        "id": NonPersonal("surrogate key"),
        "name": NonPersonal("what the permission allows"),
        "content_type": NonPersonal("which table it is for"),
        "codename": NonPersonal("the permission's code"),
    },
)


# django-otp's devices: a staff member's second factor (accounts/staff_otp). Only staff
# have them; they are deleted with the account, and a privacy officer can reset them.
STAFF_DEVICE = Retention("Kept while the staff member has this second factor; deleted at reset.")


def _device(purpose: str, label: str, **overrides) -> PersonalField:
    return PersonalField(
        Category.ACCOUNT,
        purpose=purpose,
        retention=STAFF_DEVICE,
        erasure=Erasure.DELETE,
        member_access=overrides.pop("member_access", MemberAccess.NONE),
        disclosable_under=frozenset(),
        label=label,
        **overrides,
    )


_DEVICE_FIELDS = {
    "id": NonPersonal("surrogate key"),
    "user": NonPersonal("the link to the staff member; the device is deleted with them"),
    "name": _device("Names the second factor for its owner.", "Second factor's name"),
    "confirmed": NonPersonal("whether enrolment finished"),
    "throttling_failure_timestamp": _device(
        "Slows down guessing of codes.", "Time of the last wrong code"
    ),
    "throttling_failure_count": _device("Slows down guessing of codes.", "Wrong codes in a row"),
    "created_at": _device("When the second factor was enrolled.", "Second factor enrolled"),
    "last_used_at": _device("When the second factor was last used.", "Second factor last used"),
}

registry.declare(StaticDevice, owner="user", fields=dict(_DEVICE_FIELDS))
registry.declare(
    TOTPDevice,
    owner="user",
    fields={
        **_DEVICE_FIELDS,
        "key": _device("The authenticator app's shared secret.", "Authenticator key"),
        "step": NonPersonal("code period, in seconds"),
        "t0": NonPersonal("code epoch"),
        "digits": NonPersonal("code length"),
        "tolerance": NonPersonal("how many periods of clock skew are accepted"),
        "drift": NonPersonal("the authenticator's measured clock skew"),
        "last_t": NonPersonal("the last period used, so a code cannot be replayed"),
    },
)
registry.declare(
    StaticToken,
    owner="device__user",
    fields={
        "id": NonPersonal("surrogate key"),
        "device": NonPersonal("the recovery-code set it belongs to"),
        "token": _device("A single-use recovery code.", "Recovery code"),
    },
)
