"""Member communication ('Support Information', 'Site and Service Updates', 'Partner Use'):
support tickets and their messages, internal notes and phone contacts; announcements and
their per-recipient deliveries; partners and the member's shares with them. Every model is
declared in support/privacy.py."""

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.utils import timezone

from bestqm.workflow import StatusWorkflow, Transitions
from privacy.audit.event_types import event_types

SUBJECT_MAX_LENGTH = 200
# Links to partners are followed by members: web pages only, never ftp: or the like.
WEB_ADDRESS = URLValidator(schemes=["http", "https"])
MESSAGE_MAX_LENGTH = 10_000
SUMMARY_MAX_LENGTH = 2000


@event_types.register
class SupportEvent(models.TextChoices):
    TICKET_OPENED = "ticket.opened", "Support ticket opened"
    TICKET_MEMBER_REPLIED = "ticket.member_replied", "Member wrote on a support ticket"
    TICKET_AGENT_REPLIED = "ticket.agent_replied", "Support replied on a ticket"
    TICKET_NOTE_ADDED = "ticket.note_added", "Internal note added to a support ticket"
    TICKET_ANSWERED = "ticket.answered", "Support ticket marked as answered"
    TICKET_CLOSED = "ticket.closed", "Support ticket closed"
    TICKET_REOPENED = "ticket.reopened", "Support ticket reopened"
    TICKET_ASSIGNED = "ticket.assigned", "Support ticket assigned"
    TICKET_PRIORITISED = "ticket.prioritised", "Support ticket priority changed"
    PHONE_CONTACT_LOGGED = "ticket.phone_contact_logged", "Phone contact logged"
    ANNOUNCEMENT_SENT = "announcement.sent", "Announcement sent to members"
    PARTNER_SHARED = "partner.shared", "Details shared with a partner at the member's request"


class Ticket(StatusWorkflow, models.Model):
    """A member's request for help. Its messages are the conversation the member sees;
    internal notes and the assignee are for support alone."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ANSWERED = "answered", "Answered"
        CLOSED = "closed", "Closed"

    class Priority(models.TextChoices):
        LOW = "low", "Low"
        NORMAL = "normal", "Normal"
        HIGH = "high", "High"
        URGENT = "urgent", "Urgent"

    # Which status may follow which. A member's message reopens the conversation for
    # support (answered -> open); support's public reply hands it back (open -> answered).
    TRANSITIONS = Transitions(
        {
            Status.OPEN: {Status.ANSWERED, Status.CLOSED},
            Status.ANSWERED: {Status.OPEN, Status.CLOSED},
            Status.CLOSED: {Status.OPEN},
        },
        stamps={Status.ANSWERED: "answered_at", Status.CLOSED: "closed_at"},
    )

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="support_tickets"
    )
    subject = models.CharField(max_length=SUBJECT_MAX_LENGTH)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.OPEN, editable=False
    )
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_support_tickets",
        help_text="The support agent working this ticket.",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_message_at = models.DateTimeField(default=timezone.now, editable=False)
    answered_at = models.DateTimeField(null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-last_message_at", "-id"]
        indexes = [
            models.Index(fields=["member", "-last_message_at"], name="ticket_member_recent"),
            models.Index(fields=["status", "-last_message_at"], name="ticket_status_recent"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="closed", closed_at=None),
                name="ticket_closed_has_closed_at",
            )
        ]

    def __str__(self):
        # Never the subject: this string turns up in admin history and logs.
        return f"Ticket #{self.pk}"

    def can_answer(self) -> bool:
        return self.can_become(self.Status.ANSWERED)

    def can_close(self) -> bool:
        return self.can_become(self.Status.CLOSED)

    def can_reopen(self) -> bool:
        return self.can_become(self.Status.OPEN) and self.status == self.Status.CLOSED

    def can_receive_messages(self) -> bool:
        return self.status != self.Status.CLOSED


class TicketMessage(models.Model):
    """One message of the conversation the member sees: theirs, or support's reply."""

    class Sender(models.TextChoices):
        MEMBER = "member", "The member"
        SUPPORT = "support", "Support"

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="messages")
    sender = models.CharField(max_length=10, choices=Sender.choices, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    body = models.TextField(max_length=MESSAGE_MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["ticket", "created_at"], name="ticket_message_thread")]

    def __str__(self):
        return f"Message #{self.pk}"


