"""Law-enforcement requests ('Disclosure to Law Enforcement', 'IP Address').

A legal request follows DESIGN.md's workflow shape: `status` moves only along
`LegalRequest.TRANSITIONS`, one service per move (privacy.legal.services). Its targets name
whose data is asked for; its documents are the legal process itself, kept in private
storage; its disclosures record exactly which fields of which members left the service.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.db import models
from django.utils import timezone

from bestqm.workflow import StatusWorkflow, Transitions
from privacy.audit.event_types import event_types
from privacy.registry import Category, LegalProcess


@event_types.register
class LegalEvent(models.TextChoices):
    RECEIVED = "legal.received", "Legal request received"
    VERIFICATION_STARTED = "legal.verifying", "Legal requester verification started"
    VERIFIED = "legal.verified", "Legal requester verified"
    INFO_REQUESTED = "legal.info_requested", "More information asked of the requester"
    INFO_RECEIVED = "legal.info_received", "Requester's further information received"
    APPROVED = "legal.approved", "Legal request approved with a scope"
    REJECTED = "legal.rejected", "Legal request rejected"
    COLLECTING = "legal.collecting", "Legal request data collection started"
    COLLECTED = "legal.collected", "Disclosure package collected"
    RETURNED = "legal.returned", "Disclosure package returned for more collection"
    DELIVERED = "legal.delivered", "Disclosure delivered"
    CLOSED = "legal.closed", "Legal request closed"
    WITHDRAWN = "legal.withdrawn", "Legal request withdrawn"
    HOLD_PLACED = "legal.hold_placed", "Legal hold placed"
    HOLD_EXTENDED = "legal.hold_extended", "Preservation extended"
    HOLD_RELEASED = "legal.hold_released", "Legal hold released"
    FOLLOW_UP_RECEIVED = "legal.follow_up_received", "Emergency follow-up process received"
    NON_DISCLOSURE_RECORDED = "legal.nondisclosure", "Non-disclosure order recorded"
    NOTICE_SENT = "legal.notice_sent", "Member told of a disclosure"
    IP_TRACED = "legal.ip_traced", "IP address traced for a legal case"
    ADDRESSES_LISTED = "legal.addresses_listed", "Addresses of an account listed for a case"
    DOCUMENT_ADDED = "legal.document_added", "Legal document added"
    DOCUMENT_OPENED = "legal.document_opened", "Legal document opened"
    PACKAGE_DOWNLOADED = "legal.package_downloaded", "Disclosure package downloaded"


def _staff_step() -> models.ForeignKey:
    """The staff member who took a workflow step: kept (PROTECT) as the case's record."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )


class LegalRequestType(models.TextChoices):
    """What the requester served. Preservation freezes data and never discloses; the other
    types are the registry's legal processes (privacy.registry.LegalProcess)."""

    PRESERVATION = "preservation", "Preservation request"
    SUBPOENA = LegalProcess.SUBPOENA.value, LegalProcess.SUBPOENA.label
    COURT_ORDER = LegalProcess.COURT_ORDER.value, LegalProcess.COURT_ORDER.label
    SEARCH_WARRANT = LegalProcess.SEARCH_WARRANT.value, LegalProcess.SEARCH_WARRANT.label
    EMERGENCY = LegalProcess.EMERGENCY.value, LegalProcess.EMERGENCY.label
    RIGHTS_PROTECTION = (
        LegalProcess.RIGHTS_PROTECTION.value,
        "Protection of the service's rights or property",
    )


