"""Legal holds: data a legal process freezes, which erasure and retention leave alone."""

from django.conf import settings
from django.db import models
from django.utils import timezone


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
