"""Intake of a legal request and what may be added to it later: targets (resolved to the
accounts they name, whose data is held at once) and documents (the legal process as
served, kept in private storage, opened by legal roles only and every opening recorded).
Bad input raises ValidationError naming the field: "targets.1.value", "due_at"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from phonenumber_field.phonenumber import to_python as phone_number

from accounts.selectors import accounts_named, user_by_login
from activity.ip_networks import network_text
from privacy.audit.services import Actor
from privacy.holds.services import hold_place
from privacy.legal import errors
from privacy.legal.access import require_legal_staff, require_officer
from privacy.legal.errors import LegalRequestError
from privacy.legal.models import (
    LegalDocument,
    LegalEvent,
    LegalRequest,
    LegalRequestType,
    LegalTarget,
)
from privacy.legal.workflow import LEGAL

Status = LegalRequest.Status
Kind = LegalTarget.Kind
REQUIRED = "This field is required."
# Targets may still be added (by intake or by an IP trace) until the data is collected.
TARGETS_OPEN = (
    Status.RECEIVED,
    Status.VERIFYING,
    Status.LEGAL_REVIEW,
    Status.NEEDS_INFO,
    Status.APPROVED,
    Status.COLLECTING,
)


@dataclass(frozen=True)
class TargetInput:
    kind: str
    value: str
    window_start: datetime | None = None
    window_end: datetime | None = None


@dataclass(frozen=True)
class DocumentInput:
    title: str
    file: Any  # an uploaded file


def _clean_target(index: int, target: TargetInput, problems: dict) -> TargetInput | None:
    key = f"targets.{index}"
    value = (target.value or "").strip()
    if target.kind not in (Kind.USERNAME, Kind.EMAIL, Kind.IP):
        problems[f"{key}.kind"] = REQUIRED
        return None
    if not value:
        problems[f"{key}.value"] = errors.TARGET_VALUE_EMPTY
        return None
    if target.kind == Kind.USERNAME and len(accounts_named(value)) > 1:
        problems[f"{key}.value"] = errors.TARGET_AMBIGUOUS
    if target.kind == Kind.EMAIL:
        try:
            validate_email(value)
        except ValidationError:
            problems[f"{key}.value"] = errors.TARGET_BAD_EMAIL
    elif target.kind == Kind.IP:
        try:
            value = network_text(value)
        except ValueError:
            problems[f"{key}.value"] = errors.TARGET_BAD_IP
        if target.window_start is None or target.window_end is None:
            problems[f"{key}.window_start"] = errors.WINDOW_REQUIRED
    start, end = target.window_start, target.window_end
    if start is not None and end is not None and end <= start:
        problems[f"{key}.window_end"] = errors.WINDOW_INVERTED
    return TargetInput(target.kind, value, start, end)


def _resolve(kind: str, value: str):
    if kind == Kind.USERNAME:
        named = accounts_named(value)
        return named[0] if len(named) == 1 else None
    if kind == Kind.EMAIL:
        return user_by_login(value)
    return None


def _target_create(
    request: LegalRequest, target: TargetInput, actor: Actor, *, kind=None, member=None
) -> LegalTarget:
    created = LegalTarget.objects.create(
        request=request,
        kind=kind or target.kind,
        value=target.value,
        window_start=target.window_start,
        window_end=target.window_end,
        member=member if member is not None else _resolve(target.kind, target.value),
    )
    hold_place(request=request, target=created, actor=actor)
    return created


def document_create(request: LegalRequest, document: DocumentInput, actor: Actor):
    created = LegalDocument.objects.create(
        request=request, title=document.title.strip(), file=document.file, uploaded_by=actor.user
    )
    LEGAL.audit(request, actor, LegalEvent.DOCUMENT_ADDED, ["file"])
    return created


def _clean_documents(documents, problems: dict) -> None:
    for index, document in enumerate(documents):
        if not (document.title or "").strip() or not document.file:
            problems[f"documents.{index}.file"] = errors.DOCUMENT_EMPTY


# --- intake -------------------------------------------------------------------------------


def legal_request_create(
    *,
    actor: Actor,
    request_type: str,
    authority: str,
    jurisdiction: str,
    officer_name: str,
    contact_email: str,
    callback_phone: str,
    reference_number: str,
    due_at: datetime | None,
    targets: list[TargetInput],
    documents: list[DocumentInput] = (),
    received_at: datetime | None = None,
) -> LegalRequest:
    """Record a legal request as served: who sent it, its documents and its targets.
    Targets are resolved to accounts (a username matches the public username or the
    login name, an e-mail the account's address) and their data is held at once."""
    require_officer(actor.user)
    now = timezone.now()
    received_at = received_at or now
    problems: dict[str, str] = {}
    text = {
        "authority": authority,
        "jurisdiction": jurisdiction,
        "officer_name": officer_name,
        "reference_number": reference_number,
        "contact_email": contact_email,
        "callback_phone": callback_phone,
    }
    text = {name: (value or "").strip() for name, value in text.items()}
    for name, value in text.items():
        if not value:
            problems[name] = REQUIRED
    if request_type not in LegalRequestType.values:
        problems["request_type"] = REQUIRED
    if text["contact_email"]:
        try:
            validate_email(text["contact_email"])
        except ValidationError:
            problems["contact_email"] = errors.TARGET_BAD_EMAIL
    if text["callback_phone"]:
        number = phone_number(text["callback_phone"])
        if number is None or not number.is_valid():
            problems["callback_phone"] = errors.BAD_PHONE
        else:
            text["callback_phone"] = number.as_e164
    if received_at > now + timedelta(minutes=5):
        problems["received_at"] = errors.RECEIVED_IN_FUTURE
    if due_at is None:
        problems["due_at"] = REQUIRED
    elif due_at < received_at:
        problems["due_at"] = errors.DUE_BEFORE_RECEIVED
    cleaned = [_clean_target(i, t, problems) for i, t in enumerate(targets)]
    if not targets:
        problems["targets"] = errors.NO_TARGET
    _clean_documents(documents, problems)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        request = LegalRequest.objects.create(
            request_type=request_type,
            received_at=received_at,
            due_at=due_at,
            created_by=actor.user,
            **text,
        )
        LEGAL.audit(request, actor, LegalEvent.RECEIVED, ["request_type"])
        for target in cleaned:
            _target_create(request, target, actor)
        for document in documents:
            document_create(request, document, actor)
    return request


def legal_target_add(
    *, request: LegalRequest, actor: Actor, target: TargetInput, member=None
) -> LegalTarget:
    """Add a target until the data is collected; with `member`, an account an IP trace
    found inside this case. Its data is held at once."""
    require_legal_staff(actor.user)
    problems: dict[str, str] = {}
    if member is None:
        cleaned = _clean_target(0, target, problems)
        if problems:
            raise ValidationError({k.removeprefix("targets.0."): v for k, v in problems.items()})
    with transaction.atomic():
        request = LEGAL.locked(request)
        if request.status not in TARGETS_OPEN:
            raise LegalRequestError(errors.TARGETS_CLOSED, code="targets_closed")
        if member is not None:
            created = _target_create(
                request,
                TargetInput(Kind.TRACED, f"Member #{member.pk}"),
                actor,
                kind=Kind.TRACED,
                member=member,
            )
        else:
            created = _target_create(request, cleaned, actor)
    return created


def legal_document_add(
    *, request: LegalRequest, actor: Actor, document: DocumentInput
) -> LegalDocument:
    require_legal_staff(actor.user)
    problems: dict[str, str] = {}
    _clean_documents([document], problems)
    if problems:
        raise ValidationError({"file": errors.DOCUMENT_EMPTY})
    with transaction.atomic():
        request = LEGAL.locked(request)
        return document_create(request, document, actor)


def legal_document_open(*, document: LegalDocument, actor: Actor):
    """The document's file, for a legal role only; every opening is recorded."""
    require_legal_staff(actor.user)
    with transaction.atomic():
        LEGAL.audit(document.request, actor, LegalEvent.DOCUMENT_OPENED, ["file"])
    return document.file.open("rb")