class LegalRequest(StatusWorkflow, models.Model):
    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        VERIFYING = "verifying", "Verifying the requester"
        LEGAL_REVIEW = "legal_review", "Legal review"
        NEEDS_INFO = "needs_info", "Needs more information (clock paused)"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        COLLECTING = "collecting", "Collecting"
        SECOND_REVIEW = "second_review", "Second review"
        DELIVERED = "delivered", "Delivered"
        CLOSED = "closed", "Closed"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class Notice(models.TextChoices):
        NOT_DUE = "not_due", "Nothing disclosed yet"
        SENT = "sent", "Members told"
        DEFERRED = "deferred", "Deferred by a non-disclosure order"
        AFTER_EMERGENCY = "after_emergency", "Due once the emergency is over"
        NONE_AFFECTED = "none_affected", "No member's data was disclosed"

    TRANSITIONS = Transitions(
        {
            Status.RECEIVED: {Status.VERIFYING, Status.WITHDRAWN},
            Status.VERIFYING: {Status.LEGAL_REVIEW, Status.REJECTED, Status.WITHDRAWN},
            Status.LEGAL_REVIEW: {
                Status.NEEDS_INFO,
                Status.APPROVED,
                Status.REJECTED,
                Status.WITHDRAWN,
            },
            Status.NEEDS_INFO: {Status.LEGAL_REVIEW, Status.REJECTED, Status.WITHDRAWN},
            # A preservation is closed from "approved" when its hold ends; nothing is collected.
            Status.APPROVED: {Status.COLLECTING, Status.CLOSED, Status.WITHDRAWN},
            Status.COLLECTING: {Status.SECOND_REVIEW, Status.WITHDRAWN},
            # The approver either releases the package or sends it back for more collection.
            Status.SECOND_REVIEW: {Status.DELIVERED, Status.COLLECTING, Status.WITHDRAWN},
            Status.DELIVERED: {Status.CLOSED},
            Status.REJECTED: set(),
            Status.CLOSED: set(),
            Status.WITHDRAWN: set(),
        },
        stamps={
            Status.APPROVED: "approved_at",
            Status.REJECTED: "rejected_at",
            Status.SECOND_REVIEW: "collected_at",
            Status.DELIVERED: "delivered_at",
            Status.CLOSED: "closed_at",
            Status.WITHDRAWN: "withdrawn_at",
        },
    )
    # Open: any status the table still leads out of (delivered waits to be closed).
    OPEN = TRANSITIONS.open

    # Intake: what was served, by whom.
    request_type = models.CharField(max_length=20, choices=LegalRequestType.choices)
    status = models.CharField(max_length=14, choices=Status.choices, default=Status.RECEIVED)
    authority = models.CharField("issuing authority", max_length=200)
    jurisdiction = models.CharField(max_length=200)
    officer_name = models.CharField(max_length=200)
    contact_email = models.EmailField()
    callback_phone = models.CharField("call-back phone", max_length=40)
    reference_number = models.CharField("authority's reference number", max_length=100)
    received_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField("requester's due date")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    # Verification of the requester (for an emergency: by calling the number back).
    verification_note = models.TextField(blank=True)
    verified_by = _staff_step()
    verified_at = models.DateTimeField(null=True, blank=True, editable=False)
    # An emergency is verified only by calling the authority's number back.
    verified_by_callback = models.BooleanField(default=False, editable=False)
    # Legal review: the clock stops while the requester is asked for more information.
    info_requested = models.TextField(blank=True)
    paused_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The scope: registry categories the approver allows, and why (emergency: why each is
    # necessary; protection of rights: what is protected).
    scope_categories = models.JSONField(default=list, blank=True)
    scope_reason = models.TextField(blank=True)
    reviewed_by = _staff_step()
    approved_at = models.DateTimeField(null=True, blank=True, editable=False)
    rejected_at = models.DateTimeField(null=True, blank=True, editable=False)
    rejection_reason = models.TextField(blank=True)
    # Collection and the second pair of eyes.
    collected_by = _staff_step()
    collected_at = models.DateTimeField(null=True, blank=True, editable=False)
    delivery_approved_by = _staff_step()
    delivered_at = models.DateTimeField(null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    withdrawn_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The disclosure package: a private zip, its digest, and when its download link ends.
    package_file = models.CharField(max_length=200, blank=True, editable=False)
    package_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    package_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Emergency: the legal process that must follow, and when it is due.
    follow_up_due_at = models.DateTimeField(null=True, blank=True, editable=False)
    follow_up_received_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Preservation: one extension of the hold is allowed.
    preservation_extended_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Member notice, unless a non-disclosure order says otherwise until it expires.
    nondisclosure_reason = models.TextField(blank=True)
    nondisclosure_until = models.DateTimeField(null=True, blank=True)
    notice = models.CharField(max_length=16, choices=Notice.choices, default=Notice.NOT_DUE)
    notice_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [
            models.Index(fields=["status", "due_at"], name="legalreq_status_due"),
            models.Index(fields=["received_at"], name="legalreq_received"),
            models.Index(fields=["notice", "nondisclosure_until"], name="legalreq_notice"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(due_at__gte=models.F("received_at")),
                name="legalreq_due_after_received",
            ),
            models.CheckConstraint(
                condition=models.Q(nondisclosure_until=None) | ~models.Q(nondisclosure_reason=""),
                name="legalreq_nondisclosure_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.get_request_type_display()} {self.reference_number} (#{self.pk})"

    @property
    def is_preservation(self) -> bool:
        return self.request_type == LegalRequestType.PRESERVATION

    @property
    def is_emergency(self) -> bool:
        return self.request_type == LegalRequestType.EMERGENCY

    @property
    def is_overdue(self) -> bool:
        # A delivered case has answered; it only waits to be closed, so it is never late.
        return (
            self.is_open
            and self.status != self.Status.DELIVERED
            and self.paused_at is None
            and self.due_at < timezone.now()
        )

    @classmethod
    def overdue_q(cls, now) -> models.Q:
        """The same rule as is_overdue, for the admin's "overdue" filter."""
        waiting = [s for s in cls.OPEN if s != cls.Status.DELIVERED]
        return models.Q(status__in=waiting, paused_at=None, due_at__lt=now)

    @property
    def follow_up_overdue(self) -> bool:
        return (
            self.is_open
            and self.status != self.Status.DELIVERED
            and self.follow_up_due_at is not None
            and self.follow_up_received_at is None
            and self.follow_up_due_at < timezone.now()
        )

    @property
    def package_expired(self) -> bool:
        return self.package_expires_at is not None and self.package_expires_at <= timezone.now()

    def scope(self) -> frozenset[Category]:
        return frozenset(Category(c) for c in self.scope_categories)


class LegalTarget(models.Model):
    """Whose data a request asks for: a username or login name, an e-mail address, or an
    IP address (or network) with a time window. `member` is the account it resolved to."""

    class Kind(models.TextChoices):
        USERNAME = "username", "Username or login name"
        EMAIL = "email", "E-mail address"
        IP = "ip", "IP address in a time window"
        # Named by an IP trace inside the case, not by the requester.
        TRACED = "traced", "Account found by an IP trace"

    request = models.ForeignKey(LegalRequest, on_delete=models.CASCADE, related_name="targets")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    value = models.CharField(max_length=254, help_text="A username, an e-mail, or an IP/CIDR.")
    window_start = models.DateTimeField(null=True, blank=True)
    window_end = models.DateTimeField(null=True, blank=True)
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="ip")
                | models.Q(window_start__isnull=False, window_end__isnull=False),
                name="legaltarget_ip_has_window",
            ),
            models.CheckConstraint(
                condition=models.Q(window_start=None)
                | models.Q(window_end=None)
                | models.Q(window_end__gt=models.F("window_start")),
                name="legaltarget_window_in_order",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} target #{self.pk}"

    def network(self) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
        return ipaddress.ip_network(self.value, strict=False)


def _legal_storage():
    from django.core.files.storage import storages

    return storages["legal"]


class LegalDocument(models.Model):
    """The legal process as served (the subpoena, the order, the warrant), kept in private
    storage and served only to legal roles."""

    request = models.ForeignKey(LegalRequest, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(storage=_legal_storage, upload_to="documents/%Y/%m/")
    title = models.CharField(max_length=200)
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.title


class LegalDisclosure(models.Model):
    """What one delivered package held of one member: the table and the field names, never
    the values. Kept after the member is erased (pseudonym only) as the service's record."""

    request = models.ForeignKey(LegalRequest, on_delete=models.CASCADE, related_name="disclosures")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    subject_pseudonym = models.UUIDField(null=True, blank=True)
    category = models.CharField(max_length=20, choices=Category.choices)
    model_label = models.CharField(max_length=100)
    fields = models.JSONField(default=list)
    records = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["request", "id"]
        indexes = [models.Index(fields=["member"], name="legaldisc_member")]

    def __str__(self):
        return f"{self.model_label} ({self.records})"
