"""Data-subject requests: export, correction and deletion."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from bestqm.workflow import StatusWorkflow, Transitions
from privacy.audit.event_types import event_types


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


class DataRequest(StatusWorkflow, models.Model):
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

    TRANSITIONS = Transitions(
        {
            Status.RECEIVED: {
                Status.IN_PROGRESS,
                Status.COMPLETED,
                Status.DENIED,
                Status.CANCELLED,
            },
            Status.IN_PROGRESS: {Status.COMPLETED, Status.DENIED, Status.CANCELLED},
            Status.COMPLETED: set(),
            Status.DENIED: set(),
            Status.CANCELLED: set(),
        },
        stamps={
            Status.IN_PROGRESS: "started_at",
            Status.COMPLETED: "completed_at",
            Status.DENIED: "denied_at",
            Status.CANCELLED: "cancelled_at",
        },
    )
    OPEN = TRANSITIONS.open

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

    def can_cancel(self) -> bool:
        return self.can_become(self.Status.CANCELLED)

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_at < timezone.now()

    @classmethod
    def overdue_q(cls, now) -> models.Q:
        """The same rule as is_overdue, for the admin's "overdue" filter."""
        return models.Q(status__in=cls.OPEN, due_at__lt=now)

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
        return f"Correction of {self.described}"

    @property
    def field_label(self) -> str:
        """The field as people read it ("Billing ZIP code"), from the privacy registry."""
        from privacy.registry import field_label_in

        return field_label_in(self.model_label, self.field_name)

    @property
    def described(self) -> str:
        """The field and the record it is on: "Billing ZIP code of order #12". A field of
        the member's own account is named alone (it has one account)."""
        from django.apps import apps

        if self.model_label.lower() == "accounts.user":
            return self.field_label
        try:
            kind = apps.get_model(self.model_label)._meta.verbose_name
        except (LookupError, ValueError):
            kind = "record"
        return f"{self.field_label} of {kind} #{self.object_id}"
