"""Cookie-consent choices, each recorded with its time and the consent text's version."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from privacy.audit.event_types import event_types


@event_types.register
class ConsentEvent(models.TextChoices):
    CONSENT_RECORDED = "consent.recorded", "Cookie consent recorded"


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
