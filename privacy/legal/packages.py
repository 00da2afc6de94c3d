"""The stored disclosure package: built in the background, downloaded by legal roles only
through an expiring signed link (every download audited), discarded when the request is
withdrawn or sent back, and deleted LEGAL_PACKAGE_LINK_HOURS after delivery.

Files live in `storages["legal"]`, never under MEDIA_URL.
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.files import File
from django.core.files.storage import storages
from django.db import transaction
from django.utils import timezone

from outbox import enqueue
from privacy import tasks
from privacy.audit.services import Actor, audit_record, member_pseudonyms
from privacy.legal import errors
from privacy.legal.access import require_legal_staff
from privacy.legal.errors import LegalRequestError
from privacy.legal.models import LegalDisclosure, LegalEvent, LegalRequest
from privacy.legal.package_archive import package_subjects, package_write
from privacy.legal.workflow import LEGAL
from privacy.registry import Category

logger = logging.getLogger(__name__)
Status = LegalRequest.Status
STORAGE = "legal"
_LINK_SALT = "privacy.legal-package-link"
# A package can be downloaded while it is reviewed and after its delivery.
DOWNLOADABLE = (Status.SECOND_REVIEW, Status.DELIVERED, Status.CLOSED)


def _storage():
    return storages[STORAGE]


def _file_digest(handle) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: handle.read(1024 * 1024), b""):
        digest.update(chunk)
    return digest.hexdigest()


def package_build(*, request_id: int) -> LegalRequest:
    """Build the package of a request being collected (the Celery task's body). Running it
    twice changes nothing; if the request moved on meanwhile, the new file is dropped."""
    with transaction.atomic():
        request = LEGAL.locked(LegalRequest(pk=request_id))
        if (
            request.status != Status.COLLECTING
            or request.collected_by_id is None
            or request.collected_at is not None
        ):
            return request
    collector_id = request.collected_by_id
    storage = _storage()
    try:
        with tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024) as target:
            _, disclosed = package_write(
                request=request, subjects=package_subjects(request), target=target
            )
            target.seek(0)
            digest = _file_digest(target)
            target.seek(0)
            name = storage.save(f"packages/legal-{request.pk}-{digest[:16]}.zip", File(target))
    except Exception:
        # Let the officer collect again rather than leave the request stuck.
        LegalRequest.objects.filter(pk=request_id, collected_at=None).update(collected_by=None)
        logger.exception("Building the disclosure package of legal request %s failed", request_id)
        raise
    with transaction.atomic():
        request = LEGAL.locked(LegalRequest(pk=request_id))
        if request.status != Status.COLLECTING or request.collected_by_id != collector_id:
            transaction.on_commit(lambda: storage.delete(name))
            return request
        request.disclosures.all().delete()
        pseudonyms = member_pseudonyms(d.member for d in disclosed)
        LegalDisclosure.objects.bulk_create(
            LegalDisclosure(
                request=request,
                member=d.member,
                subject_pseudonym=pseudonyms[d.member.pk].pseudonym,
                category=d.category,
                model_label=d.model_label,
                fields=d.fields,
                records=d.records,
            )
            for d in disclosed
        )
        LEGAL.move(
            request,
            Status.SECOND_REVIEW,
            action="collected",
            actor=Actor(user=request.collected_by),
            event=LegalEvent.COLLECTED,
            fields=["package_file"],
            package_file=name,
            package_sha256=digest,
            package_expires_at=None,
        )
    return request


def packages_resume() -> int:
    """Queue again the build of every package asked for and not built: its message was
    never sent (the broker was away) or its worker died. A build that is in fact still
    running is harmless to repeat: package_build keeps the first result and drops the
    other's file. A build that failed has already let the officer collect again."""
    waiting = list(
        LegalRequest.objects.filter(
            status=Status.COLLECTING, collected_by__isnull=False, collected_at=None
        ).values_list("pk", flat=True)
    )
    for pk in waiting:
        enqueue(tasks.build_legal_package, pk)
    return len(waiting)


def package_discard(*, request: LegalRequest) -> None:
    """Drop an undelivered package and what it said it held (inside the caller's
    transaction; the file goes once that commits)."""
    name = request.package_file
    request.disclosures.all().delete()
    request.package_file = ""
    request.package_sha256 = ""
    request.package_expires_at = None
    request.save(update_fields=["package_file", "package_sha256", "package_expires_at"])
    if name:
        transaction.on_commit(lambda: _storage().delete(name))


def package_link_token(request: LegalRequest) -> str:
    """A token for the package's download link, valid LEGAL_PACKAGE_LINK_HOURS and only
    for this package (a new collection makes old links useless)."""
    return signing.TimestampSigner(salt=_LINK_SALT).sign(f"{request.pk}:{request.package_sha256}")


def package_open(*, request: LegalRequest, actor: Actor, token: str):
    """The package file for a legal role holding a valid link; every download recorded.
    Raises LegalRequestError: `package_expired` (a 410) or `package_missing`."""
    require_legal_staff(actor.user)
    max_age = timedelta(hours=settings.LEGAL_PACKAGE_LINK_HOURS)
    try:
        value = signing.TimestampSigner(salt=_LINK_SALT).unsign(token, max_age=max_age)
    except signing.SignatureExpired:
        raise LegalRequestError(errors.PACKAGE_EXPIRED, code="package_expired") from None
    except signing.BadSignature:
        raise LegalRequestError(errors.PACKAGE_MISSING, code="package_missing") from None
    if request.package_expired:
        raise LegalRequestError(errors.PACKAGE_EXPIRED, code="package_expired")
    if (
        value != f"{request.pk}:{request.package_sha256}"
        or not request.package_file
        or request.status not in DOWNLOADABLE
    ):
        raise LegalRequestError(errors.PACKAGE_MISSING, code="package_missing")
    with transaction.atomic():
        audit_record(
            actor=actor,
            event_type=LegalEvent.PACKAGE_DOWNLOADED,
            category=Category.ACCOUNT,
            obj=request,
            fields=["package_file"],
        )
    return _storage().open(request.package_file, "rb")


def packages_expire(*, now: datetime | None = None) -> int:
    """Delete delivered packages whose time is up (their digest stays as the record)."""
    now = now or timezone.now()
    expired = LegalRequest.objects.filter(package_expires_at__lte=now).exclude(package_file="")
    files = dict(expired.values_list("pk", "package_file"))
    for name in files.values():
        _storage().delete(name)
    LegalRequest.objects.filter(pk__in=files).update(package_file="")
    return len(files)
