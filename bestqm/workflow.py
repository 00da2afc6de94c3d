"""One shape for every record with a status: orders, tickets, announcements, data
requests, legal requests (and the preservations they hold), client sessions.

- The model declares its table, `TRANSITIONS = Transitions({status: {next, ...}},
  stamps={status: "its_timestamp"})`, and mixes in `StatusWorkflow`, whose
  `can_become(status)` answers "may this status follow the current one" from the table.
- Each transition is one service function. The app describes once how its rows move
  (`Workflow(model, category=..., refusal=...)`); a service then locks the row with
  `workflow.locked(row)` and moves it with `workflow.move(row, status, ...)`, which checks
  the table, stamps the time, saves, writes the audit event and schedules side effects
  for after the commit, all inside the service's transaction.
- A move the table does not allow, or any other refusal of a workflow, raises a
  `WorkflowError` (or an app's subclass of it) with a stable `code`. The API answers every
  one as a 409 in the one error shape (bestqm.api.errors); the admin and the pages show
  its `message`. Nothing was changed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction
from django.utils import timezone

from privacy.audit.services import audit_record

INVALID_TRANSITION = "This cannot be done now: the record is {status}."


class WorkflowError(Exception):
    """A step the record's current state does not allow (or that something it depends on
    refused). Nothing was changed. `code` is stable and meant for programs; `message` is
    meant for people."""

    code = "invalid_transition"

    def __init__(self, message: str, *, code: str | None = None):
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code


class Transitions:
    """Which status may follow which, and the timestamp field each status sets when a
    record enters it (`changed_at`: a field set on every move)."""

    def __init__(
        self,
        table: Mapping[str, Iterable[str]],
        *,
        stamps: Mapping[str, str] | None = None,
        changed_at: str = "",
    ):
        self._table = {source: frozenset(targets) for source, targets in table.items()}
        unknown = frozenset().union(*self._table.values()) - set(self._table)
        if unknown:
            raise ImproperlyConfigured(f"Transitions lead to undeclared statuses: {unknown}.")
        self.stamps = dict(stamps or {})
        self.changed_at = changed_at

    def allows(self, source: str, target: str) -> bool:
        return target in self._table[source]

    def onward(self, source: str) -> frozenset[str]:
        return self._table[source]

    @property
    def open(self) -> tuple[str, ...]:
        """The statuses the table still leads out of."""
        return tuple(status for status, onward in self._table.items() if onward)


class StatusWorkflow:
    """For a model with a `status` field and a `TRANSITIONS` table."""

    TRANSITIONS: ClassVar[Transitions]

    def can_become(self, status: str) -> bool:
        return self.TRANSITIONS.allows(self.status, status)

    @property
    def is_open(self) -> bool:
        return self.status in self.TRANSITIONS.open


def _not_allowed(row: StatusWorkflow, status: str, action: str) -> WorkflowError:
    return WorkflowError(INVALID_TRANSITION.format(status=row.get_status_display().lower()))


@dataclass(frozen=True)
class Workflow:
    """How one model's rows move: the audit category of its events, the attribute naming
    the member whose data a row is, how a refused move is told, and what is fetched (and
    locked) with the row."""

    model: type[models.Model]
    category: str
    subject: str | None = "member"
    # (row, the status refused, the action's name) -> the error to raise.
    refusal: Callable[[Any, str, str], WorkflowError] = _not_allowed
    related: tuple[str, ...] = ()
    # Lock the related rows too, not only the workflow's own.
    lock_related: bool = False

    def locked(self, row: models.Model, **scope) -> Any:
        """The row, read again and locked until the transaction ends; `scope` narrows
        whose rows count (a member's own ticket), else DoesNotExist."""
        of = ("self", *self.related) if self.lock_related else ("self",)
        rows = self.model._default_manager.select_for_update(of=of)
        if self.related:
            rows = rows.select_related(*self.related)
        return rows.get(pk=row.pk, **scope)

    def refuse(self, row, status: str, action: str = "") -> WorkflowError:
        return self.refusal(row, status, action)

    def move(
        self,
        row,
        status: str,
        *,
        actor=None,
        event: str | None = None,
        fields: Iterable[str] | None = None,
        source: str | None = None,
        action: str = "",
        now: datetime | None = None,
        jobs: Iterable[tuple] = (),
        **values,
    ):
        """Move a locked row to `status` in the caller's transaction. `source` names the
        one status this step starts from where the table lets several lead to `status`;
        `values` are set with the move, the status's timestamp is stamped with `now`. With
        `event`, the move is audited (naming `fields`, by default the fields it changed);
        each of `jobs`, `(task, *args)`, is written to the outbox in the same
        transaction and runs once it commits (see outbox.enqueue)."""
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError("A workflow move belongs inside the service's transaction.")
        if not row.can_become(status) or (source is not None and row.status != source):
            raise self.refuse(row, status, action)
        now = now or timezone.now()
        transitions = self.model.TRANSITIONS
        changed: dict[str, Any] = {"status": status}
        for stamp in (transitions.changed_at, transitions.stamps.get(status)):
            if stamp:
                changed[stamp] = now
        changed.update(values)
        for name, value in changed.items():
            setattr(row, name, value)
        row.save(update_fields=list(changed))
        if event is not None:
            if fields is None:
                fields = [name for name in changed if name != transitions.changed_at]
            self.audit(row, actor, event, fields)
        if jobs:
            from outbox import enqueue

            for task, *args in jobs:
                enqueue(task, *args)
        return row

    def audit(self, row, actor, event: str, fields: Iterable[str] = (), **kwargs) -> None:
        """Record an event about the row, in the caller's transaction. The subject, the
        category and the object named default to the workflow's and the row."""
        audit_record(
            actor=actor,
            event_type=event,
            category=kwargs.pop("category", self.category),
            subject=kwargs.pop("subject", getattr(row, self.subject) if self.subject else None),
            obj=kwargs.pop("obj", row),
            fields=fields,
            **kwargs,
        )
