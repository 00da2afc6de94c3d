"""The member's e-mail address is theirs: sign-up confirmation, and changing the address.

- Sign-up sends a confirmation link (signed, expiring after EMAIL_CONFIRMATION_HOURS,
  single use: it names the address and works only while it is unconfirmed). Until it is
  followed the account publishes no profile and is sent no mail but the confirmation.
- Signing up with an address that already has an account answers exactly as for a new
  one; the owner is told someone tried, with a link to reset their password.
- A new address takes effect only when the link sent to it is followed; the old address
  is told at once, with a link that for EMAIL_REVERT_DAYS puts it back and ends every
  session of the account.

No table holds a pending change: each link carries what it changes, signed, and checks
it against the account as it is now (its address and its session generation), so a link
used once, or overtaken by a revert, no longer works.
"""

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import models, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts import tasks
from accounts.directory.public_cache import directory_changed
from accounts.models import User
from outbox import enqueue
from privacy.audit.event_types import event_types
from privacy.audit.services import Actor, audit_record
from privacy.registry import Category

LINK_INVALID = (
    "This link does not work: it is wrong, it has expired, or it was already used. "
    "Nothing was changed."
)
ALREADY_CONFIRMED = "Your e-mail address is already confirmed."

_CONFIRM = "accounts.email.confirm"
_CHANGE = "accounts.email.change"
_REVERT = "accounts.email.revert"


@event_types.register
class EmailEvent(models.TextChoices):
    CONFIRMED = "email.confirmed", "E-mail address confirmed"
    CHANGE_REQUESTED = "email.change_requested", "E-mail address change requested"
    CHANGED = "email.changed", "E-mail address changed"
    CHANGE_REVERTED = "email.change_reverted", "E-mail address change undone"


def _hours(name: str) -> int:
    return getattr(settings, name)


def _load(token: str, salt: str, max_age_seconds: int) -> dict | None:
    try:
        data = signing.loads(token, salt=salt, max_age=max_age_seconds)
    except signing.BadSignature:  # SignatureExpired is one too
        return None
    return data if isinstance(data, dict) else None


def _link(base_url: str, name: str, token: str) -> str:
    return base_url + reverse(name, kwargs={"token": token})


def _mail(*, to: str, subject: str, template: str, context: dict) -> None:
    send_mail(
        subject=subject,
        message=render_to_string(template, context),
        from_email=None,
        recipient_list=[to],
    )


# --- sign-up confirmation ----------------------------------------------------------------


def confirmation_queue(*, user: User, base_url: str) -> None:
    """Send (again) the confirmation link, once the caller's transaction commits."""
    if user.email_verified_at is not None:
        return
    enqueue(tasks.send_email_confirmation, user.pk, base_url)


def confirmation_mail_send(*, user_pk: int, base_url: str) -> None:
    user = User.objects.filter(pk=user_pk, is_active=True, email_verified_at=None).first()
    if user is None:
        return
    token = signing.dumps({"u": user.pk, "e": user.email}, salt=_CONFIRM)
    _mail(
        to=user.email,
        subject="Confirm your BestQM e-mail address",
        template="accounts/email/confirm_address.txt",
        context={
            "user": user,
            "url": _link(base_url, "accounts:email_confirm", token),
            "valid_hours": _hours("EMAIL_CONFIRMATION_HOURS"),
        },
    )


def email_confirm(*, token: str, actor: Actor) -> User:
    data = _load(token, _CONFIRM, _hours("EMAIL_CONFIRMATION_HOURS") * 3600)
    with transaction.atomic():
        user = None
        if data is not None:
            user = User.objects.select_for_update().filter(pk=data.get("u"), is_active=True)
            user = user.first()
        if user is None or user.email != data.get("e") or user.email_verified_at is not None:
            raise ValidationError(LINK_INVALID)
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
        directory_changed()  # a confirmed account's profile is published from now on
        audit_record(
            actor=Actor(user=user, ip=actor.ip),
            event_type=EmailEvent.CONFIRMED,
            category=Category.ACCOUNT,
            subject=user,
            fields=["email_verified_at"],
        )
    return user


def signup_attempt_queue(*, owner: User, base_url: str) -> None:
    """Tell the owner of an address that someone tried to sign up with it."""
    enqueue(tasks.send_signup_attempt_notice, owner.pk, base_url)


