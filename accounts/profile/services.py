"""Writes of the member's public profile: save, remove a field, remove it all, list or
unlist it. Each owns its transaction and records its audit event."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.directory.public_cache import directory_changed
from accounts.models import (
    USERNAME_REQUIRED,
    PublicProfile,
    User,
)
from accounts.profile.identity_guard import IS_LOGIN_NAME, identity_problems
from accounts.profile.selectors import username_taken
from accounts.services import _refuse_unknown
from privacy.audit.services import Actor, AuditEventType, audit_record
from privacy.registry import Category, MemberAccess, published_name, registry

PROFILE_TEXT_FIELDS = ("username", "lifestyle_text", "region", "city")
FREE_TEXT_FIELDS = frozenset({"lifestyle_text"})
MIN_AGE, MAX_AGE = 18, 120
USERNAME_TAKEN = "This username is taken."
AGE_OUT_OF_RANGE = f"Members must be between {MIN_AGE} and {MAX_AGE} years old."
NOT_REMOVABLE = "This field cannot be removed on its own."
NO_PROFILE = "You have no public profile."


def _profile_labels() -> dict[str, str]:
    return {
        f.name: str(f.verbose_name)
        for f in PublicProfile._meta.get_fields()
        if hasattr(f, "verbose_name")
    }


def _profile_validate(member: User, profile: PublicProfile) -> None:
    errors: dict[str, list[str]] = {}
    try:
        profile.full_clean(exclude=["member"], validate_constraints=False, validate_unique=False)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if "username" not in errors:
        if profile.username.lower() == member.login_name.lower():
            errors["username"] = [IS_LOGIN_NAME]
        elif username_taken(profile.username, exclude_pk=profile.pk):
            errors["username"] = [USERNAME_TAKEN]
    born = profile.birth_date is not None and "birth_date" not in errors
    if born and not MIN_AGE <= profile.age <= MAX_AGE:
        errors["birth_date"] = [AGE_OUT_OF_RANGE]
    texts = {n: getattr(profile, n) for n in PROFILE_TEXT_FIELDS if n not in errors}
    problems = identity_problems(
        member, texts, free_text=FREE_TEXT_FIELDS, labels=_profile_labels()
    )
    errors.update({name: [message] for name, message in problems.items()})
    if errors:
        raise ValidationError(errors)


def profile_save(*, member: User, actor: Actor, data: dict[str, Any]) -> PublicProfile:
    """Create or change the member's public profile. Refuses, naming the field, anything
    that would identify the member; on any error nothing is saved."""
    _refuse_unknown(data, registry.member_fields(PublicProfile, topic="profile", editable=True))
    data = {k: v.strip() if isinstance(v, str) else v for k, v in data.items()}
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=member.pk)
        profile = PublicProfile.objects.filter(member=locked).first()
        creating = profile is None
        if creating:
            if not data.get("username"):
                raise ValidationError({"username": USERNAME_REQUIRED})
            profile = PublicProfile(member=locked)
        changed = sorted(n for n, v in data.items() if creating or getattr(profile, n) != v)
        for name in changed:
            setattr(profile, name, data[name])
        if not changed:
            return profile
        _profile_validate(locked, profile)
        try:
            with transaction.atomic():
                profile.save()
        except IntegrityError as exc:  # a simultaneous save took the username
            raise ValidationError({"username": USERNAME_TAKEN}) from exc
        audit_record(
            actor=actor,
            event_type=AuditEventType.PROFILE_CREATED
            if creating
            else AuditEventType.PROFILE_UPDATED,
            category=Category.PUBLIC,
            subject=locked,
            obj=profile,
            fields=changed,
        )
        directory_changed()
    return profile


def removable_profile_fields() -> dict[str, str]:
    """Published name -> stored field, for every public field a member may clear alone
    (the username is the profile itself: removing it removes the profile)."""
    return {
        published_name(f): f.name
        for f in registry.published_fields(PublicProfile)
        if f.visibility_field and f.member_access == MemberAccess.EDIT
    }


def _locked_profile(member: User) -> PublicProfile:
    profile = PublicProfile.objects.select_for_update().filter(member=member).first()
    if profile is None:
        raise PublicProfile.DoesNotExist(NO_PROFILE)
    return profile


def profile_field_remove(*, member: User, actor: Actor, field: str) -> PublicProfile:
    """Clear one public field at once, everywhere."""
    stored = removable_profile_fields().get(field)
    if stored is None:
        raise ValidationError({"field": NOT_REMOVABLE})
    with transaction.atomic():
        profile = _locked_profile(member)
        model_field = PublicProfile._meta.get_field(stored)
        setattr(profile, stored, None if model_field.null else "")
        profile.save(update_fields=[stored, "updated_at"])
        audit_record(
            actor=actor,
            event_type=AuditEventType.PROFILE_FIELD_REMOVED,
            category=Category.PUBLIC,
            subject=member,
            obj=profile,
            fields=[stored],
        )
        directory_changed()
    return profile


def profile_remove(*, member: User, actor: Actor) -> None:
    """Delete all of the member's public information in one step."""
    with transaction.atomic():
        profile = _locked_profile(member)
        audit_record(
            actor=actor,
            event_type=AuditEventType.PROFILE_REMOVED,
            category=Category.PUBLIC,
            subject=member,
            obj=profile,
            fields=[f.name for f in registry.personal_fields(PublicProfile)],
        )
        profile.delete()
        directory_changed()


def profile_listing_set(*, member: User, actor: Actor, listed: bool) -> bool:
    """List or unlist the member's profile in the directory; returns the previous
    choice. An unlisted profile answers 404 to everyone else, at once."""
    with transaction.atomic():
        profile = PublicProfile.objects.select_for_update().filter(member=member).first()
        if profile is None:
            return False
        previous = profile.listed_in_directory
        if previous != listed:
            profile.listed_in_directory = listed
            profile.save(update_fields=["listed_in_directory", "updated_at"])
            audit_record(
                actor=actor,
                event_type=AuditEventType.PROFILE_UPDATED,
                category=Category.PUBLIC,
                subject=member,
                obj=profile,
                fields=["listed_in_directory"],
            )
            directory_changed()
    return previous
