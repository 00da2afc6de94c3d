"""An outbox row is one job or e-mail to run: written with the change that causes it,
handed to the broker by the relay, run once by a worker (which claims it by its key),
and kept as the delivery record that staff read in the admin."""

from uuid import uuid4

from django.db import models


def task_label(task: str) -> str:
    """The task as staff read it: "orders.tasks.fulfil_order" is "fulfil order"."""
    return task.rsplit(".", 1)[-1].replace("_", " ")


class OutboxMessage(models.Model):
    class Kind(models.TextChoices):
        JOB = "job", "background job"
        MAIL = "mail", "e-mail"

    class Status(models.TextChoices):
        PENDING = "pending", "waiting for the broker"
        SENT = "sent", "handed to the broker"
        RUNNING = "running", "running"
        DONE = "done", "done"
        FAILED = "failed", "failed after the last try"
        REFUSED = "refused", "refused as malformed"

    FINISHED = (Status.DONE, Status.FAILED, Status.REFUSED)

    key = models.UUIDField(default=uuid4, unique=True, editable=False)
    task = models.CharField(max_length=200)
    args = models.JSONField(default=list, blank=True)
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.JOB)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    handovers = models.PositiveIntegerField(default=0)
    replays = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=200, blank=True)
    delivery_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    available_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["status", "available_at"], name="outbox_due_idx"),
            models.Index(fields=["kind", "status"], name="outbox_kind_status_idx"),
        ]
        verbose_name = "outbox message"

    def __str__(self) -> str:
        return f"{self.task} ({self.get_status_display()})"

    @property
    def task_label(self) -> str:
        return task_label(self.task)


class OutboxRefusal(models.Model):
    """A broker message naming no outbox row (malformed or forged): refused by the worker
    and recorded here, never run and never retried."""

    received_at = models.DateTimeField(auto_now_add=True)
    key = models.CharField(max_length=64)
    reason = models.CharField(max_length=200)

    class Meta:
        ordering = ["-id"]
        verbose_name = "refused outbox message"

    def __str__(self) -> str:
        return f"{self.key}: {self.reason}"
