"""Writes of the privacy app. Other apps use `audit_record` and `Actor` from here."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models, transaction
from django.http import HttpRequest

from bestqm.http.client_ip import client_ip
from privacy.audit.event_types import event_types
from privacy.audit.models import AuditEvent, MemberPseudonym
from privacy.registry import Category

AuditEventType = AuditEvent.EventType


@dataclass(frozen=True)
class Actor:
    """Who is acting, and from where: the person behind a change, for the audit log."""

    user: object | None
    ip: str | None = None

    @classmethod
    def from_request(cls, request: HttpRequest) -> Actor:
        user = request.user if getattr(request, "user", None) else None
        return cls(user=user if user and user.is_authenticated else None, ip=client_ip(request))

    @classmethod
    def system(cls) -> Actor:
        return cls(user=None, ip=None)


def member_pseudonym(member) -> MemberPseudonym:
    """The member's audit pseudonym, created on first use."""
    cached = getattr(member, "_audit_pseudonym_cache", None)
    if cached is None:
        cached, _ = MemberPseudonym.objects.get_or_create(member=member)
        member._audit_pseudonym_cache = cached
    return cached


def _actor_kind(actor: Actor, subject) -> AuditEvent.ActorKind:
    if actor.user is None:
        return AuditEvent.ActorKind.ANONYMOUS if actor.ip else AuditEvent.ActorKind.SYSTEM
    if subject is not None and actor.user.pk == subject.pk:
        return AuditEvent.ActorKind.MEMBER
    return AuditEvent.ActorKind.STAFF if actor.user.is_staff else AuditEvent.ActorKind.MEMBER


def audit_record(
    *,
    actor: Actor,
    event_type: str,
    category: Category,
    subject=None,
    obj: models.Model | None = None,
    fields: Iterable[str] = (),
) -> AuditEvent:
    """Append one event. Call it inside the transaction of the change it records, so the
    change and its record commit or roll back together."""
    if event_type not in event_types:
        raise ValueError(
            f"Unregistered audit event type {event_type!r} (privacy.audit.event_types)."
        )
    with transaction.atomic():
        field_names = sorted(set(fields))
        if any(not isinstance(n, str) or not n.isidentifier() for n in field_names):
            raise ValueError("Audit events record field names only, never values.")
        object_type, object_id = "", ""
        if obj is not None:
            object_type = obj._meta.label_lower
            # A member's own row is identified by the pseudonym, never by its key.
            if subject is None or obj.pk != subject.pk or type(obj) is not type(subject):
                object_id = str(obj.pk)
        return AuditEvent.objects.create(
            event_type=event_type,
            category=category,
            actor_kind=_actor_kind(actor, subject),
            actor_pseudonym=member_pseudonym(actor.user).pseudonym if actor.user else None,
            subject_pseudonym=member_pseudonym(subject).pseudonym if subject else None,
            object_type=object_type,
            object_id=object_id,
            ip_address=actor.ip,
            fields=field_names,
        )
