from functools import cache, partial

from django.db.models import QuerySet

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


def _directory_columns() -> list[str]:
    names = {"id", "username", "listed_in_directory", "created_at", "member_id"}
    for field in registry.published_fields(PublicProfile):
        names.add(field.name)
        if field.visibility_field:
            names.add(field.visibility_field)
    return sorted(names)


def directory_profiles():
    """Profiles listed in the directory, with only the columns a public view needs (the
    private account is joined for its active flag only, never for display)."""
    return PublicProfile.objects.filter(listed_in_directory=True, member__is_active=True).only(
        *_directory_columns()
    )


def directory_rows(profiles):
    """The same profiles as plain rows: a listing page needs no model instances."""
    return profiles.values(*_directory_columns())


def profile_of(member):
    return PublicProfile.objects.filter(member=member).first()


def profile_for_viewer(username: str, viewer):
    """A profile as a viewer may reach it: unlisted profiles exist only for their owner."""
    if not public_username_validator.regex.fullmatch(username):
        return None  # no profile can have this name (and PostgreSQL refuses NUL in text)
    profile = (
        PublicProfile.objects.filter(username__iexact=username, member__is_active=True)
        .only(*_directory_columns())
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


def public_view(profile, visibilities) -> dict:
    """What of a profile (a model instance or a directory row) a viewer sees, derived
    from the registry: the username, plus each published field whose visibility choice
    the viewer may see and that has a value. Fields the viewer may not see are absent,
    not empty. Values are plain: a country is its ISO code, an age a number."""
    get = profile.get if isinstance(profile, dict) else partial(getattr, profile)
    shown = {"username": get("username")}
    for stored, visibility_field, name, publish in _published():
        if get(visibility_field) in visibilities:
            value = get(stored)
            if publish is not None:
                value = publish(value)
            if value not in (None, ""):
                shown[name] = value
    return shown


def username_taken(username: str, *, exclude_pk: int | None = None) -> bool:
    return PublicProfile.objects.filter(username__iexact=username).exclude(pk=exclude_pk).exists()
