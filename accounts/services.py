"""Writes of the accounts app. Each owns its transaction and records its audit event."""

from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from knox.models import AuthToken

from accounts import tasks
from accounts.models import (
    EMAIL_TAKEN,
    LOGIN_NAME_TAKEN,
    User,
)
from accounts.selectors import active_users_with_email, email_taken, login_name_taken
from outbox import enqueue
from privacy.audit.services import Actor, AuditEventType, audit_record
from privacy.registry import Category, registry

UNKNOWN_FIELDS = "These fields cannot be changed here: {names}."


def _check_unique(*, login_name: str | None, email: str | None, exclude_pk=None) -> None:
    errors = {}
    if login_name is not None and login_name_taken(login_name, exclude_pk=exclude_pk):
        errors["login_name"] = LOGIN_NAME_TAKEN
    if email is not None and email_taken(email, exclude_pk=exclude_pk):
        errors["email"] = EMAIL_TAKEN
    if errors:
        raise ValidationError(errors)


def _validate_new_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc


def user_create(
    *,
    actor: Actor,
    base_url: str,
    login_name: str,
    email: str,
    first_name: str,
    last_name: str,
    zip_code: str,
    password: str,
    phone: str = "",
    screen_name: str = "",
) -> User:
    """Sign a member up and send the confirmation link; return the new account. Invalid
    input raises ValidationError and creates nothing. An e-mail address that already has
    an account creates nothing either and returns None, but is no error: its owner is
    told someone tried, and the visitor sees what a new member sees (no enumeration)."""
    from accounts import email_verification
    from accounts.selectors import user_by_email

    user = User(
        login_name=login_name.strip(),
        email=User.objects.normalize_email(email.strip()),
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        zip_code=zip_code.strip(),
        phone=phone,
        screen_name=screen_name.strip(),
    )
    user.full_clean(exclude=["password"], validate_constraints=False, validate_unique=False)
    _validate_new_password(password, user)
    with transaction.atomic():
        _check_unique(login_name=user.login_name, email=None)
        owner = user_by_email(user.email)
        if owner is not None:
            email_verification.signup_attempt_queue(owner=owner, base_url=base_url)
            return None
        user.set_password(password)
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError as exc:  # a simultaneous sign-up took the name first
            _check_unique(login_name=user.login_name, email=None)
            raise ValidationError(LOGIN_NAME_TAKEN) from exc
        email_verification.confirmation_queue(user=user, base_url=base_url)
        audit_record(
            actor=Actor(user=user, ip=actor.ip),
            event_type=AuditEventType.ACCOUNT_CREATED,
            category=Category.ACCOUNT,
            subject=user,
            obj=user,
            fields=registry.member_fields(User, topic="account", editable=False),
        )
    return user


def _normalise(name: str, value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
    if name == "email":
        value = User.objects.normalize_email(value)
    return value


def _refuse_unknown(data: dict[str, Any], editable) -> None:
    unknown = sorted(set(data) - set(editable))
    if unknown:
        raise ValidationError({name: UNKNOWN_FIELDS.format(names=name) for name in unknown})


def _user_fields_write(
    *, user: User, actor: Actor, data: dict[str, Any], allowed, event: AuditEventType
) -> User:
    _refuse_unknown(data, allowed)
    data = {k: _normalise(k, v) for k, v in data.items()}
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        changed = sorted(name for name, value in data.items() if getattr(locked, name) != value)
        for name in changed:
            setattr(locked, name, data[name])
        if not changed:
            return locked
        locked.full_clean(exclude=["password"], validate_constraints=False, validate_unique=False)
        _check_unique(
            login_name=locked.login_name if "login_name" in changed else None,
            email=locked.email if "email" in changed else None,
            exclude_pk=locked.pk,
        )
        locked.save(update_fields=changed)
        audit_record(
            actor=actor,
            event_type=event,
            category=Category.ACCOUNT,
            subject=locked,
            obj=locked,
            fields=changed,
        )
    return locked


def _member_fields_update(
    *, user: User, actor: Actor, data: dict[str, Any], topic: str, event: AuditEventType
) -> User:
    editable = registry.member_fields(User, topic=topic, editable=True)
    return _user_fields_write(user=user, actor=actor, data=data, allowed=editable, event=event)


EMAIL_CHANGE_SENT = (
    "We sent a link to {email}: your e-mail address changes when you follow it. "
    "Your current address was told about the change."
)


def account_update(*, user: User, actor: Actor, data: dict[str, Any], base_url: str = "") -> User:
    """Change the member's private details (only the fields the registry lets them edit).
    A new e-mail address is not written here: a link is sent to it, and it takes effect
    when followed (accounts.email_verification)."""
    from accounts import email_verification

    data = dict(data)
    new_email = data.pop("email", None)
    with transaction.atomic():
        updated = _member_fields_update(
            user=user,
            actor=actor,
            data=data,
            topic="account",
            event=AuditEventType.ACCOUNT_UPDATED,
        )
        if new_email is not None and new_email.strip().lower() != updated.email.lower():
            probe = User(email=User.objects.normalize_email(new_email.strip()))
            try:
                probe.clean_fields(exclude=[f.name for f in User._meta.fields if f.name != "email"])
            except ValidationError as exc:
                raise ValidationError({"email": exc.message_dict.get("email", [])}) from exc
            if not base_url:
                raise ValueError("an e-mail change needs the site's address for its links")
            email_verification.email_change_request(
                user=updated, actor=actor, new_email=new_email, base_url=base_url
            )
    return updated


def account_correct(*, obj: User, actor: Actor, changes: dict[str, Any]) -> User:
    """Write a correction of account data that staff approved (privacy officer), including
    fields the member cannot edit themself, such as the login name."""
    return _user_fields_write(
        user=obj,
        actor=actor,
        data=changes,
        allowed=registry.member_fields(User, topic="account", editable=False),
        event=AuditEventType.STAFF_CHANGED_PRIVATE,
    )


def sessions_end_all(*, member: User, actor: Actor) -> None:
    """Sign the member out everywhere: every browser session and every API token."""
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=member.pk)
        locked.session_generation += 1
        locked.save(update_fields=["session_generation"])
        AuthToken.objects.filter(user=locked).delete()
        audit_record(
            actor=actor,
            event_type=AuditEventType.SIGNED_OUT,
            category=Category.ACCOUNT,
            subject=locked,
            fields=["session_generation"],
        )
    member.session_generation = locked.session_generation


