import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone

from privacy.event_types import EventTypeField, event_types
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
    # Every app registers its own event types (privacy.event_types).
    event_type = EventTypeField(max_length=60, choices=event_types.choices)
    category = models.CharField(max_length=20, choices=Category.choices)
    actor_kind = models.CharField(max_length=10, choices=ActorKind.choices)
    actor_pseudonym = models.UUIDField(null=True, blank=True)
    subject_pseudonym = models.UUIDField(null=True, blank=True)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    fields = models.JSONField(default=list, blank=True)

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


class LegalHold(models.Model):
    """Data frozen for a legal process ('Disclosure to Law Enforcement'): while a hold is
    active, erasure and retention leave the held categories of the member (or of the IP
    addresses in the window) alone. Placed and released by the legal workflow."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="legal_holds",
    )
    # An address or network (CIDR) whose activity in the window is held.
    ip_network = models.CharField(max_length=43, blank=True)
    window_start = models.DateTimeField(null=True, blank=True)
    window_end = models.DateTimeField(null=True, blank=True)
    categories = models.JSONField(default=list)
    reason = models.CharField(max_length=200)
    placed_at = models.DateTimeField(default=timezone.now, editable=False)
    # None: held for as long as the case that placed it is open (released with it).
    expires_at = models.DateTimeField(null=True, blank=True)
    released_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The case that placed the hold; released with it.
    legal_request = models.ForeignKey(
        "privacy.LegalRequest",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="holds",
        editable=False,
    )

    class Meta:
        ordering = ["-placed_at"]
        indexes = [models.Index(fields=["expires_at"], name="hold_expiry")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(member=None, ip_network=""),
                name="hold_names_a_member_or_network",
            )
        ]

    def __str__(self):
        if self.expires_at is None:
            return "Legal hold while its case is open"
        return f"Legal hold until {self.expires_at:%Y-%m-%d}"


@event_types.register
class DataRequestEvent(models.TextChoices):
    RECEIVED = "data_request.received", "Data request received"
    STARTED = "data_request.started", "Data request work started"
    EXTENDED = "data_request.extended", "Data request deadline extended"
    CANCELLED = "data_request.cancelled", "Data request cancelled"
    COMPLETED = "data_request.completed", "Data request completed"
    DENIED = "data_request.denied", "Data request denied"
    EXPORT_DOWNLOADED = "data_request.export_downloaded", "Data export downloaded"
    CORRECTION_APPROVED = "correction.approved", "Correction approved"
    CORRECTION_DENIED = "correction.denied", "Correction denied"
    MEMBER_ERASED = "member.erased", "Member's data erased"
    CONSENT_RECORDED = "consent.recorded", "Cookie consent recorded"


class DataRequest(models.Model):
    """A data-subject request: export, correction or deletion ('Correction/Updating
    Personal Information'). Follows DESIGN.md's workflow shape."""

    class Kind(models.TextChoices):
        EXPORT = "export", "Export of my data"
        CORRECTION = "correction", "Correction of my data"
        DELETION = "deletion", "Deletion of my data"

    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETED = "completed", "Completed"
        DENIED = "denied", "Denied"
        CANCELLED = "cancelled", "Cancelled"

    TRANSITIONS = {
        Status.RECEIVED: {Status.IN_PROGRESS, Status.COMPLETED, Status.DENIED, Status.CANCELLED},
        Status.IN_PROGRESS: {Status.COMPLETED, Status.DENIED, Status.CANCELLED},
        Status.COMPLETED: set(),
        Status.DENIED: set(),
        Status.CANCELLED: set(),
    }
    OPEN = (Status.RECEIVED, Status.IN_PROGRESS)

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_requests"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.RECEIVED)
    received_at = models.DateTimeField(default=timezone.now, editable=False)
    due_at = models.DateTimeField()
    extension_reason = models.TextField(blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    denied_at = models.DateTimeField(null=True, blank=True)
    outcome = models.TextField(blank=True, help_text="What the member is told about the result.")
    # Deletion: when erasure runs unless cancelled, and whether the profile was listed.
    erase_after = models.DateTimeField(null=True, blank=True)
    profile_was_listed = models.BooleanField(default=False)
    # Export: progress of the background build, the private file and when its link ends.
    progress = models.PositiveSmallIntegerField(default=0)
    export_file = models.CharField(max_length=200, blank=True)
    export_expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [
            models.Index(fields=["status", "due_at"], name="datareq_status_due"),
            models.Index(fields=["member", "-received_at"], name="datareq_member_time"),
        ]
        constraints = [
            # One open request of each kind per member: a double submit makes one request.
            models.UniqueConstraint(
                fields=["member", "kind"],
                condition=models.Q(status__in=["received", "in_progress"]),
                name="datareq_one_open_per_kind",
            ),
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="datareq_progress_percent"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"

    def can_become(self, status: str) -> bool:
        return status in self.TRANSITIONS[self.Status(self.status)]

    def can_cancel(self) -> bool:
        return self.can_become(self.Status.CANCELLED)

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_at < timezone.now()

    @property
    def export_expired(self) -> bool:
        return self.export_expires_at is not None and self.export_expires_at <= timezone.now()


class CorrectionItem(models.Model):
    """One field a member asks to have corrected, with the value they propose."""

    class Decision(models.TextChoices):
        PENDING = "pending", "Awaiting review"
        APPROVED = "approved", "Approved"
        DENIED = "denied", "Denied"

    request = models.ForeignKey(DataRequest, on_delete=models.CASCADE, related_name="items")
    model_label = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    field_name = models.CharField(max_length=100)
    proposed_value = models.TextField()
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING)
    reason = models.TextField(blank=True, help_text="Shown to the member when denied.")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "model_label", "object_id", "field_name"],
                name="correction_one_item_per_field",
            )
        ]

    def __str__(self):
        return f"Correction of {self.field_name}"


class ConsentRecord(models.Model):
    """A cookie-consent choice ('Cookies'), with its time and the consent text's version.
    Visitors are identified only by a random id kept in the consent cookie."""

    class Choice(models.TextChoices):
        ESSENTIAL = "essential", "Essential cookies only"
        INTEREST = "interest", "Essential and interest/targeting cookies"

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="consents",
    )
    visitor_id = models.UUIDField()
    choice = models.CharField(max_length=10, choices=Choice.choices)
    text_version = models.CharField(max_length=20)
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        indexes = [
            models.Index(fields=["member", "-recorded_at"], name="consent_member_time"),
            models.Index(fields=["visitor_id"], name="consent_visitor"),
        ]

    def __str__(self):
        return f"{self.get_choice_display()} ({self.text_version})"


# Law-enforcement requests live in their own module; imported here so Django finds them.
from privacy.legal_models import (  # noqa: E402
    LegalDisclosure,
    LegalDocument,
    LegalEvent,
    LegalRequest,
    LegalRequestType,
    LegalTarget,
)

__all__ = [
    "AuditEvent",
    "ConsentRecord",
    "CorrectionItem",
    "DataRequest",
    "DataRequestEvent",
    "LegalDisclosure",
    "LegalDocument",
    "LegalEvent",
    "LegalHold",
    "LegalRequest",
    "LegalRequestType",
    "LegalTarget",
    "MemberPseudonym",
]
