from datetime import date
from functools import cache, partial

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import PublicProfile, User, Visibility
from accounts.validators import public_username_validator
from privacy.registry import published_name, registry


def login_name_taken(login_name: str, *, exclude_pk: int | None = None) -> bool:
    return User.objects.filter(login_name__iexact=login_name).exclude(pk=exclude_pk).exists()


def email_taken(email: str, *, exclude_pk: int | None = None) -> bool:
    return User.objects.filter(email__iexact=email).exclude(pk=exclude_pk).exists()


def active_users_with_email(email: str) -> QuerySet[User]:
    return User.objects.filter(email__iexact=email, is_active=True)


def user_by_login(login: str) -> User | None:
    """The account for a login name or an e-mail address (either signs in)."""
    field = "email__iexact" if "@" in login else "login_name__iexact"
    return User.objects.filter(**{field: login.strip()}).first()


def accounts_named(name: str) -> list[User]:
    """The accounts whose login name or public username is `name` (any case): how a legal
    process names an account it saw (privacy.legal.intake). Two when one member's login
    name is another member's public username; the caller must not guess between them."""
    name = name.strip()
    if not name:
        return []
    return list(
        User.objects.filter(Q(login_name__iexact=name) | Q(public_profile__username__iexact=name))
        .distinct()
        .order_by("pk")[:2]
    )


def api_tokens_of(user: User):
    from knox.models import AuthToken

    return AuthToken.objects.filter(user=user).only("token_key", "created", "expiry")


# --- Public profiles and the directory --------------------------------------------------


def viewer_visibilities(viewer, *, owner=None) -> tuple[str, ...]:
    """Which visibility choices a viewer may see: visitors (and API clients without a
    token) see 'everyone' fields, members also 'members only', the owner everything."""
    if owner is not None and getattr(viewer, "pk", None) == owner.pk:
        return tuple(Visibility.values)
    if getattr(viewer, "is_authenticated", False):
        return (Visibility.EVERYONE, Visibility.MEMBERS)
    return (Visibility.EVERYONE,)


@cache
def _public_columns() -> tuple[str, ...]:
    """What a public view of a profile reads: the username, each published field and
    its visibility choice, and the creation time (a listing may be ordered by it)."""
    names = {"username", "created_at"}
    for field in registry.published_fields(PublicProfile):
        names.add(field.name)
        if field.visibility_field:
            names.add(field.visibility_field)
    return tuple(sorted(names))


@cache
def _directory_rows():
    # Made once and never evaluated: resolving the columns cost more than the rest of
    # the query's making. Each caller gets a copy of its own.
    return PublicProfile.objects.filter(listed_in_directory=True, member__is_active=True).values(
        *_public_columns()
    )


def directory_rows():
    """Profiles listed in the directory, as plain rows of only what a public view reads
    (the private account is joined for its active flag only, never for display)."""
    return _directory_rows().all()


def profile_of(member):
    return PublicProfile.objects.filter(member=member).first()


def profile_for_viewer(username: str, viewer):
    """A profile as a viewer may reach it: unlisted profiles exist only for their owner."""
    if not public_username_validator.regex.fullmatch(username):
        return None  # no profile can have this name (and PostgreSQL refuses NUL in text)
    profile = (
        PublicProfile.objects.filter(username__iexact=username, member__is_active=True)
        .only(*_public_columns(), "listed_in_directory", "member_id")
        .first()
    )
    if profile is None:
        return None
    if not profile.listed_in_directory and getattr(viewer, "pk", None) != profile.member_id:
        return None
    return profile


@cache
def _published() -> tuple[tuple[str, str, str, object], ...]:
    """(stored field, visibility field, published name, publish function) for each
    published field, from the registry; computed once the registry is complete."""
    return tuple(
        (
            field.name,
            field.visibility_field,
            published_name(field),
            getattr(PublicProfile, f"publish_{field.published_as}", None),
        )
        for field in registry.published_fields(PublicProfile)
        if field.visibility_field
    )


def public_view(profile, visibilities, *, today: date | None = None) -> dict:
    """What of a profile (a model instance or a directory row) a viewer sees, derived
    from the registry: the username, plus each published field whose visibility choice
    the viewer may see and that has a value. Fields the viewer may not see are absent,
    not empty. Values are plain: a country is its ISO code, an age a number (counted on
    `today`, the viewer's local date unless given)."""
    get = profile.__getitem__ if isinstance(profile, dict) else partial(getattr, profile)
    today = today or timezone.localdate()
    shown = {"username": get("username")}
    for stored, visibility_field, name, publish in _published():
        if get(visibility_field) in visibilities:
            value = get(stored)
            if publish is not None:
                value = publish(value, today=today)
            if value not in (None, ""):
                shown[name] = value
    return shown


def public_views(profiles, visibilities) -> list[dict]:
    """public_view of each profile of a listing page, every age counted on one date."""
    today = timezone.localdate()
    return [public_view(profile, visibilities, today=today) for profile in profiles]


def username_taken(username: str, *, exclude_pk: int | None = None) -> bool:
    return PublicProfile.objects.filter(username__iexact=username).exclude(pk=exclude_pk).exists()
