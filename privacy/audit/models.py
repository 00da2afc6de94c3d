"""The audit log: append-only events about personal data, and the pseudonym that stands
in for a member in them."""

import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone

from privacy.audit.event_types import EventTypeField, event_types
from privacy.registry import Category

AUDIT_IS_APPEND_ONLY = "The audit log is append-only: events are never changed or deleted."


class MemberPseudonym(models.Model):
    """The stand-in for a member in the audit log.

    Audit rows carry only the pseudonym. Erasing a member deletes this row, which unlinks
    their history without rewriting a single audit row.
    """

    pseudonym = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="audit_pseudonym"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = "member pseudonym"

    def __str__(self):
        return str(self.pseudonym)


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionDenied(AUDIT_IS_APPEND_ONLY)

    def delete(self):
        raise PermissionDenied(AUDIT_IS_APPEND_ONLY)


class AuditEvent(models.Model):
    """One thing that happened to personal data: who, what kind, which fields, never the
    values. On PostgreSQL a trigger refuses UPDATE and DELETE on this table."""

    @event_types.register
    class EventType(models.TextChoices):
        ACCOUNT_CREATED = "account.created", "Account created"
        ACCOUNT_UPDATED = "account.updated", "Account details changed"
        SETTINGS_UPDATED = "settings.updated", "Settings changed"
        PASSWORD_CHANGED = "password.changed", "Password changed"
        PASSWORD_RESET_REQUESTED = "password.reset_requested", "Password reset requested"
        PASSWORD_RESET = "password.reset", "Password reset"
        SIGNED_IN = "session.signed_in", "Signed in"
        SIGNED_OUT = "session.signed_out", "Signed out"
        SIGN_IN_FAILED = "session.sign_in_failed", "Sign-in failed"
        LOCKED_OUT = "session.locked_out", "Sign-in locked after repeated failures"
        API_TOKEN_CREATED = "api_token.created", "API token created"
        API_TOKEN_REVOKED = "api_token.revoked", "API token revoked"
        PROFILE_CREATED = "profile.created", "Public profile created"
        PROFILE_UPDATED = "profile.updated", "Public profile changed"
        PROFILE_FIELD_REMOVED = "profile.field_removed", "Public profile field removed"
        PROFILE_REMOVED = "profile.removed", "Public profile removed"
        STAFF_VIEWED_PRIVATE = "staff.viewed_private", "Staff opened private details"
        STAFF_CHANGED_PRIVATE = "staff.changed_private", "Staff changed private details"

    class ActorKind(models.TextChoices):
        MEMBER = "member", "The member"
        STAFF = "staff", "Staff"
        SYSTEM = "system", "The system"
        ANONYMOUS = "anonymous", "Someone not signed in"

    occurred_at = models.DateTimeField(default=timezone.now, editable=False)
    # Every app registers its own event types (privacy.audit.event_types).
    event_type = EventTypeField(max_length=60, choices=event_types.choices)
    category = models.CharField(max_length=20, choices=Category.choices)
    actor_kind = models.CharField(max_length=10, choices=ActorKind.choices)
    actor_pseudonym = models.UUIDField(null=True, blank=True)
    subject_pseudonym = models.UUIDField(null=True, blank=True)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    fields = models.JSONField(default=list, blank=True)
    # The staff roles the actor held when they acted (Role values, or ["superuser"]): the
    # privacy centre says "Support agent" for an access made as one, whatever the staff
    # member's roles are today. Empty for members, the system and older rows.
    actor_roles = models.JSONField(default=list, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["subject_pseudonym", "-occurred_at"], name="audit_subject_time"),
            models.Index(fields=["actor_pseudonym", "-occurred_at"], name="audit_actor_time"),
            models.Index(fields=["event_type", "-occurred_at"], name="audit_type_time"),
        ]

    def __str__(self):
        return f"{self.get_event_type_display()} at {self.occurred_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionDenied(AUDIT_IS_APPEND_ONLY)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied(AUDIT_IS_APPEND_ONLY)
