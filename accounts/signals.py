"""Audit events for sign-in, sign-out and lockout, which Django and django-axes raise
as signals rather than going through our services."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from privacy.audit.services import Actor, AuditEventType, audit_record
from privacy.registry import Category


@receiver(user_logged_in)
def audit_signed_in(sender, request, user, **kwargs):
    audit_record(
        actor=Actor(user=user, ip=Actor.from_request(request).ip),
        event_type=AuditEventType.SIGNED_IN,
        category=Category.ACCOUNT,
        subject=user,
    )


@receiver(user_logged_out)
def audit_signed_out(sender, request, user, **kwargs):
    if user is not None:
        audit_record(
            actor=Actor(user=user, ip=Actor.from_request(request).ip),
            event_type=AuditEventType.SIGNED_OUT,
            category=Category.ACCOUNT,
            subject=user,
        )


@receiver(user_locked_out)
def audit_locked_out(sender, request, username, ip_address, **kwargs):
    from accounts.selectors import user_by_login

    audit_record(
        actor=Actor(user=None, ip=ip_address),
        event_type=AuditEventType.LOCKED_OUT,
        category=Category.ACCOUNT,
        subject=user_by_login(username) if username else None,
    )
