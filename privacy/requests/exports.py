"""The member's data export: built in the background, downloaded through an audited link
that expires, and deleted when the link ends or the member is erased."""

from __future__ import annotations

import tempfile
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from django.core.files import File
from django.core.files.storage import storages
from django.db import models, transaction
from django.utils import timezone

from outbox.worker import resumes_lost_attempt
from privacy.audit.services import Actor
from privacy.requests import errors
from privacy.requests.errors import DataRequestError
from privacy.requests.export_archive import export_write
from privacy.requests.models import DataRequest, DataRequestEvent
from privacy.requests.services import (
    REQUESTS,
    data_request_create,
    export_queue,
    notify,
    require_privacy_officer,
)

Kind = DataRequest.Kind
Status = DataRequest.Status

EXPORT_LINK_DAYS = 7
EXPORT_STORAGE = "exports"
# A build still in progress after this long has lost its worker (the task's own time limit
# is shorter; see privacy.tasks) and may be started again.
EXPORT_BUILD_LEASE = timedelta(minutes=30)
# A request still waiting this long was never queued (the broker was unreachable when it
# was made) or its message was lost; the scheduled resume queues it again.
EXPORT_QUEUE_GRACE = timedelta(minutes=15)


def export_request_for_member(*, member, actor: Actor) -> tuple[DataRequest, bool]:
    """A privacy officer produces an export for a member (e.g. asked by post)."""
    require_privacy_officer(actor)
    return data_request_create(member=member, actor=actor, kind=Kind.EXPORT)


def _export_build_lost(request: DataRequest, now) -> bool:
    return (
        request.status == Status.IN_PROGRESS
        and request.started_at is not None
        and request.started_at <= now - EXPORT_BUILD_LEASE
    )


def export_build(*, request_id: int) -> DataRequest:
    """Build the export file (run in the background), updating its progress as it goes.
    Safe to run twice: a request already built, cancelled or being built by a live worker
    is left alone; a build whose worker died (in progress past EXPORT_BUILD_LEASE) is
    started again."""
    now = timezone.now()
    with transaction.atomic():
        request = REQUESTS.locked(DataRequest(pk=request_id))
        if request.status == Status.RECEIVED:
            REQUESTS.move(request, Status.IN_PROGRESS, now=now, progress=0)
        elif _export_build_lost(request, now) or resumes_lost_attempt():
            # Its worker died (handed back by the broker, or its outbox lease ended):
            # the build in progress is no one's, so this run starts it again.
            request.started_at = now
            request.progress = 0
            request.save(update_fields=["started_at", "progress"])
        else:
            return request

    def progress(percent: int) -> None:
        DataRequest.objects.filter(pk=request_id).update(progress=min(percent, 99))

    storage = storages[EXPORT_STORAGE]
    name = f"export-{request.pk}-{timezone.now():%Y%m%d%H%M%S}.zip"
    with tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024) as target:
        export_write(
            member=request.member, request_id=request.pk, target=target, on_progress=progress
        )
        target.seek(0)
        name = storage.save(name, File(target))
    with transaction.atomic():
        request = REQUESTS.locked(request)
        if request.status != Status.IN_PROGRESS:
            storage.delete(name)
            return request
        now = timezone.now()
        REQUESTS.move(
            request,
            Status.COMPLETED,
            actor=Actor.system(),
            event=DataRequestEvent.COMPLETED,
            fields=["export_file"],
            now=now,
            progress=100,
            export_file=name,
            export_expires_at=now + relativedelta(days=EXPORT_LINK_DAYS),
            outcome="Your export is ready to download for 7 days.",
        )
    notify(request, "completed")
    return request


def exports_resume(*, now=None) -> int:
    """Queue again the exports whose build was lost: still waiting after
    EXPORT_QUEUE_GRACE, or in progress past EXPORT_BUILD_LEASE (a scheduled job). A build
    queued twice runs once (see export_build). Returns how many were queued."""
    now = now or timezone.now()
    stalled = list(
        DataRequest.objects.filter(kind=Kind.EXPORT)
        .filter(
            models.Q(status=Status.RECEIVED, received_at__lte=now - EXPORT_QUEUE_GRACE)
            | models.Q(status=Status.IN_PROGRESS, started_at__lte=now - EXPORT_BUILD_LEASE)
        )
        .values_list("pk", flat=True)
    )
    for pk in stalled:
        export_queue(pk)
    return len(stalled)


def export_open(*, request: DataRequest, actor: Actor):
    """The export file for download, recorded in the audit log; refuses expired links."""
    if request.kind != Kind.EXPORT or request.status != Status.COMPLETED:
        raise DataRequestError(errors.EXPORT_NOT_READY, code="export_not_ready")
    if request.export_expired or not request.export_file:
        raise DataRequestError(errors.EXPORT_EXPIRED, code="export_expired")
    with transaction.atomic():
        REQUESTS.audit(request, actor, DataRequestEvent.EXPORT_DOWNLOADED, ["export_file"])
    return storages[EXPORT_STORAGE].open(request.export_file, "rb")


def exports_expire(*, now=None, member=None) -> int:
    """Delete export files whose link has ended (a scheduled job), or all of one member's
    (on erasure: a copy of the data must not outlive it)."""
    now = now or timezone.now()
    storage = storages[EXPORT_STORAGE]
    if member is not None:
        expired = DataRequest.objects.filter(member=member).exclude(export_file="")
    else:
        expired = DataRequest.objects.filter(export_expires_at__lte=now).exclude(export_file="")
    files = dict(expired.values_list("pk", "export_file"))
    for name in files.values():
        storage.delete(name)
    DataRequest.objects.filter(pk__in=files).update(export_file="")
    return len(files)
