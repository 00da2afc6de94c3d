"""Aggregate visit data and client-software sessions ('Aggregate Data', 'System
Information'). Every field is declared in activity/privacy.py.

Raw events (page views, client sessions) carry personal data and live for a limited time:
their addresses are shortened after IP_RETENTION_DAYS, and they are rolled up into
`DailyFigure` rows, which name no one, and deleted after ACTIVITY_EVENT_RETENTION_DAYS
(activity.retention).
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from activity.validators import camera_type_validator, software_version_validator
from bestqm.workflow import StatusWorkflow, Transitions


class DeviceType(models.TextChoices):
    DESKTOP = "desktop", "Desktop"
    MOBILE = "mobile", "Mobile"
    TABLET = "tablet", "Tablet"
    BOT = "bot", "Robot"
    OTHER = "other", "Other"


class PageView(models.Model):
    """One HTML page served to a browser (activity.visits.middleware). The User-Agent header
    itself is never stored, only what it says about browser, system and device."""

    occurred_at = models.DateTimeField()
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="page_views",
        # The (member, occurred_at) index serves every lookup by member.
        db_index=False,
    )
    ip_address = models.GenericIPAddressField("IP address", null=True, blank=True)
    ip_truncated = models.BooleanField("IP address shortened", default=False)
    # Keyed hash of address and browser with a salt that changes every day and is deleted
    # once the day is rolled up: counts distinct visitors without keeping who they were.
    visitor_hash = models.CharField(max_length=32)
    path = models.CharField(max_length=200)
    # The URL pattern's name ("directory:detail"), so that the daily figures count pages
    # without the usernames or ids in their paths.
    route = models.CharField(max_length=100, blank=True)
    browser_family = models.CharField(max_length=50)
    browser_version = models.CharField(max_length=10, blank=True)
    os_family = models.CharField("operating system", max_length=50)
    device_type = models.CharField(max_length=10, choices=DeviceType.choices)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["occurred_at"], name="pageview_time"),
            # Visitors' views (most of them) have no member: left out, they cost nothing.
            models.Index(
                fields=["member", "occurred_at"],
                condition=Q(member__isnull=False),
                name="pageview_member_time",
            ),
            # Serves an address and a network (PostgreSQL turns inet <<= into a range
            # scan of a btree), within a time window.
            models.Index(fields=["ip_address", "occurred_at"], name="pageview_ip_time"),
        ]

    def __str__(self):
        return f"Page view at {self.occurred_at:%Y-%m-%d %H:%M}"


class ClientSession(StatusWorkflow, models.Model):
    """One run of the BestQM client software, reported by the client through the API:
    opened with its serial number, kept alive by heartbeats, ended by the client or, when
    the heartbeats stop, by the system at the last one."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ENDED = "ended", "Ended by the client"
        TIMED_OUT = "timed_out", "Ended: the client stopped reporting"

    TRANSITIONS = Transitions(
        {
            Status.OPEN: {Status.ENDED, Status.TIMED_OUT},
            Status.ENDED: set(),
            Status.TIMED_OUT: set(),
        }
    )

    # Random, so that an id tells nothing about how many sessions exist or whose it is.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="client_sessions",
        db_index=False,
    )
    serial = models.CharField("program serial number", max_length=24)
    software_version = models.CharField(max_length=32, validators=[software_version_validator])
    camera_type = models.CharField(max_length=60, validators=[camera_type_validator])
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    started_at = models.DateTimeField("time of entrance", default=timezone.now)
    last_seen_at = models.DateTimeField("last heartbeat", default=timezone.now)
    ended_at = models.DateTimeField("time of exit", null=True, blank=True)
    ip_address = models.GenericIPAddressField("IP address", null=True, blank=True)
    ip_truncated = models.BooleanField("IP address shortened", default=False)

    class Meta:
        ordering = ["-started_at"]
        indexes = [
            models.Index(fields=["member", "-started_at"], name="clientsession_member_time"),
            models.Index(fields=["ip_address", "started_at"], name="clientsession_ip_time"),
            models.Index(fields=["started_at"], name="clientsession_time"),
            models.Index(fields=["ended_at"], name="clientsession_end_time"),
            models.Index(
                fields=["last_seen_at"],
                condition=Q(status="open"),
                name="clientsession_open_seen",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", ended_at=None)
                | (~Q(status="open") & Q(ended_at__isnull=False)),
                name="clientsession_ended_iff_not_open",
            ),
            models.CheckConstraint(
                condition=Q(last_seen_at__gte=models.F("started_at")),
                name="clientsession_seen_after_start",
            ),
        ]

    def __str__(self):
        return f"Client session {str(self.pk)[:8]}"

    @staticmethod
    def timeout() -> timedelta:
        return timedelta(seconds=settings.ACTIVITY_SESSION_TIMEOUT_SECONDS)

    def is_stale(self, now=None) -> bool:
        """Open, but the client has not reported for longer than the timeout."""
        now = now or timezone.now()
        return self.status == self.Status.OPEN and self.last_seen_at + self.timeout() < now

    def can_heartbeat(self, now=None) -> bool:
        return self.status == self.Status.OPEN and not self.is_stale(now)

    def can_end(self) -> bool:
        return self.can_become(self.Status.ENDED)

    @property
    def duration(self) -> timedelta | None:
        if self.ended_at is None:
            return None
        return self.ended_at - self.started_at


