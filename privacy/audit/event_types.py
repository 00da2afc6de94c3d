"""Audit event types, declared by the app that owns the change.

Each app lists its events as a `models.TextChoices` class and registers it here, the way it
declares its fields in the privacy registry, so a new app adds audit events without
touching the privacy app or its migrations:

    @event_types.register
    class OrderEvent(models.TextChoices):
        PAID = "order.paid", "Order paid"
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.db import models


class EventTypeRegistry:
    def __init__(self):
        self._labels: dict[str, str] = {}

    def register(self, choices: type[models.TextChoices]) -> type[models.TextChoices]:
        for value, label in choices.choices:
            known = self._labels.get(value)
            if known is not None and known != label:
                raise ImproperlyConfigured(f"Audit event {value!r} is registered twice.")
            self._labels[value] = str(label)
        return choices

    def choices(self) -> list[tuple[str, str]]:
        return sorted(self._labels.items())

    def __contains__(self, value: object) -> bool:
        return value in self._labels


event_types = EventTypeRegistry()


class EventTypeField(models.CharField):
    """A CharField whose choices come from `event_types` when read. The choices are left
    out of migrations: a new event type is a declaration, not a schema change."""

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("choices", None)
        return name, path, args, kwargs
