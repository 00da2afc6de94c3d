"""Products, orders and payments ('Order Processing'). Every model added here must be
declared in orders/privacy.py before `manage.py check` passes."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from privacy.event_types import event_types


@event_types.register
class LicenceEvent(models.TextChoices):
    ISSUED = "licence.issued", "Licence serial number issued"
    REVOKED = "licence.revoked", "Licence revoked"


class Licence(models.Model):
    """A BestQM software licence. The client software presents the serial when it reports
    a session (activity app), which checks it through `orders.selectors`."""

    serial = models.CharField(max_length=24, unique=True, editable=False)
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="licences",
    )
    issued_at = models.DateTimeField(default=timezone.now, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-issued_at", "-id"]
        indexes = [models.Index(fields=["member", "-issued_at"], name="licence_member_time")]

    def __str__(self):
        return f"Licence {self.serial}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.member_id is not None
