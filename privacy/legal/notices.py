"""Telling members their data was disclosed ('Disclosure to Law Enforcement').

On delivery each affected member is e-mailed which categories of their data went to
which kind of authority (never the officer's name or contact details, nor the
authority's reference). A non-disclosure order recorded with a reason and an end date
defers the notice until that date, when the scheduled job sends it; after an emergency
disclosure the notice goes out once the emergency is over (the case is closed). Callers
hold the request's row lock and the transaction.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from outbox import enqueue_many
from privacy import tasks
from privacy.audit.services import Actor, AuditEntry, audit_record_many
from privacy.legal.models import LegalEvent, LegalRequest
from privacy.legal.workflow import LEGAL

Notice = LegalRequest.Notice


def _nondisclosure_in_force(request: LegalRequest, now: datetime) -> bool:
    return request.nondisclosure_until is not None and request.nondisclosure_until > now


def _set(request: LegalRequest, notice: Notice) -> None:
    request.notice = notice
    request.save(update_fields=["notice"])


def _send(request: LegalRequest, actor: Actor, now: datetime) -> None:
    request.notice = Notice.SENT
    request.notice_sent_at = now
    request.save(update_fields=["notice", "notice_sent_at"])
    told = {}
    for disclosure in request.disclosures.exclude(member=None).select_related("member"):
        told.setdefault(disclosure.member_id, disclosure)
    audit_record_many(
        actor=actor,
        event_type=LegalEvent.NOTICE_SENT,
        entries=(AuditEntry(d.category, subject=d.member, obj=request) for d in told.values()),
    )
    # One e-mail per member, each its own outbox row: a mail server that fails halfway
    # leaves a record per member to resume from, and no one told twice.
    enqueue_many(tasks.send_legal_notice, [(request.pk, member_id) for member_id in told])


def notice_on_delivery(*, request: LegalRequest, actor: Actor, now: datetime) -> None:
    if not request.disclosures.exists():
        _set(request, Notice.NONE_AFFECTED)
    elif request.is_emergency:
        _set(request, Notice.AFTER_EMERGENCY)
    elif _nondisclosure_in_force(request, now):
        _set(request, Notice.DEFERRED)
    else:
        _send(request, actor, now)


def notice_on_close(*, request: LegalRequest, actor: Actor, now: datetime) -> None:
    """The emergency is over: tell the members now, or when a non-disclosure order ends."""
    if request.notice != Notice.AFTER_EMERGENCY:
        return
    if _nondisclosure_in_force(request, now):
        _set(request, Notice.DEFERRED)
    else:
        _send(request, actor, now)


def notices_send_due(*, now: datetime | None = None) -> int:
    """Send the deferred notices whose non-disclosure order has ended (a scheduled job)."""
    now = now or timezone.now()
    due = LegalRequest.objects.filter(notice=Notice.DEFERRED, nondisclosure_until__lte=now)
    sent = 0
    for pk in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            request = LEGAL.locked(LegalRequest(pk=pk))
            if request.notice != Notice.DEFERRED or _nondisclosure_in_force(request, now):
                continue
            _send(request, Actor.system(), now)
            sent += 1
    return sent