def signup_attempt_mail_send(*, user_pk: int, base_url: str) -> None:
    user = User.objects.filter(pk=user_pk, is_active=True).first()
    if user is None:
        return
    if user.email_verified_at is None:
        # An unconfirmed address gets no mail but its confirmation: that link again.
        confirmation_mail_send(user_pk=user.pk, base_url=base_url)
        return
    _mail(
        to=user.email,
        subject="Someone tried to sign up to BestQM with your e-mail address",
        template="accounts/email/signup_attempt.txt",
        context={"user": user, "reset_url": base_url + reverse("accounts:password_reset")},
    )


# --- changing the address ----------------------------------------------------------------


def email_change_request(*, user: User, actor: Actor, new_email: str, base_url: str) -> None:
    """Send the confirmation link to the new address and tell the old one, with a link
    to undo it. The address itself does not change here. An address another account
    uses is sent nothing (the answer is the same, so it tells nobody who is a member)."""
    from accounts.selectors import email_taken

    new_email = User.objects.normalize_email(new_email.strip())
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if new_email.lower() == locked.email.lower():
            return
        state = {
            "u": locked.pk,
            "from": locked.email,
            "to": new_email,
            "g": locked.session_generation,
        }
        audit_record(
            actor=actor,
            event_type=EmailEvent.CHANGE_REQUESTED,
            category=Category.ACCOUNT,
            subject=locked,
            fields=["email"],
        )
        change = signing.dumps(state, salt=_CHANGE)
        revert = signing.dumps(state, salt=_REVERT)
        if not email_taken(new_email, exclude_pk=locked.pk):
            enqueue(tasks.send_email_change_link, locked.pk, new_email, change, base_url)
        enqueue(tasks.send_email_change_notice, locked.pk, new_email, revert, base_url)


def email_change_link_send(*, user_pk: int, new_email: str, token: str, base_url: str) -> None:
    user = User.objects.filter(pk=user_pk, is_active=True).first()
    if user is None:
        return
    _mail(
        to=new_email,
        subject="Confirm your new BestQM e-mail address",
        template="accounts/email/change_confirm.txt",
        context={
            "user": user,
            "url": _link(base_url, "accounts:email_change_confirm", token),
            "valid_hours": _hours("EMAIL_CONFIRMATION_HOURS"),
        },
    )


def email_change_notice_send(*, user_pk: int, new_email: str, token: str, base_url: str) -> None:
    """To the old address, sent at once: the change asked for, and how to undo it."""
    user = User.objects.filter(pk=user_pk, is_active=True).first()
    if user is None:
        return
    _mail(
        to=user.email,
        subject="Your BestQM e-mail address is being changed",
        template="accounts/email/change_notice.txt",
        context={
            "user": user,
            "new_email": new_email,
            "url": _link(base_url, "accounts:email_change_revert", token),
            "valid_days": settings.EMAIL_REVERT_DAYS,
        },
    )


def email_change_confirm(*, token: str, actor: Actor) -> User:
    from accounts.selectors import email_taken

    data = _load(token, _CHANGE, _hours("EMAIL_CONFIRMATION_HOURS") * 3600)
    with transaction.atomic():
        user = None
        if data is not None:
            user = User.objects.select_for_update().filter(pk=data.get("u"), is_active=True)
            user = user.first()
        if (
            user is None
            or user.email != data.get("from")
            or user.session_generation != data.get("g")
            or email_taken(data.get("to", ""), exclude_pk=user.pk)
        ):
            raise ValidationError(LINK_INVALID)
        user.email = data["to"]
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email", "email_verified_at"])
        audit_record(
            actor=Actor(user=user, ip=actor.ip),
            event_type=EmailEvent.CHANGED,
            category=Category.ACCOUNT,
            subject=user,
            fields=["email", "email_verified_at"],
        )
    return user


def email_change_revert(*, token: str, actor: Actor) -> User:
    """Put the old address back (or cancel the change not yet confirmed) and end every
    session and API token of the account: whoever asked for the change is signed out."""
    from accounts.services import sessions_end_all

    data = _load(token, _REVERT, settings.EMAIL_REVERT_DAYS * 86400)
    with transaction.atomic():
        user = None
        if data is not None:
            user = User.objects.select_for_update().filter(pk=data.get("u")).first()
        if (
            user is None
            or user.email not in (data.get("from"), data.get("to"))
            or user.session_generation != data.get("g")
        ):
            raise ValidationError(LINK_INVALID)
        user.email = data["from"]
        user.email_verified_at = user.email_verified_at or timezone.now()
        user.save(update_fields=["email", "email_verified_at"])
        audit_record(
            actor=Actor(user=None, ip=actor.ip),
            event_type=EmailEvent.CHANGE_REVERTED,
            category=Category.ACCOUNT,
            subject=user,
            fields=["email"],
        )
        sessions_end_all(member=user, actor=Actor(user=None, ip=actor.ip))
    return user