def settings_update(*, user: User, actor: Actor, data: dict[str, Any]) -> User:
    """Change the member's personal configuration."""
    return _member_fields_update(
        user=user, actor=actor, data=data, topic="settings", event=AuditEventType.SETTINGS_UPDATED
    )


def password_set(*, user: User, actor: Actor, new_password: str, reset: bool = False) -> User:
    """Set a new password (changed by the member, or through a reset link)."""
    _validate_new_password(new_password, user)
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        locked.set_password(new_password)
        locked.save(update_fields=["password"])
        audit_record(
            actor=actor,
            event_type=AuditEventType.PASSWORD_RESET if reset else AuditEventType.PASSWORD_CHANGED,
            category=Category.ACCOUNT,
            subject=locked,
            obj=locked,
            fields=["password"],
        )
    return locked


def password_reset_request(*, actor: Actor, email: str, domain: str, use_https: bool) -> None:
    """Send a reset link to every active account with this address. Says nothing about
    whether one exists, so the form cannot be used to find out who is a member."""
    with transaction.atomic():
        for user in active_users_with_email(email):
            if not user.has_usable_password():
                continue
            audit_record(
                actor=actor,
                event_type=AuditEventType.PASSWORD_RESET_REQUESTED,
                category=Category.ACCOUNT,
                subject=user,
                obj=user,
            )
            # The task gets the account's key, never the address or a token: the link is
            # made in the worker, so nothing secret waits in the broker.
            enqueue(tasks.send_password_reset, user.pk, domain, use_https)


def password_reset_mail_send(*, user_pk: int, domain: str, use_https: bool) -> None:
    """E-mail an active account its reset link (a background task: the link and its
    token are made here, from the account as it is now)."""
    user = User.objects.filter(pk=user_pk, is_active=True).first()
    if user is None:
        return
    scheme = "https" if use_https else "http"
    if user.email_verified_at is None:
        from accounts import email_verification

        # An unconfirmed address gets no mail but its confirmation: it is sent that link
        # instead, and can ask for a reset once the address is confirmed.
        email_verification.confirmation_mail_send(user_pk=user.pk, base_url=f"{scheme}://{domain}")
        return
    path = reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    context = {
        "user": user,
        "reset_url": f"{'https' if use_https else 'http'}://{domain}{path}",
        "valid_hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
    }
    send_mail(
        subject="Reset your BestQM password",
        message=render_to_string("accounts/email/password_reset.txt", context),
        from_email=None,
        recipient_list=[user.email],
    )


def api_token_create(*, user: User, actor: Actor, name: str = "") -> str:
    """Create an API token and return its secret, which is shown once and stored only
    as a digest."""
    with transaction.atomic():
        _, secret = AuthToken.objects.create(user=user)
        audit_record(
            actor=actor,
            event_type=AuditEventType.API_TOKEN_CREATED,
            category=Category.ACCOUNT,
            subject=user,
        )
    return secret


def api_token_revoke(*, user: User, actor: Actor, token_key: str) -> None:
    with transaction.atomic():
        token = AuthToken.objects.select_for_update().filter(user=user, token_key=token_key).first()
        if token is None:
            raise ValidationError("No such token.")
        audit_record(
            actor=actor,
            event_type=AuditEventType.API_TOKEN_REVOKED,
            category=Category.ACCOUNT,
            subject=user,
        )
        token.delete()
