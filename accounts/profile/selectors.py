"""Reads of public profiles: what a viewer may see of one, from the registry."""

from datetime import date
from functools import cache, partial

from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from accounts.models import PublicProfile, Visibility
from accounts.validators import public_username_validator
from privacy.registry import published_name, registry


def viewer_visibilities(viewer, *, owner=None) -> tuple[str, ...]:
    """Which visibility choices a viewer may see: visitors (and API clients without a
    token) see 'everyone' fields, members also 'members only', the owner everything."""
    if owner is not None and getattr(viewer, "pk", None) == owner.pk:
        return tuple(Visibility.values)
    if getattr(viewer, "is_authenticated", False):
        return (Visibility.EVERYONE, Visibility.MEMBERS)
    return (Visibility.EVERYONE,)


@cache
def public_columns() -> tuple[str, ...]:
    """What a public view of a profile reads: the username, each published field and
    its visibility choice, and the creation time (a listing may be ordered by it)."""
    names = {"username", "created_at"}
    for field in registry.published_fields(PublicProfile):
        names.add(field.name)
        if field.visibility_field:
            names.add(field.visibility_field)
    return tuple(sorted(names))


def profile_of(member):
    return PublicProfile.objects.filter(member=member).first()


def profile_for_viewer(username: str, viewer):
    """A profile as a viewer may reach it: unlisted profiles exist only for their owner."""
    if not public_username_validator.regex.fullmatch(username):
        return None  # no profile can have this name (and PostgreSQL refuses NUL in text)
    profile = (
        _by_username(username)
        .filter(member__is_active=True)
        .annotate(published=Q(member__email_verified_at__isnull=False))
        .only(*public_columns(), "listed_in_directory", "member_id")
        .first()
    )
    if profile is None:
        return None
    # Unlisted, or its member has not confirmed their address yet: only the owner sees it.
    shown = profile.listed_in_directory and profile.published
    if not shown and getattr(viewer, "pk", None) != profile.member_id:
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
    return _by_username(username).exclude(pk=exclude_pk).exists()


def _by_username(username: str):
    """The profile of a username in any case, through the unique index on
    lower(username) (`__iexact` compares UPPER() and so reads every row)."""
    return PublicProfile.objects.alias(username_lower=Lower("username")).filter(
        username_lower=username.lower()
    )