class TicketNote(models.Model):
    """An internal note of support on a ticket. Never shown to the member, not even in
    their export (declared MemberAccess.NONE)."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    body = models.TextField(max_length=MESSAGE_MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"Note #{self.pk}"


class PhoneContact(models.Model):
    """A phone call with the member about a ticket ('we communicate with the user ... via
    email or phone'), with its outcome. The member sees it on the ticket."""

    class Direction(models.TextChoices):
        OUTBOUND = "outbound", "We called the member"
        INBOUND = "inbound", "The member called us"

    class Outcome(models.TextChoices):
        REACHED = "reached", "Spoke with the member"
        VOICEMAIL = "voicemail", "Left a voicemail"
        NO_ANSWER = "no_answer", "No answer"
        WRONG_NUMBER = "wrong_number", "Wrong or unavailable number"

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="phone_contacts")
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    direction = models.CharField(max_length=10, choices=Direction.choices)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    summary = models.TextField(
        max_length=SUMMARY_MAX_LENGTH,
        blank=True,
        help_text="Shown to the member on their ticket. Use an internal note for anything else.",
    )
    contacted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["contacted_at", "id"]

    def __str__(self):
        return f"Phone contact #{self.pk}"


class Announcement(StatusWorkflow, models.Model):
    """A message from BestQM to its members, composed by staff. Service announcements go
    to every active member and cannot be unsubscribed ('Site and Service Updates');
    newsletters only to members who opted in."""

    class Kind(models.TextChoices):
        SERVICE = "service", "Service announcement"
        NEWSLETTER = "newsletter", "Newsletter"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"

    TRANSITIONS = Transitions(
        {
            Status.DRAFT: {Status.SENDING},
            Status.SENDING: {Status.SENT},
            Status.SENT: set(),
        },
        stamps={Status.SENDING: "sending_at", Status.SENT: "sent_at"},
    )

    kind = models.CharField(max_length=12, choices=Kind.choices)
    subject = models.CharField(max_length=SUBJECT_MAX_LENGTH)
    body = models.TextField(max_length=MESSAGE_MAX_LENGTH, help_text="Plain text.")
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    sending_at = models.DateTimeField(null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.subject

    def can_send(self) -> bool:
        return self.can_become(self.Status.SENDING)

    def can_finish(self) -> bool:
        return self.can_become(self.Status.SENT)

    def can_edit(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def can_be_unsubscribed(self) -> bool:
        return self.kind == self.Kind.NEWSLETTER


class AnnouncementDelivery(models.Model):
    """One recipient of an announcement and what became of the e-mail. The address is
    read from the account when the e-mail is sent, never copied here."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        SKIPPED = "skipped", "Not sent"

    announcement = models.ForeignKey(
        Announcement, on_delete=models.CASCADE, related_name="deliveries"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="announcement_deliveries"
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, editable=False
    )
    # Why it was not sent or failed, in words that name no address or value.
    detail = models.CharField(max_length=200, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name_plural = "announcement deliveries"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["announcement", "member"], name="delivery_once_per_member"
            )
        ]
        indexes = [
            models.Index(fields=["announcement", "status"], name="delivery_progress"),
            models.Index(fields=["member", "-created_at"], name="delivery_member_notices"),
        ]

    def __str__(self):
        return f"Delivery #{self.pk}"


class Partner(models.Model):
    """A third party whose service BestQM offers access to ('Partner Use'). Nothing is
    ever sent to a partner without the member's explicit action."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=50, unique=True)
    description = models.TextField(max_length=2000)
    website = models.URLField(validators=[WEB_ADDRESS])
    privacy_policy_url = models.URLField("privacy policy address", validators=[WEB_ADDRESS])
    # Names of the member's account fields the partner receives when a member shares.
    shared_fields = models.JSONField(default=list)
    is_active = models.BooleanField(default=True, help_text="Off: not listed, nothing shared.")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class PartnerShare(models.Model):
    """A disclosure the member made to a partner: which details and when (never their
    values). Nothing goes over the network here; this is the record of what would be."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partner_shares"
    )
    # Protected: a partner someone shared with is switched off, never deleted, so the
    # member's record of the disclosure keeps naming it.
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="shares")
    fields = models.JSONField(default=list)
    shared_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-shared_at", "-id"]
        indexes = [models.Index(fields=["member", "-shared_at"], name="share_member_time")]

    def __str__(self):
        return f"Share #{self.pk}"
