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
from privacy.roles import roles_of

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


def member_pseudonyms(members: Iterable) -> dict[object, MemberPseudonym]:
    """Each member's audit pseudonym by member key, those missing created: two or three
    queries however many members."""
    members = {m.pk: m for m in members}
    found = {p.member_id: p for p in MemberPseudonym.objects.filter(member_id__in=members)}
    missing = [pk for pk in members if pk not in found]
    if missing:
        MemberPseudonym.objects.bulk_create(
            [MemberPseudonym(member_id=pk) for pk in missing], ignore_conflicts=True
        )
        found |= {p.member_id: p for p in MemberPseudonym.objects.filter(member_id__in=missing)}
    for pk, member in members.items():
        member._audit_pseudonym_cache = found[pk]
    return found


def _actor_kind(actor: Actor, subject) -> AuditEvent.ActorKind:
    if actor.user is None:
        return AuditEvent.ActorKind.ANONYMOUS if actor.ip else AuditEvent.ActorKind.SYSTEM
    if subject is not None and actor.user.pk == subject.pk:
        return AuditEvent.ActorKind.MEMBER
    return AuditEvent.ActorKind.STAFF if actor.user.is_staff else AuditEvent.ActorKind.MEMBER


@dataclass(frozen=True)
class AuditEntry:
    """One event of a batch for `audit_record_many`."""

    category: Category
    subject: object = None
    obj: models.Model | None = None
    fields: Iterable[str] = ()


def _event(actor: Actor, event_type: str, entry: AuditEntry, pseudonyms: dict) -> AuditEvent:
    if event_type not in event_types:
        raise ValueError(
            f"Unregistered audit event type {event_type!r} (privacy.audit.event_types)."
        )
    field_names = sorted(set(entry.fields))
    if any(not isinstance(n, str) or not n.isidentifier() for n in field_names):
        raise ValueError("Audit events record field names only, never values.")
    obj, subject = entry.obj, entry.subject
    object_type, object_id = "", ""
    if obj is not None:
        object_type = obj._meta.label_lower
        # A member's own row is identified by the pseudonym, never by its key.
        if subject is None or obj.pk != subject.pk or type(obj) is not type(subject):
            object_id = str(obj.pk)
    return AuditEvent(
        event_type=event_type,
        category=entry.category,
        actor_kind=_actor_kind(actor, subject),
        actor_pseudonym=pseudonyms[actor.user.pk].pseudonym if actor.user else None,
        subject_pseudonym=pseudonyms[subject.pk].pseudonym if subject else None,
        object_type=object_type,
        object_id=object_id,
        ip_address=actor.ip,
        fields=field_names,
        actor_roles=roles_held(actor.user),
    )


SUPERUSER = "superuser"


def roles_held(user) -> list[str]:
    """The staff roles `user` holds now, as events record them: Role values, or
    [SUPERUSER] (one query per request: roles_of caches)."""
    if user is None or not getattr(user, "is_staff", False):
        return []
    if user.is_superuser:
        return [SUPERUSER]
    return sorted(role.value for role in roles_of(user))


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
    entry = AuditEntry(category=category, subject=subject, obj=obj, fields=fields)
    with transaction.atomic():
        pseudonyms = {p.pk: member_pseudonym(p) for p in (actor.user, subject) if p is not None}
        event = _event(actor, event_type, entry, pseudonyms)
        event.save()
        return event


def audit_record_many(
    *, actor: Actor, event_type: str, entries: Iterable[AuditEntry]
) -> list[AuditEvent]:
    """Append one event per entry, all by one actor, in a fixed number of queries (the
    pseudonyms in bulk, the events in one insert). Inside the caller's transaction, as
    `audit_record`."""
    entries = list(entries)
    if not entries:
        return []
    people = [e.subject for e in entries if e.subject is not None]
    if actor.user is not None:
        people.append(actor.user)
    with transaction.atomic():
        pseudonyms = member_pseudonyms(people)
        events = [_event(actor, event_type, e, pseudonyms) for e in entries]
        return AuditEvent.objects.bulk_create(events)