class DailyFigure(models.Model):
    """One number about one day (UTC), rolled up from the raw events: how many page views,
    distinct visitors, sessions, and their breakdowns by browser, version, camera. Names no
    one and keeps no address; kept after the raw events are gone."""

    class Metric(models.TextChoices):
        PAGE_VIEWS = "page_views", "Page views"
        VISITORS = "visitors", "Distinct visitors"
        BROWSER = "browser", "Page views by browser"
        OS = "os", "Page views by operating system"
        DEVICE = "device", "Page views by device type"
        ROUTE = "route", "Page views by page"
        SESSIONS = "sessions", "Client sessions started"
        CLIENT_VERSION = "client_version", "Client sessions by software version"
        CAMERA_TYPE = "camera_type", "Client sessions by camera type"
        PEAK_CONCURRENT = "peak_concurrent", "Most client sessions open at once"
        SESSIONS_ENDED = "sessions_ended", "Client sessions ended"
        SESSION_SECONDS = "session_seconds", "Length of the sessions ended, in seconds"
        SESSION_LENGTH = "session_length", "Client sessions ended, by length"

    day = models.DateField()
    metric = models.CharField(max_length=20, choices=Metric.choices)
    key = models.CharField(max_length=100, blank=True)
    value = models.BigIntegerField()

    class Meta:
        ordering = ["day", "metric", "key"]
        constraints = [
            models.UniqueConstraint(fields=["day", "metric", "key"], name="dailyfigure_unique"),
        ]

    def __str__(self):
        return f"{self.get_metric_display()} {self.key} on {self.day}: {self.value}"


class ActivityDashboard(DailyFigure):
    """The staff dashboard in the admin, drawn from the daily figures. A proxy, so the
    admin lists it and 'view' on it is a permission a role can be given."""

    class Meta:
        proxy = True
        verbose_name = "activity dashboard"
        verbose_name_plural = "activity dashboard"
        default_permissions = ("view",)


class RolledUpDay(models.Model):
    """A day whose figures are final and stored: its raw events may be deleted once their
    retention ends, and its visitor salt is gone."""

    day = models.DateField(primary_key=True)
    rolled_up_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-day"]

    def __str__(self):
        return f"Rolled up {self.day}"


class VisitorSalt(models.Model):
    """The secret of one day's visitor hashes. Deleted when the day is rolled up, after
    which nobody, us included, can tell whose visit a hash was."""

    day = models.DateField(primary_key=True)
    salt = models.BinaryField(max_length=32)

    class Meta:
        ordering = ["-day"]

    def __str__(self):
        return f"Visitor salt of {self.day}"
